// The fuzzer's own parts: cases reproduce from (seed, index), the layout finds what the
// structured mutators aim at, and the checker really fails what it must fail.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { makeCase } from '../../fuzz/cases.ts';
import { refusalProblem, reportProblem } from '../../fuzz/check.ts';
import { loadCorpus, SLICE_SEEDS } from '../../fuzz/corpus.ts';
import { contextArch, Cpu, dumpLayout, StreamType } from '../../fuzz/minidump-layout.ts';
import { DUMP_MUTATORS, TEXT_MUTATORS } from '../../fuzz/mutators.ts';
import { createRng } from '../../fuzz/rng.ts';
import { analyzeText } from '../../src/engine/analyze.ts';
import { DumpError } from '../../src/engine/core/errors.ts';

const corpus = loadCorpus(SLICE_SEEDS);

describe('cases', () => {
  it('rebuilds a case bit for bit from its seed and index', () => {
    for (const index of [0, 1, 17, 499]) {
      const a = makeCase(corpus, 42, index);
      const b = makeCase(corpus, 42, index);
      expect(b.mutations).toEqual(a.mutations);
      expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
    }
    expect(makeCase(corpus, 42, 3).mutations).not.toEqual(makeCase(corpus, 43, 3).mutations);
  });

  it('loads every slice seed', () => {
    expect(corpus.map((s) => s.path)).toEqual(SLICE_SEEDS);
    expect(corpus.filter((s) => s.kind === 'dump')).toHaveLength(12);
    expect(corpus.filter((s) => s.kind === 'symbols').map((s) => s.symbols!.map((f) => f.name))).toEqual([['inline-crash.pdb'], ['test_app.sym', 'kernel32.sym']]);
  });

  it('symbol cases damage one symbol file and keep the dump and images as they are', () => {
    const seeds = corpus.filter((s) => s.kind === 'symbols');
    let seen = 0;
    for (let i = 0; i < 400 && seen < 20; i++) {
      const c = makeCase(corpus, 3, i);
      const seed = seeds.find((s) => s.path === c.from);
      if (!seed) continue;
      seen++;
      expect(Buffer.from(c.bytes).equals(Buffer.from(seed.bytes))).toBe(true);
      const changed = c.symbols!.filter((f, k) => !Buffer.from(f.bytes).equals(Buffer.from(seed.symbols![k]!.bytes)));
      expect(changed.length).toBeLessThanOrEqual(1);
      expect(c.mutations[0]).toMatch(/^(inline-crash\.pdb|test_app\.sym|kernel32\.sym): (pdb|sym)-/);
    }
    expect(seen).toBeGreaterThan(5);
  });

  it('leaves the heavy mutators out of light cases', () => {
    const heavy = [...DUMP_MUTATORS, ...TEXT_MUTATORS].filter((m) => m.heavy).map((m) => m.name);
    expect(heavy).toEqual(expect.arrayContaining(['many-threads', 'many-short-lines', 'deep-stack']));
    for (let i = 0; i < 300; i++) {
      const c = makeCase(corpus, 9, i, { heavy: false });
      for (const m of c.mutations) expect(heavy.some((h) => m.startsWith(`${h}:`)), m).toBe(false);
    }
  });
});

