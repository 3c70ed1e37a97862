// The time budget and cancellation. The clock is injected, so running out of time is exact and
// the tests do not depend on how fast the machine is.
import { describe, expect, it } from 'vitest';
import { MinidumpBuilder } from '../synth/minidump-builder.ts';
import { contextX86 } from '../synth/context-writers.ts';
import { analyzeText } from '../../src/engine/analyze.ts';
import { Budget, DEFAULT_BUDGET_MS } from '../../src/engine/core/budget.ts';
import { DumpError } from '../../src/engine/core/errors.ts';
import { detectorsAndCatalog, errorOf, fixture, reportOf } from './support.ts';

/** A clock that moves one millisecond each time it is read. */
function ticking(): () => number {
  let t = 0;
  return () => t++;
}

/** Five x86 threads, each with a 248-frame ladder of frame pointers to walk. */
function fiveThreads(): Uint8Array {
  const b = new MinidumpBuilder().systemInfo({ arch: 'x86', major: 10, minor: 0, build: 19045 }).module({ name: 'app.exe', base: 0x400000, size: 0x10000 });
  for (let t = 0; t < 5; t++) {
    const base = 0x100000 * (t + 1);
    const stack = new Uint8Array(0x800);
    const v = new DataView(stack.buffer);
    for (let i = 16; i + 3 < 0x200; i += 2) {
      v.setUint32(i * 4, base + (i + 2) * 4, true);
      v.setUint32(i * 4 + 4, 0x401234, true);
    }
    b.thread({ id: 10 + t, stack: { address: base, bytes: stack }, context: contextX86({ eip: 0x401000, esp: base + 0x10, ebp: base + 0x40 }) });
  }
  return b.build().bytes;
}

/** A dump of `n` modules, `n` handles and `n` unloaded modules, each with its own name string. */
function manyRecords(n: number): Uint8Array {
  const b = new MinidumpBuilder().systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19041 });
  for (let i = 0; i < n; i++) {
    b.module({ name: `C:\\app\\m${i}.dll`, base: 0x10000000n + BigInt(i) * 0x10000n, size: 0x10000, codeView: { pdb: `m${i}.pdb`, guid: '01234567-89ab-cdef-0123-456789abcdef', age: 1 } });
    b.handle({ handle: 4 * (i + 1), typeName: 'Event', objectName: `\\BaseNamedObjects\\e${i}` });
    b.unloadedModule({ name: `C:\\gone\\u${i}.dll`, base: 0x70000000n + BigInt(i) * 0x10000n, size: 0x1000 });
  }
  return b.build().bytes;
}

