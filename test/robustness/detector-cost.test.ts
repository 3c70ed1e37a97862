// The passes after reading — bounding the report and every detector — over the largest model
// the readers and the report's caps allow: each must cost what the model holds (linear in its
// threads, frames, modules, handles, locks), never its square. They poll no budget (a report is
// always built), so this is their bound. Frames name the functions the detectors look for
// (waits, raises, heap calls, breakpoints), so every search runs over them, and stacks repeat
// one return address, as recursion does.
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/engine/analyze.ts';
import type { DumpModel, Frame, Thread } from '../../src/engine/core/dump-model.ts';
import { emptyModel } from '../../src/engine/core/empty-model.ts';
import { superLinearAt } from './growth.ts';
import { detectorsAndCatalog } from './support.ts';

const SYMBOLS: [string, string][] = [
  ['ntdll', 'KiUserExceptionDispatcher'],
  ['ntdll', 'RtlDispatchException'],
  ['KERNELBASE', 'RaiseException'],
  ['ntdll', 'RtlEnterCriticalSection'],
  ['ntdll', 'NtWaitForSingleObject'],
  ['KERNELBASE', 'WaitForSingleObjectEx'],
  ['ntdll', 'NtWaitForMultipleObjects'],
  ['ntdll', 'RtlAllocateHeap'],
  ['ntdll', 'RtlFreeHeap'],
  ['ntdll', 'DbgBreakPoint'],
  ['ntdll', 'DbgUiRemoteBreakin'],
  ['VCRUNTIME140', '_CxxThrowException'],
  ['app', 'Recurse'],
  ['app', 'main'],
  ['kernel32', 'BaseThreadInitThunk'],
  ['ntdll', 'RtlUserThreadStart'],
];

/** Frames land in loaded modules, in unloaded ones and in no module, by turns. */
function frameAddress(i: number, t: number): number {
  const k = (i * 31 + t) % 1000;
  return i % 3 === 0 ? 0x10000000 + k * 0x10000 + 0x1000 : i % 3 === 1 ? 0x70000000 + k * 0x10000 + 0x10 : 0x401000 + (i % 7) * 0x10;
}

function frame(i: number, t: number): Frame {
  const [module, symbol] = SYMBOLS[(i + t) % SYMBOLS.length]!;
  const sp = 0x100000 + t * 0x100000 + i * 0x40;
  return { index: i, address: `0x${frameAddress(i, t).toString(16)}`, sp: `0x${sp.toString(16)}`, retAddr: '0x401010', module, symbol, offset: '0x1c', trust: i % 3 === 0 ? 'scan' : 'unwind-info' };
}

function thread(t: number, frames: number): Thread {
  return {
    id: 100 + t,
    ordinal: t,
    name: t % 5 === 0 ? `worker ${t}` : null,
    teb: null,
    suspendCount: 1,
    frozen: null,
    priority: 0,
    faulting: t === 0,
    times: { created: '2024-01-01T00:00:00.000Z', userSeconds: t % 97, kernelSeconds: 1 },
    frames: Array.from({ length: frames }, (_, i) => frame(i, t)),
    framesNote: null,
    registers: { rip: '0x401000', rsp: `0x${(0x100000 + t * 0x100000).toString(16)}` },
  };
}

/** A model of `n` of everything: n threads of 8 frames, one more thread of n frames, n modules and unloaded modules, n handles, n locks. */
function bigModel(n: number): DumpModel {
  const m = emptyModel('windbg-text', 'big.txt', n);
  m.system = { ...m.system, platform: 'windows', arch: 'amd64', os: 'Windows 10', cpuCount: 8 };
  m.exception = { code: '0xc00000fd', name: 'STATUS_STACK_OVERFLOW', description: null, flags: '0x0', address: '0x401000', threadId: 100, parameters: ['0x1', '0x0'], access: { kind: 'write', address: '0x0' }, module: 'app', symbol: 'Recurse', chance: 'second' };
  m.threads = [thread(0, n), ...Array.from({ length: n }, (_, t) => thread(t + 1, 8))];
  m.modules = Array.from({ length: n }, (_, i) => ({ name: i % 2 ? `m${i}.dll` : 'ntdll.dll', path: null, base: `0x${(0x10000000 + i * 0x10000).toString(16)}`, size: '0x10000', version: null, timestamp: null, pdb: null }));
  m.unloadedModules = Array.from({ length: n }, (_, i) => ({ name: `gone${i}.dll`, path: null, base: `0x${(0x70000000 + i * 0x10000).toString(16)}`, size: '0x1000', version: null, timestamp: null, pdb: null, unloaded: true }));
  m.handles = Array.from({ length: n }, (_, i) => ({ value: `0x${(4 * i + 4).toString(16)}`, type: i % 2 ? 'Event' : 'Mutant', object: `\\BaseNamedObjects\\o${i}` }));
  m.locks = Array.from({ length: n }, (_, i) => ({ address: `0x${(0x7000000 + i * 0x40).toString(16)}`, name: null, ownerThreadId: 100 + ((i * 7) % (n + 1)), lockCount: 2, recursionCount: 1, contention: 3 }));
  return m;
}

describe('the passes after reading, over the largest models', () => {
  it('bounding the report and running every detector cost what the model holds', async () => {
    const { detectors, catalog } = await detectorsAndCatalog();
    const models = new Map<number, DumpModel>();
    const model = (n: number): DumpModel => models.get(n) ?? models.set(n, bigModel(n)).get(n)!;
    // A record is far more than a character of text: the absolute bound is 100 ms per 1,000.
    const found = superLinearAt((n) => buildReport(model(n), { detectors, catalog }, 0), { lengths: [1000, 4000, 16000], fixedMs: 200, perKiMs: 100 });
    expect(found?.why ?? null).toBeNull();
  }, 120_000);

  it('a report of the largest model is built and bounded', async () => {
    const { detectors, catalog } = await detectorsAndCatalog();
    const r = buildReport(bigModel(100_000), { detectors, catalog }, 0);
    expect(r.analysis.detectorErrors).toEqual([]);
    expect(r.threads.length).toBeLessThanOrEqual(10_000);
    expect(r.findings.length).toBeGreaterThan(0);
  }, 120_000);
});
