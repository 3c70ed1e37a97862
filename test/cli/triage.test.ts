// Triage at scale, as a user runs it: a folder of dumps from several machines (with the
// program's files, a README and a screenshot beside them, and a broken dump), analysed in
// parallel into a table of failure buckets; JSON lines per file; shards merged into the same
// summary; a self-contained HTML page; and the argument forms (--images lists, --symbols).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArgs, USAGE } from '../../src/cli/args.ts';
import { jsonForScript } from '../../src/cli/html-page.ts';
import { FilePool } from '../../src/cli/file-pool.ts';
import { runCli, type CliRun } from '../lib/run-cli.ts';
import { Progress } from '../../src/cli/progress.ts';
import { Report } from '../../src/engine/report/schema.ts';
import { Summary as SummarySchema } from '../../src/engine/report/summary-schema.ts';
import type { Summary } from '../../src/engine/report/summary.ts';
import { bucketDump, RUN_A, RUN_B, RUN_OTHER } from '../synth/bucket-dumps.ts';
import { MinidumpBuilder } from '../synth/minidump-builder.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/dumpatlas.js');

async function run(argv: string[], tty = false): Promise<CliRun & { bar: string }> {
  let bar = '';
  const r = await runCli(argv, { progressStream: { isTTY: tty, columns: 100, write: (t: string) => (bar += t) } });
  return { ...r, bar };
}

let dir: string;
let share: string;
const HOSTILE = '</script><script>alert(1)</script>\u2028<!--';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dumpatlas-triage-'));
  share = join(dir, 'share');
  mkdirSync(join(share, 'machine-a', 'deeper'), { recursive: true });
  mkdirSync(join(share, 'machine-b'), { recursive: true });
  writeFileSync(join(share, 'machine-a', 'crash-1.dmp'), bucketDump(RUN_A));
  writeFileSync(join(share, 'machine-a', 'deeper', 'crash-3.dmp'), bucketDump({ ...RUN_A, threadId: 0x40, time: RUN_A.time + 3600 }));
  writeFileSync(join(share, 'machine-b', 'crash-2.dmp'), bucketDump(RUN_B));
  writeFileSync(join(share, 'machine-b', 'other.dmp'), bucketDump(RUN_OTHER));
  // Named like anything: the content says what a file is.
  writeFileSync(join(share, 'machine-b', 'session.log'), readFileSync(join(ROOT, 'fixtures/windbg/deadlock-critical-sections-kb.txt')));
  writeFileSync(join(share, 'machine-b', 'broken.dmp'), Uint8Array.from([0x4d, 0x44, 0x4d, 0x50, 0x93, 0xa7, 0, 0, 1, 2, 3]));
  // Beside them, what a share of crash reports also holds: none of it is a dump.
  writeFileSync(join(share, 'README.txt'), 'Crash dumps from the field, collected by support.\n');
  writeFileSync(join(share, 'screenshot.png'), Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  copyFileSync(join(ROOT, 'fixtures/dumps/divide-by-zero.exe'), join(share, 'machine-a', 'app.exe'));
  // A dump whose comment is markup, for the page.
  const b = new MinidumpBuilder();
  b.systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045 });
  b.commentW(HOSTILE);
  writeFileSync(join(dir, 'hostile.dmp'), b.build().bytes);
});

