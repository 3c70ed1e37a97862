// `node scripts/report-snapshots.ts OUT_DIR`: runs the real CLI (`dumpatlas analyze`, text and
// `--json`) over every input in fixtures/ — each dump, each debugger or LLDB text log, each
// corpus dump — and writes one file per input and output kind under OUT_DIR, so that a
// refactoring can prove it changed no report:
//
//   node scripts/report-snapshots.ts /tmp/before   # on the old commit
//   node scripts/report-snapshots.ts /tmp/after    # on the new one
//   diff -r /tmp/before /tmp/after
//
// The Wine-made dumps in fixtures/dumps run three times, as the pattern cases read them: with
// no images, with the program's own .exe (and crashlib.dll where the program loads it), and with
// Wine's system DLLs as well. The JSON report's elapsed time is set to 0 (it is the only field
// that changes between runs); everything else is written exactly as the CLI prints it, with
// stderr and the exit status when the CLI failed.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'fixtures');
const WINE_IMAGES = ['wine-images/ntdll.dll', 'wine-images/kernelbase.dll', 'wine-images/kernel32.dll'];

interface Input {
  /** Path under fixtures/. */
  file: string;
  /** Name of the run: the file alone, or the file with an image set. */
  label: string;
  /** Image paths under fixtures/. */
  images: string[];
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

function inputs(): Input[] {
  const list: Input[] = [];
  for (const path of walk(FIXTURES)) {
    const file = relative(FIXTURES, path);
    if (!/\.(dmp|txt|log|out)$/i.test(file)) continue;
    list.push({ file, label: file, images: [] });
    if (!file.endsWith('.dmp')) continue;
    const exe = file.replace(/\.dmp$/, '.exe');
    if (!existsSync(join(FIXTURES, exe))) continue;
    const own = [exe];
    // fault-in-dll.exe crashes inside crashlib.dll, which sits beside it.
    const dll = join(dirname(file), 'crashlib.dll');
    if (basename(file) === 'fault-in-dll.dmp' && existsSync(join(FIXTURES, dll))) own.push(dll);
    list.push({ file, label: `${file}@exe`, images: own });
    if (file.startsWith('dumps/')) list.push({ file, label: `${file}@wine+exe`, images: [...WINE_IMAGES, ...own] });
  }
  return list;
}

/** The CLI reads images from a folder: one per image set, of links to the fixtures. */
function imageDir(images: string[], scratch: string): string | null {
  if (images.length === 0) return null;
  const dir = mkdtempSync(join(scratch, 'images-'));
  for (const image of images) symlinkSync(join(FIXTURES, image), join(dir, basename(image)));
  return dir;
}

async function run(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await main(argv, { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) });
  return { status, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

function zeroElapsed(line: string): string {
  const report = JSON.parse(line) as { analysis?: { elapsedMs?: number } };
  if (report.analysis) report.analysis.elapsedMs = 0;
  return `${JSON.stringify(report, null, 2)}\n`;
}

async function snapshot(out: string): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), 'report-snapshots-'));
  let count = 0;
  try {
    for (const input of inputs()) {
      const dir = imageDir(input.images, scratch);
      const args = ['analyze', join(FIXTURES, input.file), ...(dir ? ['--images', dir] : [])];
      const target = join(out, input.label);
      mkdirSync(dirname(target), { recursive: true });
      const text = await run(args);
      const json = await run([...args, '--json']);
      writeFileSync(`${target}.report.txt`, `${text.stdout}\n`);
      writeFileSync(`${target}.report.json`, json.status === 0 ? zeroElapsed(json.stdout) : `${json.stdout}\n`);
      if (text.status !== 0 || text.stderr || json.stderr) {
        // The CLI names the file it failed on by its full path; keep the snapshot free of where
        // the checkout lives.
        const err = `${text.stderr}\n${json.stderr}`.replaceAll(`${FIXTURES}/`, 'fixtures/');
        writeFileSync(`${target}.stderr.txt`, `status ${text.status}/${json.status}\n${err}\n`);
      }
      count++;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return count;
}

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node scripts/report-snapshots.ts OUT_DIR\n');
  process.exit(2);
}
const count = await snapshot(resolve(out));
process.stdout.write(`${count} inputs written under ${resolve(out)}\n`);
