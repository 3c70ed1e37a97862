// The report's own bound: lists by count, the whole by its JSON size, the faulting thread and
// its stack kept first, every cut said in a warning and in `missing`.
import { describe, expect, it } from 'vitest';
import type { DumpModel, Frame, Thread } from '../../../src/engine/core/dump-model.ts';
import { emptyModel } from '../../../src/engine/core/empty-model.ts';
import { boundReportSize, jsonSize, MAX_REPORT_CHARS, MAX_WARNING_CHARS, REPORT_CAPS } from '../../../src/engine/report/report-size.ts';
import { DumpModel as DumpModelSchema } from '../../../src/engine/core/dump-model.ts';

function frame(index: number, symbol = `f${index}`): Frame {
  return { index, address: '0x401000', sp: '0x12ff00', retAddr: '0x401000', module: 'app', symbol, offset: '0x1c', trust: 'unwind-info' };
}

function thread(id: number, frames: number, o: Partial<Thread> = {}): Thread {
  return {
    id,
    ordinal: id,
    name: null,
    teb: null,
    suspendCount: null,
    frozen: null,
    priority: null,
    faulting: false,
    times: null,
    frames: Array.from({ length: frames }, (_, i) => frame(i)),
    framesNote: null,
    ...o,
  };
}

function model(o: Partial<DumpModel>): DumpModel {
  return { ...emptyModel('minidump', 'big.dmp', 1), ...o };
}

function withException(m: DumpModel, threadId: number): DumpModel {
  return { ...m, exception: { code: '0xc0000005', name: null, description: null, flags: '0x0', address: null, threadId, parameters: [], access: null, module: null, symbol: null, chance: null } };
}

describe('jsonSize', () => {
  it('is the length of compact JSON for values without escapes', () => {
    for (const v of [model({}), thread(1, 3), { a: [1, 'x', null, true, false, { b: -1.5 }], c: undefined }, [], {}, 'ab', 12345]) {
      expect(jsonSize(v)).toBe(JSON.stringify(v).length);
    }
  });
});

describe('boundReportSize', () => {
  it('returns the model itself when it is within every bound', () => {
    const m = model({ threads: [thread(1, 10)], modules: [{ name: 'a.dll', path: null, base: '0x1000', size: '0x1000', version: null, timestamp: null, pdb: null }] });
    expect(boundReportSize(m)).toBe(m);
  });

  it('one name shared by many handles: the JSON stays within the size bound, with a warning and a missing entry', () => {
    const name = 'n'.repeat(32 * 1024);
    const handles = Array.from({ length: 2000 }, (_, i) => ({ value: `0x${i.toString(16)}`, type: name, object: name }));
    const m = model({ handles });
    expect(jsonSize(m)).toBeGreaterThan(100 * 1024 * 1024);
    const b = boundReportSize(m);
    expect(JSON.stringify(b).length).toBeLessThanOrEqual(MAX_REPORT_CHARS);
    expect(b.handles!.length).toBeLessThan(2000);
    expect(b.handles!.length).toBeGreaterThan(300);
    expect(b.warnings.map((w) => w.kind)).toContain('cap-report');
    expect(b.missing).toContain('list entries past the report limit');
    expect(DumpModelSchema.safeParse(b).success).toBe(true);
  });

  it('keeps the faulting thread whatever its place, and its stack before the others', () => {
    const threads = Array.from({ length: REPORT_CAPS.threads + 5 }, (_, i) => thread(i + 1, 20));
    const last = threads.length;
    threads[last - 1] = thread(last, 60_000);
    const b = boundReportSize(withException(model({ threads }), last));
    expect(b.threads).toHaveLength(REPORT_CAPS.threads);
    const faulting = b.threads.find((t) => t.id === last)!;
    expect(faulting.frames).toHaveLength(60_000);
    const frames = b.threads.reduce((n, t) => n + t.frames.length, 0);
    expect(frames).toBeLessThanOrEqual(REPORT_CAPS.frames + REPORT_CAPS.threads);
    expect(b.threads.every((t) => t.frames.length >= 1)).toBe(true);
    expect(b.threads.filter((t) => t.framesNote?.includes("report's limit")).length).toBeGreaterThan(0);
    expect(b.warnings.map((w) => w.kind)).toEqual(expect.arrayContaining(['cap-threads', 'cap-frames']));
  });

  it('cuts modules, annotations and warnings by count, and long warning messages', () => {
    const modules = Array.from({ length: REPORT_CAPS.modules + 10 }, (_, i) => ({ name: `m${i}.dll`, path: null, base: '0x1000', size: '0x1000', version: null, timestamp: null, pdb: null }));
    const annotations = Object.fromEntries(Array.from({ length: REPORT_CAPS.annotations + 1 }, (_, i) => [`K${i}`, 'v']));
    const warnings = Array.from({ length: REPORT_CAPS.warnings + 50 }, (_, i) => ({ kind: 'line-too-long' as const, message: i === 0 ? 'x'.repeat(100_000) : `w${i}` }));
    const b = boundReportSize(model({ modules, annotations, warnings }));
    expect(b.modules).toHaveLength(REPORT_CAPS.modules);
    expect(Object.keys(b.annotations)).toHaveLength(REPORT_CAPS.annotations);
    expect(b.warnings[0]!.message.length).toBeLessThanOrEqual(MAX_WARNING_CHARS);
    expect(b.warnings.length).toBeLessThanOrEqual(REPORT_CAPS.warnings + 5);
    expect(b.warnings.some((w) => /51 more warnings were not kept/.test(w.message))).toBe(true);
  });

  it('a model too big in its stacks alone keeps frame 0 of every thread and the faulting stack', () => {
    const long = 'S'.repeat(4000);
    const threads = Array.from({ length: 2000 }, (_, i) => thread(i + 1, 50, { frames: Array.from({ length: 50 }, (_, j) => frame(j, long)) }));
    const b = boundReportSize(withException(model({ threads }), 7));
    expect(JSON.stringify(b).length).toBeLessThanOrEqual(MAX_REPORT_CHARS);
    expect(b.threads.find((t) => t.id === 7)!.frames).toHaveLength(50);
    expect(b.threads.every((t) => t.frames.length >= 1)).toBe(true);
  });
});