describe('arguments', () => {
  it('takes --images as a ;-separated list, as often as given, and --symbols alike', () => {
    const a = parseArgs(['analyze', 'x.dmp', '--images', 'C:\\app;D:\\libs;', '--images=more', '--symbols', 'syms;cache', '--symbols=x.pdb']);
    expect(a).toMatchObject({ command: 'analyze', inputs: ['x.dmp'], images: ['C:\\app', 'D:\\libs', 'more'], symbols: ['syms', 'cache', 'x.pdb'] });
    expect(USAGE).toContain('--images PATHS');
    expect(USAGE).toContain('--symbols PATHS');
  });

  it('explains a missing value or a bad --jobs in one line', async () => {
    expect((await run(['analyze', 'x.dmp', '--images'])).err).toEqual(['dumpatlas: --images needs a file or folder']);
    expect((await run(['analyze', 'x.dmp', '--jobs', '0'])).err).toEqual(['dumpatlas: --jobs needs a whole number from 1 to 1024, not "0"']);
    expect((await run(['merge'])).err).toEqual(['dumpatlas: no input files (try: dumpatlas merge shard-*.ndjson)']);
    expect((await run(['analyze', 'x.dmp', '--images', join(dir, 'no-such-folder')])).err[0]).toMatch(/^dumpatlas: --images .*no-such-folder: cannot open: ENOENT/);
  });
});

describe('dumpatlas analyze FOLDER --summary', () => {
  let summary: Summary;
  let result: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    result = await run(['analyze', share, '--summary', '--json', '--jobs', '2']);
    summary = SummarySchema.parse(JSON.parse(result.out.join('\n'))) as Summary;
  });

  it('finds the dumps and logs by content, recursively, and skips what is neither', () => {
    expect(summary.files).toBe(6);
    expect(result.err).toEqual([
      'dumpatlas: 3 files in the folders are neither a dump nor debugger output; skipped (1 of them a module image: give it with --images to unwind and name frames)',
    ]);
  });

  it('counts the same crash from two machines as one bucket and tells the others apart', () => {
    expect(summary.buckets.map((b) => [b.count, b.id])).toEqual([
      [3, 'c0000005 @ crashlib!parse_record (null-pointer-data)'],
      [1, 'c0000094 @ app+0x1144 (divide-by-zero)'],
      [1, 'hang @ ledgersync!CIndex::Update (deadlock-critical-sections)'],
    ]);
    expect(summary.buckets[0]).toMatchObject({ example: join(share, 'machine-a', 'crash-1.dmp'), patterns: { 'null-pointer-data': 3 } });
  });

  it('makes a broken file one line of the summary, not the end of the run', () => {
    expect(summary.brokenCount).toBe(1);
    expect(summary.broken).toEqual([{ file: join(share, 'machine-b', 'broken.dmp'), kind: 'truncated', message: 'minidump header cut short at 11 of 32 bytes' }]);
    expect(result.code).toBe(2);
  });

  it('prints the table for people', async () => {
    const text = await run(['analyze', share, '--summary', '--no-progress']);
    const lines = text.out.join('\n').split('\n');
    expect(lines[0]).toBe('3 failure buckets in 5 dumps (6 files: 5 analysed, 1 unreadable)');
    expect(lines.find((l) => l.includes('crashlib!parse_record'))).toMatch(/^ {4}3 {2}c0000005 @ crashlib!parse_record \(null-pointer-data\) +2023-09-12 06:11:12Z +2023-09-24 11:48:16Z +.*crash-1\.dmp$/);
    expect(lines.at(-1)).toMatch(/broken\.dmp: minidump header cut short/);
  });

  it('says so when a folder holds no dump at all', async () => {
    const empty = join(dir, 'nothing-here');
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(empty, 'notes.txt'), 'no dumps today\n');
    const r = await run(['analyze', empty, '--summary']);
    expect([r.code, r.out, r.err]).toEqual([2, [], [`dumpatlas: no dump or debugger output in ${empty} (1 other file skipped)`]]);
  });

  it('expands a quoted glob, "**" included', async () => {
    const r = await run(['analyze', `${share}/**/crash-*.dmp`, '--summary', '--json']);
    const s = JSON.parse(r.out[0]!) as Summary;
    expect([s.files, s.buckets[0]!.count]).toEqual([3, 3]);
    expect(r.err).toEqual([]);
  });

  it('draws a progress bar only on a terminal', async () => {
    const piped = await run(['analyze', share, '--summary']);
    expect(piped.bar).toBe('');
    const tty = await run(['analyze', share, '--summary'], true);
    expect(tty.bar).toMatch(/\[#+\] 6\/6 files, 1 unreadable, 0:\d\d/);
    expect(tty.bar.endsWith('\r\x1b[2K')).toBe(true);
  });
});

