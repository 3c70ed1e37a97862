// What a user waits for: `dumpatlas` as whole processes, started the way `npx dumpatlas` starts
// them (bin/dumpatlas.js and the prebuilt CLI), timed from spawn to exit.
//
//   - one small dump and one generated full-memory dump of 1 GiB, next to lldb-16 on the same
//     file (`--batch -c FILE -o "thread backtrace all" -o "image list"`), run in turns so a
//     passing load falls on both; the ratio is the median of the per-pair ratios
//   - `dumpatlas --version` next to a bare `node -e 0`
//   - a folder of the fixture and corpus inputs: one `analyze --summary` run over all of them
//     (worker threads on every core) against one process per file, one after the other
//
// It only prints: no assertions, no exit status from the figures.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { buildCli, newestSourceTime } from '../scripts/build-cli.ts';

export interface ProcessOptions {
  reps: number;
  lldb: boolean;
  /** The generated full-memory dump (≥ 1 GiB), or null to leave that row out. */
  bigDump: string | null;
}

const LLDB = 'lldb-16';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Wall time of one process, in ms; its output is read and dropped. */
function timeProcess(cmd: string, args: string[], cwd: string): { ms: number; status: number | null } {
  const started = performance.now();
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  return { ms: performance.now() - started, status: r.status };
}

interface Pair {
  name: string;
  a: { cmd: string; args: string[] };
  b: { cmd: string; args: string[] } | null;
}

/** Runs A and B in turns; medians of each and of the per-pair ratio A/B. */
function pairs(p: Pair, reps: number, cwd: string): { a: number; b: number | null; ratio: number | null; failed: boolean } {
  const a: number[] = [];
  const b: number[] = [];
  let failed = false;
  // One warm-up of each: the first start of a program reads it from disk.
  timeProcess(p.a.cmd, p.a.args, cwd);
  if (p.b) timeProcess(p.b.cmd, p.b.args, cwd);
  for (let i = 0; i < reps; i++) {
    const ra = timeProcess(p.a.cmd, p.a.args, cwd);
    if (ra.status !== 0 && ra.status !== 2) failed = true;
    a.push(ra.ms);
    if (p.b) b.push(timeProcess(p.b.cmd, p.b.args, cwd).ms);
  }
  return {
    a: median(a),
    b: p.b ? median(b) : null,
    ratio: p.b ? median(a.map((x, i) => x / b[i]!)) : null,
    failed,
  };
}

/** The CLI a user runs: rebuilt first when src/ changed since the last build. */
async function freshCli(root: string): Promise<string> {
  let built = -1;
  try {
    built = (JSON.parse(readFileSync(join(root, 'dist-cli/build-info.json'), 'utf8')) as { sourceTime: number }).sourceTime;
  } catch {
    built = -1;
  }
  if (built < newestSourceTime()) await buildCli();
  return join(root, 'bin/dumpatlas.js');
}

/** Every dump and log under fixtures/ that the tests analyse (60+ files). */
function folderInputs(root: string): string[] {
  const out: string[] = [];
  const add = (dir: string, test: (f: string) => boolean): void => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) {
        if (f !== 'reference' && f !== 'lldb') add(p, test);
      } else if (test(f)) out.push(p);
    }
  };
  add(join(root, 'fixtures/dumps'), (f) => f.endsWith('.dmp'));
  add(join(root, 'fixtures/corpus'), (f) => f.endsWith('.dmp'));
  add(join(root, 'fixtures/windbg'), (f) => f.endsWith('.txt'));
  add(join(root, 'fixtures/synth'), (f) => f.endsWith('.dmp'));
  return out;
}

const ms = (v: number): string => `${v.toFixed(v < 100 ? 1 : 0)} ms`;

export async function cliProcessTable(root: string, o: ProcessOptions): Promise<void> {
  const bin = await freshCli(root);
  const node = process.execPath;
  const small = join(root, 'fixtures/corpus/lldb/sigsegv.dmp');
  console.log(`Whole processes (${o.reps} runs each after a warm-up, medians; ${availableParallelism()} cores; node ${process.version}):`);

  const lldbRow = (name: string, file: string): void => {
    const r = pairs(
      {
        name,
        a: { cmd: node, args: [bin, 'analyze', file] },
        b: o.lldb ? { cmd: LLDB, args: ['--batch', '-c', file, '-o', 'thread backtrace all', '-o', 'image list'] } : null,
      },
      o.reps,
      root,
    );
    const size = statSync(file).size;
    const vs = r.b === null ? '' : `; ${LLDB} ${ms(r.b)}; ratio ${r.ratio!.toFixed(2)}× (target ≤ 0.5×)`;
    console.log(`  dumpatlas analyze, ${name} (${(size / 1e6).toFixed(size < 1e7 ? 2 : 0)} MB): ${ms(r.a)}${vs}${r.failed ? ' (the analysis FAILED)' : ''}`);
  };
  lldbRow('small dump corpus/lldb/sigsegv.dmp', small);
  if (o.bigDump) lldbRow('generated full-memory 1 GiB dump', o.bigDump);

  const v = pairs({ name: 'version', a: { cmd: node, args: [bin, '--version'] }, b: { cmd: node, args: ['-e', '0'] } }, o.reps, root);
  console.log(`  dumpatlas --version: ${ms(v.a)} (target ≤ 120 ms); bare node -e 0: ${ms(v.b!)}; ratio ${v.ratio!.toFixed(2)}×`);

  const files = folderInputs(root);
  const folderReps = Math.max(1, Math.min(3, o.reps));
  const parallel: number[] = [];
  const sequential: number[] = [];
  for (let i = 0; i < folderReps; i++) {
    parallel.push(timeProcess(node, [bin, 'analyze', '--summary', ...files], root).ms);
    const started = performance.now();
    for (const f of files) timeProcess(node, [bin, 'analyze', f], root);
    sequential.push(performance.now() - started);
  }
  const p = median(parallel);
  const s = median(sequential);
  console.log(
    `  ${files.length} fixture and corpus inputs: one \`analyze --summary\` run ${ms(p)}; one process per file, in turn, ${ms(s)}; ` +
      `${(s / p).toFixed(1)}× faster in one run (${folderReps} run${folderReps === 1 ? '' : 's'} each)\n`,
  );
}
