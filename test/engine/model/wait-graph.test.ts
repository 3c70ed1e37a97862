// The wait graph (src/engine/model/wait-graph.ts): cycles, chains, their heads, and the threads
// queued behind a cycle, from links alone. And the one cycle no Wine fixture shows: a critical
// section and a mutex in one ring, which is Deadlock (Mixed Objects, User Space).
import { describe, expect, it } from 'vitest';
import type { WaitLink } from '../../../src/engine/core/dump-model.ts';
import { emptyModel } from '../../../src/engine/core/empty-model.ts';
import { buildWaitGraph } from '../../../src/engine/model/wait-graph.ts';
import mixed from '../../../src/detectors/deadlock-mixed-objects-user-space.ts';
import criticalSections from '../../../src/detectors/deadlock-critical-sections.ts';

function cs(threadId: number, owner: number | null, address = '0x1000'): WaitLink {
  return { threadId, view: 'native', on: { kind: 'critical-section', address, handle: null, name: null, record: 0 }, ownerThreadId: owner, ownerProcessId: null, frames: [0, 1], source: 'memory' };
}
function handle(threadId: number, kind: 'mutex' | 'thread' | 'process' | 'event', owner: number | null, process: number | null = null): WaitLink {
  return { threadId, view: 'native', on: { kind, address: null, handle: '0x44', name: null, record: 0 }, ownerThreadId: owner, ownerProcessId: process, frames: [0, 1], source: 'handle-data' };
}
const ids = (...n: number[]) => new Set(n);

describe('buildWaitGraph', () => {
  it('gives nothing for no links', () => {
    expect(buildWaitGraph([], ids(1))).toBeUndefined();
  });
  it('finds a ring and the threads queued behind it, which start no chain', () => {
    const g = buildWaitGraph([cs(1, 2), cs(2, 1), cs(3, 1)], ids(1, 2, 3))!;
    expect(g.cycles).toEqual([[0, 1]]);
    expect(g.chains).toEqual([]);
    expect(g.head).toBeNull();
  });
  it('follows a chain to its head, and names what the head waits on when nobody owns it', () => {
    const g = buildWaitGraph([cs(3, 2), cs(2, 1), handle(1, 'event', null)], ids(1, 2, 3))!;
    expect(g.cycles).toEqual([]);
    expect(g.chains).toEqual([{ links: [0, 1], head: { threadId: 1, processId: null, inDump: true, waitsOn: g.links[2]!.on } }]);
    expect(g.head).toBe(g.chains[0]!.head);
  });
  it('puts the longest chain first and makes its head the graph’s', () => {
    const g = buildWaitGraph([cs(9, 8), cs(3, 2), cs(2, 1)], ids(1, 2, 3, 8, 9))!;
    expect(g.chains.map((c) => [c.links, c.head.threadId])).toEqual([
      [[1, 2], 1],
      [[0], 8],
    ]);
    expect(g.head?.threadId).toBe(1);
  });
  it('lets a chain leave the process: a process handle, or an owner no thread of the dump has', () => {
    const out = buildWaitGraph([handle(1, 'process', null, 0x200)], ids(1))!;
    expect(out.head).toEqual({ threadId: null, processId: 0x200, inDump: false, waitsOn: null });
    const through = buildWaitGraph([cs(2, 1), handle(1, 'process', null, 0x200)], ids(1, 2))!;
    expect(through.chains).toEqual([{ links: [0, 1], head: { threadId: null, processId: 0x200, inDump: false, waitsOn: null } }]);
    const gone = buildWaitGraph([handle(2, 'mutex', 7)], ids(2))!;
    expect(gone.head).toEqual({ threadId: 7, processId: null, inDump: false, waitsOn: null });
  });
  it('ignores a link to the waiter itself', () => {
    const g = buildWaitGraph([cs(1, 1)], ids(1))!;
    expect(g.cycles).toEqual([]);
    expect(g.chains).toEqual([]);
  });
});

describe('a ring of a critical section and a mutex', () => {
  const model = emptyModel('minidump', 'mixed.dmp', 0);
  const frames = [0, 1].map((index) => ({ index, address: '0x1000', sp: null, retAddr: null, module: 'ntdll', symbol: null, offset: null, trust: 'unwind-info' as const }));
  model.threads = [1, 2].map((id, ordinal) => ({ id, ordinal, name: null, teb: null, suspendCount: 0, frozen: null, priority: 0, faulting: false, times: null, frames, framesNote: null }));
  model.waitGraph = buildWaitGraph([cs(1, 2, '0x140007040'), handle(2, 'mutex', 1)], ids(1, 2));
  it('is Deadlock (Mixed Objects, User Space), certain', () => {
    const [f] = mixed.detect(model);
    expect(f).toMatchObject({ confidence: 'certain', messageId: 'cycle', data: { threads: '2 threads', objects: '1 critical section and 1 mutex', links: 2 } });
  });
  it('is not Deadlock (Critical Sections)', () => {
    expect(criticalSections.detect(model)).toEqual([]);
  });
  it('is only likely when a link rests on frames found by scanning', () => {
    const scanned = structuredClone(model);
    scanned.threads[1]!.frames = scanned.threads[1]!.frames.map((f) => ({ ...f, trust: 'scan' as const }));
    expect(mixed.detect(scanned)[0]?.confidence).toBe('likely');
  });
});