describe('the time budget', () => {
  it('is 20 s in the shells and none by default', () => {
    expect(DEFAULT_BUDGET_MS).toBe(20_000);
    expect(new Budget().budgetMs).toBeNull();
    expect(new Budget({ budgetMs: Infinity }).budgetMs).toBeNull();
    const b = new Budget({ budgetMs: 5, now: ticking() });
    expect([b.expired, b.expired, b.expired, b.expired]).toEqual([false, false, false, false]);
    expect(b.expired).toBe(true);
    expect(b.expired).toBe(true);
  });

  it('a dump out of time: a report with what was walked, the rest listed and said so', async () => {
    const r = await reportOf(fiveThreads(), 'slow.dmp', { budgetMs: 200, now: ticking() });
    const unwalked = r.threads.filter((t) => t.framesNote === 'not walked: the analysis ran out of time');
    const cut = r.threads.filter((t) => t.framesNote === 'stopped: the analysis ran out of time');
    expect(r.threads.map((t) => t.id)).toEqual([10, 11, 12, 13, 14]);
    expect(cut).toHaveLength(1);
    expect(unwalked.length).toBeGreaterThan(0);
    expect(unwalked.every((t) => t.frames.length === 0)).toBe(true);
    expect(r.threads[0]!.frames.length).toBeGreaterThan(10);
    expect(r.warnings).toContainEqual({
      kind: 'cap-time',
      message: `the analysis stopped after 200 ms (its time budget); the stacks of ${unwalked.length} of 5 threads were not walked`,
    });
    expect(r.missing).toContain('stacks past the time budget');
  });

  it('with no budget the same dump is walked whole, however slow the clock', async () => {
    let t = 0;
    const r = await reportOf(fiveThreads(), 'slow.dmp', { now: () => (t += 1e9) });
    expect(r.threads.map((th) => th.frames.length)).toEqual([248, 248, 248, 248, 248]);
    expect(r.warnings.some((w) => w.kind === 'cap-time')).toBe(false);
  });

  it('a text out of time: the lines read so far make the report', async () => {
    const log = new TextDecoder().decode(fixture('windbg/x64-access-violation.txt'));
    const text = log + '\n' + 'prose\n'.repeat(100_000);
    const { detectors, catalog } = await detectorsAndCatalog();
    const r = await analyzeText(text, 'long.txt', { detectors, catalog, budgetMs: 10, now: ticking() });
    const w = r.warnings.find((x) => x.kind === 'cap-time')!;
    const m = /^the analysis stopped after 10 ms \(its time budget\); only the first (\d+) of (\d+) lines were read$/.exec(w.message);
    expect(m).not.toBeNull();
    // The clock is read by work done (work-meter.ts), so the text stops somewhere inside it.
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(Number(m![1])).toBeLessThan(Number(m![2]));
    expect(Number(m![2])).toBe(text.split('\n').length);
    expect(r.missing).toContain('text past the time budget');
    // The log came first, so what it says is in the report.
    expect(r.exception?.code).toBe('0xc0000005');
  });
});

describe('cancellation', () => {
  it('an aborted signal ends a dump, a text file and pasted text with DumpError(cancelled)', async () => {
    const signal = AbortSignal.abort();
    for (const [bytes, name] of [
      [fiveThreads(), 'a.dmp'],
      [fixture('windbg/x64-access-violation.txt'), 'a.txt'],
    ] as const) {
      const err = await errorOf(bytes, name, { signal });
      expect([err.kind, err.message]).toEqual(['cancelled', 'the analysis was cancelled']);
    }
    const { detectors, catalog } = await detectorsAndCatalog();
    await expect(analyzeText('0:000> k\n', 'p.txt', { detectors, catalog, signal })).rejects.toThrow(new DumpError('cancelled', 'the analysis was cancelled'));
  });

  it('aborting while stacks are walked stops the analysis', async () => {
    const controller = new AbortController();
    const stages: string[] = [];
    const err = await errorOf(fiveThreads(), 'b.dmp', {
      signal: controller.signal,
      onProgress: ({ stage }) => {
        stages.push(stage);
        if (stage === 'Walking stacks') controller.abort();
      },
    });
    expect(err.kind).toBe('cancelled');
    expect(stages.filter((s) => s === 'Walking stacks')).toHaveLength(1);
  });
});

describe('the time budget in the minidump lists whose every record costs reads', () => {
  it('modules, unloaded modules and handles stop where it runs out, and the report says so', async () => {
    const n = 3000;
    const r = await reportOf(manyRecords(n), 'many.dmp', { budgetMs: 4, now: ticking() });
    const cut = r.warnings.filter((w) => w.kind === 'cap-time').map((w) => w.message);
    expect(cut.some((m) => /ModuleListStream: only the first \d+ modules were read/.test(m)), cut.join('\n')).toBe(true);
    expect(r.modules.length).toBeLessThan(n);
    expect(r.modules.length % 256).toBe(0);
    expect(r.missing).toContain('records past the time budget');
  });

  it('with time to spare, every record is read', async () => {
    const r = await reportOf(manyRecords(600), 'many.dmp', { budgetMs: 1_000_000, now: ticking() });
    expect([r.modules.length, r.unloadedModules.length, r.handles?.length]).toEqual([600, 600, 600]);
    expect(r.missing).not.toContain('records past the time budget');
  });
});
