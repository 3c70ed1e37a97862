// The benchmark. First what a user waits for (bench/cli-process.ts): the CLI as whole processes
// next to LLDB 16 on a small dump and a generated 1 GiB full-memory dump, `--version`, and a
// folder of 60+ inputs triaged in one parallel run against one process per file. Then wall
// time and peak memory of one analysis, per corpus dump and for large generated full-memory
// dumps, next to LLDB 16 on the same files when it is installed.
//
//   npm run bench                 all of it: whole processes, corpus, 1 GiB and 4 GiB dumps
//   npm run bench -- --quick      whole processes only, 3 runs each
//   npm run bench -- --reps 5 --no-lldb --threads 64 --depth 60 --sizes 1,4 [--no-cli|--no-corpus|--no-big|--no-pdb]
//
// Then bench/pdb.ts: the PDB reader on a ~100 MB PDB, and a dump symbolised against it.
//
// Every analysis runs in a fresh child (`node bench/analyze-one.ts FILE`), so its peak RSS
// (process.resourceUsage().maxRSS) is its own; an idle Node child gives the baseline to
// subtract. Times and memory are medians over the runs. It only prints: no assertions, no exit status
// from the figures.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { cliProcessTable } from './cli-process.ts';
import { writeBenchDump } from './synthetic-dump.ts';

// Children run as the CLI does (bin/dumpatlas.js enables Node's compile cache), so the process
// figures measure what a user waits for rather than a cold compile on every run.
const CHILD_ENV = { ...process.env, NODE_COMPILE_CACHE: join(tmpdir(), 'dumpatlas-bench-compile-cache') };

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = join(ROOT, 'fixtures/corpus');
const ONE = join(ROOT, 'bench/analyze-one.ts');
const LLDB = 'lldb-16';
const TIME = '/usr/bin/time';

