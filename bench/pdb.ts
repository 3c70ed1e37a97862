// The PDB reader on a PDB the size of a real product's: how much of the file opening it and
// naming 64 addresses reads, how long that takes, and how much memory it holds; then the whole
// engine symbolising a crash dump against it (analyze() with and without the PDB).
//
//   node bench/pdb.ts [--reps N] [--lookups N] [--scale F]   (--generate/--measure/--symbolize/--idle: its children)
//   npm run bench runs it after the dump benchmarks (--no-pdb leaves it out).
//
// The PDB (~107 MB at scale 1: 2000 modules × 40 procedures with locals, lines and inline sites,
// 80 000 publics, 600 000 types) is written by the test PDB writer (test/synth/large-pdb.ts),
// once, into the system's temporary folder, and reused. Writing it takes seconds; compiling a
// program whose PDB is 100 MB with clang would take many minutes on this machine's two cores,
// and what matters here is the reader's access pattern over a real layout, which the writer's
// files have (LLVM 16 reads them whole: test/synth/pdb-builder.test.ts).
//
// Each measurement runs in a fresh child (`node bench/pdb.ts --measure FILE …`) so its peak RSS
// (process.resourceUsage().maxRSS) is its own; a child that loads the same code and reads
// nothing (`--idle`) gives the baseline. Two orders of lookups: "spread" — every address in a
// different module, the worst case — and "stack" — 64 addresses in 8 modules, as a crash's
// frames are. Times and memory are medians over the runs. It prints figures; it asserts nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ByteSource } from '../src/engine/io/byte-source.ts';
import { NodeFileSource } from '../src/engine/io/node-file-source.ts';
import { openPdb } from '../src/engine/pdb/open-pdb.ts';
import { buildPdb } from '../test/synth/pdb-builder.ts';
import { RecordingSource } from '../test/synth/recording-source.ts';
import { analyze } from '../src/engine/analyze.ts';
import { Uint8ArraySource } from '../src/engine/io/uint8array-source.ts';
import { contextX86 } from '../test/synth/context-writers.ts';
import { MinidumpBuilder } from '../test/synth/minidump-builder.ts';
import { LARGE_100MB, largePdbProbes, largePdbSpec, type LargePdbParams } from '../test/synth/large-pdb.ts';

const SELF = fileURLToPath(import.meta.url);
const CHILD_ENV = { ...process.env, NODE_COMPILE_CACHE: join(tmpdir(), 'dumpatlas-bench-compile-cache') };

interface Measured {
  ok: boolean;
  fileBytes: number;
  openMs: number;
  lookupsMs: number;
  openBytes: number;
  totalBytes: number;
  perLookupMaxBytes: number;
  perLookupMedianBytes: number;
  reads: number;
  wrong: string[];
  maxRssKiB: number;
  heapPeakBytes: number;
}

function scaled(scale: number): LargePdbParams {
  return { ...LARGE_100MB, modules: Math.round(LARGE_100MB.modules * scale), types: Math.round(LARGE_100MB.types * scale) };
}

/** The probes of one order: spread over all modules, or a crash's stack in 8 modules. */
function probesFor(p: LargePdbParams, order: string, count: number) {
  if (order === 'spread') return largePdbProbes(p, count, 11);
  const few = { ...p, modules: 8 };
  // The same formulas with module numbers spread out: module m of `few` is module m × step.
  const step = Math.floor(p.modules / 8);
  return largePdbProbes(few, count, 5).map((probe) => {
    const m = Number(/module(\d+)/.exec(probe.name)![1]) * step;
    const k = Number(/step(\d+)/.exec(probe.name)![1]);
    const rva = probe.rva - ((Number(/module(\d+)/.exec(probe.name)![1]) * p.procsPerModule + k) * 0x40) + (m * p.procsPerModule + k) * 0x40;
    const isPublic = m % p.noSymbolsEvery === p.noSymbolsEvery - 1;
    return {
      ...probe,
      rva,
      from: isPublic ? ('public' as const) : ('private' as const),
      name: isPublic ? `?step${k}@Worker@module${m}@app@@QEAAXXZ` : `app::module${m}::Worker::step${k}`,
      levels: isPublic ? 1 : probe.levels,
    };
  });
}