describe('minidump layout', () => {
  const bytes = new Uint8Array(readFileSync(new URL('../../fixtures/corpus/breakpad/minidump2.dmp', import.meta.url)));
  const layout = dumpLayout(bytes)!;

  it('finds the directory, the threads, the memory list and the CPU of minidump2.dmp', () => {
    // Breakpad's minidump_dump listing of this file (fixtures/corpus/breakpad/minidump2.dump.out).
    expect(layout.streamCount).toBe(layout.streams.length);
    expect(layout.streams.map((s) => s.type)).toEqual(expect.arrayContaining([StreamType.ThreadList, StreamType.ModuleList, StreamType.MemoryList, StreamType.Exception, StreamType.SystemInfo]));
    expect(layout.threads.map((t) => t.id)).toEqual([0xbf4, 0x11c0]);
    expect(layout.threads[1]).toMatchObject({ stackRva: 0x231d, stackSize: 0x918 });
    expect(layout.memory).toHaveLength(3);
    expect(layout.cpu).toBe(Cpu.x86);
    expect(contextArch(layout.cpu, layout.threads[0]!.contextSize)).toBe('x86');
    expect(layout.boundaries).toContain(layout.directoryRva + 12 * layout.streamCount);
    expect(layout.boundaries).toContain(0x231d + 0x918);
  });

  it('is null for what is not a minidump', () => {
    expect(dumpLayout(new TextEncoder().encode('0:000> k\n'.repeat(10)))).toBeNull();
    expect(dumpLayout(bytes.subarray(0, 31))).toBeNull();
  });

  it('aims the directory lie at a directory entry', () => {
    const lie = DUMP_MUTATORS.find((m) => m.name === 'directory-lie')!;
    const input = { bytes: bytes.slice(), layout };
    const said = lie.apply(input, createRng(3), corpus);
    const changed = [...input.bytes.keys()].filter((i) => input.bytes[i] !== bytes[i]);
    expect(changed.length).toBeGreaterThan(0);
    const dirEnd = layout.directoryRva + 12 * layout.streamCount;
    for (const i of changed) expect(i >= layout.directoryRva && i < dirEnd, said).toBe(true);
  });

  it('writes a frame-pointer cycle into a thread\'s stack and context', () => {
    const cycle = DUMP_MUTATORS.find((m) => m.name === 'cyclic-frame-chain')!;
    const input = { bytes: bytes.slice(), layout };
    const said = cycle.apply(input, createRng(11), corpus);
    expect(said).toMatch(/^thread 0x[0-9a-f]+ \(x86\): (self|pair|down|ladder) frame-pointer chain at 0x[0-9a-f]+$/);
    const t = layout.threads.find((th) => said.startsWith(`thread 0x${th.id.toString(16)} `))!;
    const view = new DataView(input.bytes.buffer);
    const ebp = view.getUint32(t.contextRva + 0xb4, true);
    // EBP now points into the thread's captured stack.
    expect(ebp).toBeGreaterThanOrEqual(Number(t.stackStart));
    expect(ebp).toBeLessThan(Number(t.stackStart) + t.stackSize);
  });
});

describe('the checker', () => {
  it('fails any exception that is not a DumpError', () => {
    expect(refusalProblem(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(
      "threw TypeError: Cannot read properties of undefined (reading 'x')",
    );
    expect(refusalProblem(new RangeError('Invalid array length\n    at foo'))).toBe('threw RangeError: Invalid array length');
    expect(refusalProblem('a string')).toBe('threw string: a string');
  });

  it('fails a DumpError whose message is not one short line', () => {
    expect(refusalProblem(new DumpError('corrupt', 'first\nsecond'))).toMatch(/^DumpError\(corrupt\) message spans lines/);
    expect(refusalProblem(new DumpError('corrupt', ''))).toBe('DumpError(corrupt) with an empty message');
    expect(refusalProblem(new DumpError('corrupt', 'x'.repeat(301)))).toMatch(/^DumpError\(corrupt\) message is 301 characters/);
    expect(refusalProblem(new DumpError('truncated', 'crash.dmp: stream directory lies past the end of the file'))).toBeNull();
  });

  it('fails a report the schema rejects, one that JSON cannot carry, and one hiding an internal error', async () => {
    const report = await analyzeText('(1a2c.1b30): Access violation - code c0000005 (first chance)\n', 'av.txt', { detectors: [], catalog: {}, now: () => 0 });
    expect(reportProblem(report)).toBeNull();
    expect(reportProblem({ ...report, threads: [{ id: -1 }] })).toMatch(/^report fails the schema at threads\.0\./);
    expect(reportProblem({ ...report, process: { ...report.process, pid: 2 ** 60 } })).toMatch(/^report fails the schema at process\.pid/);
    const withInternal = { ...report, warnings: [{ kind: 'thread-internal-error', message: 'thread 1 (0x1): boom' }] };
    expect(reportProblem(withInternal)).toBe('internal error survived as a warning: thread 1 (0x1): boom');
  });
});