describe('map and reduce: --json lines, and dumpatlas merge', () => {
  it('streams one line per file: a schema-valid report with its path, or an error line', async () => {
    const r = await run(['analyze', share, '--json']);
    const lines = r.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(6);
    const reports = lines.filter((l) => 'schemaVersion' in l);
    for (const l of reports) expect(Report.parse(l).bucket.id).toBeTruthy();
    expect(reports.map((l) => l['file']).sort()).toContain(join(share, 'machine-b', 'session.log'));
    expect(lines.filter((l) => 'error' in l)).toEqual([{ file: join(share, 'machine-b', 'broken.dmp'), error: { kind: 'truncated', message: 'minidump header cut short at 11 of 32 bytes' } }]);
  });

  it('merges shards (report lines, error lines, summaries) into the summary of one run', async () => {
    const whole = (await run(['analyze', share, '--summary', '--json'])).out[0]!;
    const a = join(dir, 'shard-a.ndjson');
    const b = join(dir, 'shard-b.json');
    writeFileSync(a, `${(await run(['analyze', join(share, 'machine-b'), '--json'])).out.join('\n')}\n`);
    writeFileSync(b, `${(await run(['analyze', join(share, 'machine-a'), '--summary', '--json'])).out.join('\n')}\n`);
    const merged = await run(['merge', b, a, '--json']);
    expect([merged.code, merged.err]).toEqual([0, []]);
    expect(JSON.parse(merged.out[0]!)).toEqual(JSON.parse(whole));
    const again = join(dir, 'merged.json');
    writeFileSync(again, merged.out[0]!);
    expect(JSON.parse((await run(['merge', again, '--json'])).out[0]!)).toEqual(JSON.parse(whole));
  });

  it('writes an input that names nothing as an error line too', async () => {
    const pattern = join(dir, 'none-*.dmp');
    const r = await run(['analyze', pattern, join(share, 'machine-b', 'other.dmp'), '--json']);
    const lines = r.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => 'error' in l)).toEqual([{ file: pattern, error: { kind: 'no-match', message: 'no file matches this pattern' } }]);
    expect(lines.filter((l) => 'schemaVersion' in l)).toHaveLength(1);
    expect(r.code).toBe(2);
  });

  it('names a line it cannot use and leaves it out', async () => {
    const f = join(dir, 'mixed.ndjson');
    writeFileSync(f, `not json\n{"file":"x.dmp","error":{"kind":"io","message":"cannot open"}}\n{"hello":1}\n`);
    const r = await run(['merge', f, '--json']);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`dumpatlas: ${f}:1: not a JSON line; left out`, `dumpatlas: ${f}:3: neither a report, an error line nor a summary; left out`]);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ files: 1, brokenCount: 1 });
  });
});