async function measureChild(file: string, order: string, lookups: number, scale: number): Promise<void> {
  const p = scaled(scale);
  const probes = probesFor(p, order, lookups);
  const source = await NodeFileSource.open(file);
  const counting = new RecordingSource(source);
  let heapPeak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 2);
  const t0 = performance.now();
  const pdb = await openPdb(counting);
  const t1 = performance.now();
  const openBytes = counting.bytesRead;
  const per: number[] = [];
  const wrong: string[] = [];
  for (const probe of probes) {
    const before = counting.bytesRead;
    const r = await pdb.lookup(probe.rva);
    per.push(counting.bytesRead - before);
    if (r === null || r.from !== probe.from || r.levels.length !== probe.levels || r.levels.at(-1)!.name !== probe.name) {
      wrong.push(`0x${probe.rva.toString(16)}: ${JSON.stringify(r?.levels.map((l) => l.name) ?? null)} (want ${probe.name})`);
    }
  }
  const t2 = performance.now();
  clearInterval(sampler);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  await source.close();
  const sorted = [...per].sort((a, b) => a - b);
  const out: Measured = {
    ok: wrong.length === 0 && pdb.warnings.length === 0,
    fileBytes: source.size,
    openMs: t1 - t0,
    lookupsMs: t2 - t1,
    openBytes,
    totalBytes: counting.bytesRead,
    perLookupMaxBytes: sorted.at(-1) ?? 0,
    perLookupMedianBytes: sorted[sorted.length >> 1] ?? 0,
    reads: counting.reads,
    wrong: [...wrong.slice(0, 3), ...pdb.warnings.slice(0, 3).map((w) => w.message)],
    maxRssKiB: process.resourceUsage().maxRSS,
    heapPeakBytes: heapPeak,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/**
 * A crash dump of the program the large PDB describes: an x86 process (the PDB's identity in the
 * module list's CodeView record) with one thread whose EBP chain returns into `frames` of the
 * "stack" probes, so every frame is named through the PDB, inline levels and lines included.
 */
function symbolizeDump(p: LargePdbParams, frames: number): Uint8Array {
  const base = 0x10000000;
  const probes = probesFor(p, 'stack', frames);
  const sp = 0x00800000;
  const stack = new Uint8Array(frames * 8 + 16);
  const v = new DataView(stack.buffer);
  // A return address is looked up at the byte before it: each one is a probe plus one.
  for (let k = 0; k < frames; k++) {
    v.setUint32(8 * k, sp + 8 * (k + 1), true);
    v.setUint32(8 * k + 4, k + 1 < frames ? base + probes[k + 1]!.rva + 1 : 0, true);
  }
  const size = 0x1000 + p.modules * p.procsPerModule * 0x40 + 0x20000;
  const b = new MinidumpBuilder({ memory: 'list' });
  b.systemInfo({ arch: 'x86', major: 10, minor: 0, build: 19045 });
  b.module({ name: 'C:\\build\\large.exe', base, size, codeView: { pdb: 'large.pdb', guid: '5A9832E5-2872-41C1-838E-D98914E9B7FF', age: 1 } });
  const context = contextX86({ eip: base + probes[0]!.rva, esp: sp, ebp: sp });
  b.thread({ id: 1, stack: { address: sp, bytes: stack }, context });
  b.exception({ threadId: 1, code: 0xc0000005, address: base + probes[0]!.rva, parameters: [0, 0], context });
  return b.build().bytes;
}

interface Symbolized {
  analyzeMs: number;
  /** CPU time (user + system) of analyze(): steadier than wall time on a busy machine. */
  cpuMs: number;
  pdbBytes: number;
  fileBytes: number;
  named: number;
  frames: number;
  maxRssKiB: number;
}

/** One analysis of the dump, with the PDB (`with`) or without it (the baseline). */
async function symbolizeChild(file: string, withPdb: boolean, frames: number, scale: number): Promise<void> {
  const dump = new Uint8ArraySource(symbolizeDump(scaled(scale), frames), 'large.dmp');
  const source = await NodeFileSource.open(file);
  const counting = new RecordingSource(new NamedSource(source, 'large.pdb'));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await analyze(dump, { detectors: [], catalog: {}, ...(withPdb ? { symbols: [counting] } : {}) });
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  await source.close();
  const thread = report.threads[0]!;
  const out: Symbolized = {
    analyzeMs: t1 - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    pdbBytes: counting.bytesRead,
    fileBytes: source.size,
    named: thread.frames.filter((f) => f.symbol !== null && !f.inline).length,
    frames: thread.frames.filter((f) => !f.inline).length,
    maxRssKiB: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/** The file under the name its module's CodeView record gives (the bench's temporary file is named otherwise). */
class NamedSource implements ByteSource {
  readonly inner: ByteSource;
  readonly name: string;
  constructor(inner: ByteSource, name: string) {
    this.inner = inner;
    this.name = name;
  }
  get size(): number {
    return this.inner.size;
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    return this.inner.read(offset, length);
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function child(args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, [SELF, ...args], { encoding: 'utf8', env: CHILD_ENV, maxBuffer: 1 << 24 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`bench/pdb.ts child failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const value = (flag: string, fallback: number): number => {
    const at = argv.indexOf(flag);
    return at >= 0 ? Number(argv[at + 1]) : fallback;
  };
  const lookups = value('--lookups', 64);
  const scale = value('--scale', 1);
  if (argv[0] === '--idle') {
    process.stdout.write(`${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`);
    return;
  }
  if (argv[0] === '--generate') {
    const file = argv[1]!;
    writeFileSync(`${file}.part`, buildPdb(largePdbSpec(scaled(scale))));
    renameSync(`${file}.part`, file);
    process.stdout.write('{}\n');
    return;
  }
  if (argv[0] === '--measure') {
    await measureChild(argv[1]!, argv[2]!, lookups, scale);
    return;
  }
  if (argv[0] === '--symbolize') {
    await symbolizeChild(argv[1]!, argv[2] === 'with', value('--frames', 64), scale);
    return;
  }
  const reps = value('--reps', 3);

  const file = join(tmpdir(), `dumpatlas-bench-${Math.round(scale * 100)}.pdb`);
  if (!existsSync(file)) {
    // In a child: writing holds the whole file in memory, and a parent that grew that large
    // would pass its peak RSS on to the children it measures (Linux keeps maxRSS over fork).
    const started = performance.now();
    child(['--generate', file, '--scale', String(scale)]);
    console.log(`wrote ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const size = statSync(file).size;
  const idle = median(Array.from({ length: reps }, () => Number(child(['--idle']).maxRssKiB)));
  console.log(`Node ${process.version}; PDB ${(size / 1e6).toFixed(1)} MB (${file}); ${reps} run(s) each, medians; memory is peak RSS above an idle child that loaded the same code (${(idle / 1024).toFixed(1)} MB).`);
  const head = ['order', 'open ms', `${lookups} lookups ms`, 'total ms', 'open KB', 'per lookup KB (median/max)', 'max %', 'all KB', 'all %', 'reads', 'RSS+ MB', 'heap MB', 'named'];
  console.log(head.join(' | '));
  for (const order of ['spread', 'stack']) {
    const runs = Array.from({ length: reps }, () => child(['--measure', file, order, '--lookups', String(lookups), '--scale', String(scale)]) as unknown as Measured);
    const m = (pick: (r: Measured) => number): number => median(runs.map(pick));
    const kb = (b: number): string => (b / 1024).toFixed(0);
    const pct = (b: number): string => ((100 * b) / size).toFixed(3);
    console.log(
      [
        order,
        m((r) => r.openMs).toFixed(1),
        m((r) => r.lookupsMs).toFixed(1),
        m((r) => r.openMs + r.lookupsMs).toFixed(1),
        kb(m((r) => r.openBytes)),
        `${kb(m((r) => r.perLookupMedianBytes))}/${kb(m((r) => r.perLookupMaxBytes))}`,
        pct(m((r) => r.perLookupMaxBytes)),
        kb(m((r) => r.totalBytes)),
        pct(m((r) => r.totalBytes)),
        String(m((r) => r.reads)),
        ((m((r) => r.maxRssKiB) - idle) / 1024).toFixed(1),
        (m((r) => r.heapPeakBytes) / 2 ** 20).toFixed(1),
        runs.every((r) => r.ok) ? 'all right' : `WRONG: ${runs.find((r) => !r.ok)!.wrong.join('; ')}`,
      ].join(' | '),
    );
  }
  console.log('Targets: < 5 % of the file per lookup, open + 64 lookups < 300 ms, < 100 MB above baseline.');

  // The whole engine: a crash dump whose 64 frames all lie in the module this PDB describes.
  const frames = 64;
  const sym = (mode: string): Symbolized[] => Array.from({ length: reps }, () => child(['--symbolize', file, mode, '--frames', String(frames), '--scale', String(scale)]) as unknown as Symbolized);
  const without = sym('without');
  const withPdb = sym('with');
  const ms = (runs: Symbolized[]): number => median(runs.map((r) => r.analyzeMs));
  const cpuMs = (runs: Symbolized[]): number => median(runs.map((r) => r.cpuMs));
  const rss = (runs: Symbolized[]): number => median(runs.map((r) => r.maxRssKiB));
  const read = median(withPdb.map((r) => r.pdbBytes));
  const named = Math.min(...withPdb.map((r) => r.named));
  console.log(`\nSymbolising a dump of ${frames} frames against it (analyze(), the dump in memory, the PDB read from disk):`);
  console.log(['', 'analyze ms', 'CPU ms', 'PDB read KB', 'PDB read %', 'peak RSS MB', 'frames named'].join(' | '));
  console.log(['without the PDB', ms(without).toFixed(1), cpuMs(without).toFixed(1), '0', '0', (rss(without) / 1024).toFixed(1), `${Math.min(...without.map((r) => r.named))}/${frames}`].join(' | '));
  console.log(['with the PDB', ms(withPdb).toFixed(1), cpuMs(withPdb).toFixed(1), (read / 1024).toFixed(0), ((100 * read) / size).toFixed(3), (rss(withPdb) / 1024).toFixed(1), `${named}/${frames}`].join(' | '));
  console.log(
    `Symbols add ${(ms(withPdb) - ms(without)).toFixed(1)} ms (${(cpuMs(withPdb) - cpuMs(without)).toFixed(1)} ms of CPU) and ${((rss(withPdb) - rss(without)) / 1024).toFixed(1)} MB of peak RSS, and read ${((100 * read) / size).toFixed(3)} % of the PDB.`,
  );
  console.log('Targets: < 5 % of the PDB read, < 300 ms added, < 100 MB above the analysis without it.');
}

await main();