interface Options {
  reps: number;
  lldb: boolean;
  big: boolean;
  threads: number;
  depth: number;
  sizesGiB: number[];
  corpus: boolean;
  cli: boolean;
  pdb: boolean;
  cliReps: number;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { reps: 3, lldb: true, big: true, threads: 32, depth: 40, sizesGiB: [1, 4], corpus: true, cli: true, cliReps: 7, pdb: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => argv[++i] ?? '';
    if (a === '--quick') {
      o.reps = 1;
      o.cliReps = 3;
      o.big = false;
      o.corpus = false;
    } else if (a === '--no-cli') o.cli = false; else if (a === '--reps') o.reps = Math.max(1, Number(next()));
    else if (a === '--no-lldb') o.lldb = false;
    else if (a === '--no-big') o.big = false;
    else if (a === '--no-corpus') o.corpus = false;
    else if (a === '--no-pdb') o.pdb = false;
    else if (a === '--threads') o.threads = Number(next());
    else if (a === '--depth') o.depth = Number(next());
    else if (a === '--sizes') o.sizesGiB = next().split(',').map(Number);
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

interface OurRun {
  ok: boolean;
  /** analyze() alone, in the child. */
  analyzeMs: number;
  /** The child from spawn to exit (Node start, loading the catalog, the analysis). */
  processMs: number;
  maxRssKiB: number;
  heapPeakBytes: number;
  threads: number;
  frames: number;
}

interface LldbRun {
  processMs: number;
  maxRssKiB: number;
  frames: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function runOurs(file: string, extra: string[] = []): OurRun {
  const started = performance.now();
  const r = spawnSync(process.execPath, [ONE, file, ...extra], { encoding: 'utf8', maxBuffer: 1 << 24, env: CHILD_ENV });
  const processMs = performance.now() - started;
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`analyze-one failed on ${file}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return {
    ok: j['ok'] === true,
    analyzeMs: Number(j['wallMs']),
    processMs,
    maxRssKiB: Number(j['maxRssKiB']),
    heapPeakBytes: Number(j['heapPeakBytes']),
    threads: Number(j['threads'] ?? 0),
    frames: Number(j['frames'] ?? 0),
  };
}

function lldbInstalled(): boolean {
  return spawnSync(LLDB, ['--version'], { encoding: 'utf8' }).status === 0 && existsSync(TIME);
}

function runLldb(file: string, cwd?: string): LldbRun {
  const started = performance.now();
  const r = spawnSync(TIME, ['-f', 'TIME %e %M', LLDB, '--batch', '-c', file, '-o', 'thread backtrace all', '-o', 'image list'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    ...(cwd ? { cwd } : {}),
  });
  const processMs = performance.now() - started;
  const m = /TIME [\d.]+ (\d+)/.exec(r.stderr);
  return { processMs, maxRssKiB: m ? Number(m[1]) : NaN, frames: (r.stdout.match(/frame #\d+:/g) ?? []).length };
}

function idleBaselines(reps: number): { nodeKiB: number; codeKiB: number; nodeMs: number; codeMs: number; lldbMs: number | null } {
  const bare: number[] = [];
  const code: number[] = [];
  const bareMs: number[] = [];
  const codeMs: number[] = [];
  const lldbMs: number[] = [];
  for (let i = 0; i < reps; i++) {
    let t = performance.now();
    const a = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.resourceUsage().maxRSS))'], { encoding: 'utf8' });
    bareMs.push(performance.now() - t);
    bare.push(Number(a.stdout));
    t = performance.now();
    const b = spawnSync(process.execPath, [ONE, '--idle'], { encoding: 'utf8', env: CHILD_ENV });
    codeMs.push(performance.now() - t);
    code.push(Number((JSON.parse(b.stdout) as { maxRssKiB: number }).maxRssKiB));
    if (lldbInstalled()) {
      t = performance.now();
      spawnSync(LLDB, ['--batch', '-o', 'version'], { encoding: 'utf8' });
      lldbMs.push(performance.now() - t);
    }
  }
  return { nodeKiB: median(bare), codeKiB: median(code), nodeMs: median(bareMs), codeMs: median(codeMs), lldbMs: lldbMs.length > 0 ? median(lldbMs) : null };
}

interface Row {
  name: string;
  sizeBytes: number;
  ours: OurRun;
  lldb: LldbRun | null;
}

function measure(name: string, file: string, o: Options, extra: string[] = [], withLldb = o.lldb, lldbCwd?: string): Row {
  return measureInterleaved([{ name, file, extra, lldbCwd }], o, withLldb)[0]!;
}

/**
 * Runs every file once per round, round after round, so a passing load on the machine (two
 * cores, shared) falls on all of them alike rather than on whichever ran at that moment.
 */
function measureInterleaved(items: { name: string; file: string; extra?: string[]; lldbCwd?: string | undefined }[], o: Options, withLldb = o.lldb): Row[] {
  const ours = items.map((): OurRun[] => []);
  const lldb = items.map((): LldbRun[] => []);
  for (let i = 0; i < o.reps; i++) {
    items.forEach((it, k) => {
      ours[k]!.push(runOurs(it.file, it.extra ?? []));
      if (withLldb) lldb[k]!.push(runLldb(it.file, it.lldbCwd));
    });
  }
  return items.map((it, k) => {
    const runs = ours[k]!;
    const l = lldb[k]!;
    return {
      name: it.name,
      sizeBytes: statSync(it.file).size,
      ours: {
        ...runs[0]!,
        analyzeMs: median(runs.map((r) => r.analyzeMs)),
        processMs: median(runs.map((r) => r.processMs)),
        maxRssKiB: median(runs.map((r) => r.maxRssKiB)),
        heapPeakBytes: median(runs.map((r) => r.heapPeakBytes)),
      },
      lldb: l.length > 0 ? { processMs: median(l.map((r) => r.processMs)), maxRssKiB: median(l.map((r) => r.maxRssKiB)), frames: l[0]!.frames } : null,
    };
  });
}

const mb = (kib: number): string => (kib / 1024).toFixed(1);
const ms = (v: number): string => v.toFixed(v < 10 ? 1 : 0);
const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function printTable(rows: Row[], base: { nodeKiB: number }): void {
  const head = ['dump', 'size MB', 'thr', 'frames', 'ours ms', 'ours proc ms', 'lldb proc ms', 'ratio', 'RSS-node MB', 'heap MB', 'lldb RSS MB', 'lldb frames'];
  const widths = [46, 9, 5, 7, 9, 13, 13, 7, 12, 8, 12, 12];
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? pad(c, widths[i]!) : lpad(c, widths[i]!))).join(' ');
  console.log(line(head));
  for (const r of rows) {
    console.log(
      line([
        r.name + (r.ours.ok ? '' : ' (refused)'),
        (r.sizeBytes / 1e6).toFixed(r.sizeBytes < 1e7 ? 2 : 0),
        String(r.ours.threads),
        String(r.ours.frames),
        ms(r.ours.analyzeMs),
        ms(r.ours.processMs),
        r.lldb ? ms(r.lldb.processMs) : '-',
        r.lldb ? (r.ours.analyzeMs / r.lldb.processMs).toFixed(2) : '-',
        mb(r.ours.maxRssKiB - base.nodeKiB),
        (r.ours.heapPeakBytes / 2 ** 20).toFixed(1),
        r.lldb ? mb(r.lldb.maxRssKiB) : '-',
        r.lldb ? String(r.lldb.frames) : '-',
      ]),
    );
  }
}

function corpusFiles(): { name: string; path: string }[] {
  const out: { name: string; path: string }[] = [];
  for (const dir of readdirSync(CORPUS).sort()) {
    const full = join(CORPUS, dir);
    if (!statSync(full).isDirectory() || dir === 'reference') continue;
    for (const f of readdirSync(full).sort()) if (f.endsWith('.dmp')) out.push({ name: `${dir}/${f}`, path: join(full, f) });
  }
  return out;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  if (o.lldb && !lldbInstalled()) {
    console.log(`(${LLDB} or ${TIME} not found: LLDB columns left empty)`);
    o.lldb = false;
  }
  if (o.cli) {
    const dir = mkdtempSync(join(tmpdir(), 'dumpatlas-bench-cli-'));
    try {
      const big = join(dir, 'full-1g.dmp');
      await writeBenchDump(big, { totalBytes: 1n << 30n, threads: o.threads, depth: o.depth });
      await cliProcessTable(ROOT, { reps: o.cliReps, lldb: o.lldb, bigDump: big });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (!o.corpus && !o.big) return;
  const base = idleBaselines(o.reps);
  console.log(`Node ${process.version}; ${o.reps} run(s) each, medians; RSS is peak RSS minus an idle Node child's (${mb(base.nodeKiB)} MB).`);
  console.log(
    `Idle children: bare Node ${ms(base.nodeMs)} ms / ${mb(base.nodeKiB)} MB; Node with the engine and catalog loaded ${ms(base.codeMs)} ms / ${mb(base.codeKiB)} MB` +
      (base.lldbMs !== null ? `; lldb-16 --batch with no target ${ms(base.lldbMs)} ms.` : '.'),
  );
  console.log('"ours ms" is analyze() in the child; "proc ms" is a whole process as a user runs it; ratio = ours ms / lldb proc ms.\n');

  if (o.corpus) corpusTable(o, base);
  if (o.big) await bigTable(o, base);
  if (o.pdb) {
    console.log('\nSymbols (bench/pdb.ts):');
    spawnSync(process.execPath, [join(ROOT, 'bench/pdb.ts'), '--reps', String(o.reps)], { stdio: 'inherit', env: CHILD_ENV });
  }
}

function corpusTable(o: Options, base: { nodeKiB: number }): void {
  const rows: Row[] = [];
  for (const f of corpusFiles()) rows.push(measure(f.name, f.path, o));
  const nullptrDir = join(CORPUS, 'wine');
  // LLDB finds the exe when it sits in the working directory, as its with-exe reference was made.
  rows.push(measure('wine/nullptr.dmp --images (with the exe)', join(nullptrDir, 'nullptr.dmp'), o, ['--images', nullptrDir], o.lldb, nullptrDir));
  printTable(rows, base);
  const total = (pick: (r: Row) => number): number => rows.reduce((n, r) => n + pick(r), 0);
  const withLldb = rows.filter((r) => r.lldb);
  console.log(
    `\nCorpus total (${rows.length} analyses): ours ${ms(total((r) => r.ours.analyzeMs))} ms in analyze(), ${ms(total((r) => r.ours.processMs))} ms as processes` +
      (withLldb.length > 0 ? `; lldb ${ms(withLldb.reduce((n, r) => n + r.lldb!.processMs, 0))} ms as processes` : '') +
      `; peak RSS above Node ${mb(Math.max(...rows.map((r) => r.ours.maxRssKiB)) - base.nodeKiB)} MB (max), heap peak ${(Math.max(...rows.map((r) => r.ours.heapPeakBytes)) / 2 ** 20).toFixed(1)} MB (max).`,
  );

}

async function bigTable(o: Options, base: { nodeKiB: number }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dumpatlas-bench-'));
  try {
    const made: { name: string; file: string }[] = [];
    for (const gib of o.sizesGiB) {
      const path = join(dir, `full-${gib}g.dmp`);
      const dump = await writeBenchDump(path, { totalBytes: BigInt(Math.round(gib * 2 ** 30)), threads: o.threads, depth: o.depth });
      made.push({ name: `generated full-memory ${gib} GiB (${dump.ranges} ranges)`, file: path });
    }
    // The same size with twice the threads and twice the depth: the cost that should grow (×4).
    const first = o.sizesGiB[0] ?? 1;
    const scaled = join(dir, 'full-scaled.dmp');
    await writeBenchDump(scaled, { totalBytes: BigInt(Math.round(first * 2 ** 30)), threads: o.threads * 2, depth: o.depth * 2 });
    made.push({ name: `generated ${first} GiB, ${o.threads * 2} threads × ${o.depth * 2} frames`, file: scaled });
    const big = measureInterleaved(made, { ...o, reps: Math.max(o.reps, 5) });
    console.log(`\nGenerated sparse full-memory x64 dumps: ${o.threads} threads × ${o.depth} frames (unwind info), 3 modules mapped, the rest file holes.`);
    printTable(big, base);
    const [a, b, c] = [big[0], big[o.sizesGiB.length - 1], big[big.length - 1]];
    if (a && b && a !== b) {
      console.log(
        `\n${o.sizesGiB[o.sizesGiB.length - 1]} GiB vs ${o.sizesGiB[0]} GiB, same threads: analyze() ${(b.ours.analyzeMs / a.ours.analyzeMs).toFixed(2)}× the time, ` +
          `peak RSS ${mb(b.ours.maxRssKiB - a.ours.maxRssKiB)} MB apart.`,
      );
    }
    if (a && c && c !== b) {
      console.log(`4× the frames (2× threads, 2× depth), same size: analyze() ${(c.ours.analyzeMs / a.ours.analyzeMs).toFixed(2)}× the time, peak RSS ${mb(c.ours.maxRssKiB - a.ours.maxRssKiB)} MB apart.`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