describe('--html FILE', () => {
  it('writes one self-contained page of a report: the renderer inlined, the data escaped, no network', async () => {
    const page = join(dir, 'report.html');
    const r = await run(['analyze', join(dir, 'hostile.dmp'), '--html', page]);
    expect(r.code).toBe(0);
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    // The comment is in the data, escaped: no element of it opens or closes anything.
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u2028\\u003c!--');
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toMatch(/\bsrc=|\bhref=|https?:\/\//);
    const data = /<script type="application\/json" id="dumpatlas-data" data-kind="report">([^]*?)<\/script>/.exec(html)![1]!;
    expect(Report.parse(JSON.parse(data)).dump.comment).toBe(HOSTILE);
  });

  it('writes the summary page of several files', async () => {
    const page = join(dir, 'summary.html');
    await run(['analyze', share, '--html', page, '--summary']);
    const html = readFileSync(page, 'utf8');
    const data = /<script type="application\/json" id="dumpatlas-data" data-kind="summary">([^]*?)<\/script>/.exec(html)![1]!;
    expect((JSON.parse(data) as Summary).buckets).toHaveLength(3);
    expect(html).toContain('<title>Dump Atlas — failure buckets</title>');
  });

  it('escapes what could end a script element or a line in old parsers', () => {
    expect(jsonForScript('{"a":"</script>&\u2028\u2029"}')).toBe('{"a":"\\u003c/script\\u003e\\u0026\\u2028\\u2029"}');
  });
});

describe('--images opens files lazily, a few at a time', () => {
  it('keeps at most its bound of image files open while reading many', async () => {
    const folder = join(dir, 'pool');
    mkdirSync(folder, { recursive: true });
    const paths = Array.from({ length: 12 }, (_, i) => {
      const p = join(folder, `m${i}.dll`);
      writeFileSync(p, new Uint8Array(4096).fill(i));
      return p;
    });
    const pool = new FilePool(3);
    const sources = pool.sources(paths);
    let most = 0;
    const reads = sources.flatMap((s, i) =>
      [0, 1, 2].map(async (k) => {
        const bytes = await s.read(k * 100, 16);
        most = Math.max(most, pool.openCount);
        expect(bytes[0]).toBe(i);
      }),
    );
    await Promise.all(reads);
    expect(most).toBeLessThanOrEqual(3);
    await pool.closeAll();
    expect(pool.openCount).toBe(0);
  });

  it('never closes a file under a read that has claimed it: every read gets its own file, rounds on end', async () => {
    // Readers racing for 3 descriptors over 12 files: a file evicted between a reader finding it
    // and reading it failed the read, or read another file that reused its descriptor number.
    const folder = join(dir, 'race');
    mkdirSync(folder, { recursive: true });
    const paths = Array.from({ length: 12 }, (_, i) => {
      const p = join(folder, `r${i}.dll`);
      writeFileSync(p, new Uint8Array(4096).fill(i));
      return p;
    });
    const got: string[] = [];
    for (let round = 0; round < 50; round++) {
      const pool = new FilePool(3);
      await Promise.all(
        pool.sources(paths).flatMap((s, i) =>
          [0, 1, 2].map(async (k) => {
            const bytes = await s.read(k * 100, 16).catch((err: unknown) => String(err));
            if (typeof bytes === 'string' || bytes[0] !== i) got.push(`file ${i}: ${typeof bytes === 'string' ? bytes : `byte ${bytes[0]}`}`);
          }),
        ),
      );
      await pool.closeAll();
    }
    expect(got).toEqual([]);
  });

  it('analyses a dump with a folder of more image files than the process may open', () => {
    const folder = join(dir, 'many-images');
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < 300; i++) writeFileSync(join(folder, `lib${i}.dll`), Uint8Array.from([0x4d, 0x5a, i & 0xff]));
    copyFileSync(join(ROOT, 'fixtures/dumps/divide-by-zero.exe'), join(folder, 'app.exe'));
    const dump = join(share, 'machine-a', 'crash-1.dmp');
    const r = spawnSync('sh', ['-c', `ulimit -n 100 && exec "$0" "$@"`, process.execPath, BIN, 'analyze', dump, '--images', `${folder};${join(ROOT, 'fixtures/dumps')}`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Bucket: c0000005 @ crashlib!parse_record (null-pointer-data)');
  });
});

describe('the progress bar', () => {
  it('is not made for a pipe or for one file', () => {
    expect(Progress.maybe(10, { isTTY: false, write: () => {} }, true)).toBeNull();
    expect(Progress.maybe(1, { isTTY: true, write: () => {} }, true)).toBeNull();
    expect(Progress.maybe(10, { isTTY: true, write: () => {} }, false)).toBeNull();
  });
});
