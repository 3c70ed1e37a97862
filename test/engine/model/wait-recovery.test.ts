// Wait recovery (src/engine/model/minidump/wait-recovery.ts) on hand-made threads: where a
// waiting thread's section or handle is looked for on Windows x64 and x86 layouts (Wine's is
// covered by the real dumps in the pattern cases), and that only a candidate that validates,
// alone, is used.
import { describe, expect, it } from 'vitest';
import { emptyModel } from '../../../src/engine/core/empty-model.ts';
import type { DumpModel, Frame, Thread } from '../../../src/engine/core/dump-model.ts';
import { recoverWaits } from '../../../src/engine/model/minidump/wait-recovery.ts';
import type { RecordedWalks } from '../../../src/engine/model/minidump/threads.ts';
import { debugRecord, memoryOf, section } from './support/section-memory.ts';

function frame(index: number, module: string, symbol: string | null): Frame {
  return { index, address: `0x${(0x1000 + index).toString(16)}`, sp: null, retAddr: null, module, symbol, offset: '0x14', trust: index === 0 ? 'context' : 'unwind-info' };
}

function thread(id: number, ordinal: number, frames: Frame[]): Thread {
  return { id, ordinal, name: null, teb: null, suspendCount: 0, frozen: null, priority: 0, faulting: false, times: null, frames, framesNote: null };
}

const CS_STACK_X64 = [
  frame(0, 'ntdll', 'NtWaitForAlertByThreadId'),
  frame(1, 'ntdll', 'RtlpWaitOnCriticalSection'),
  frame(2, 'ntdll', 'RtlpEnterCriticalSectionContended'),
  frame(3, 'ntdll', 'RtlEnterCriticalSection'),
  frame(4, 'app', 'Journal::Append'),
];

function model(threads: Thread[], arch: DumpModel['system']['arch'] = 'amd64'): DumpModel {
  const m = emptyModel('minidump', 'hand-made.dmp', 0);
  m.system.arch = arch;
  m.process.pid = 0x100;
  m.threads = threads;
  return m;
}

/** A walk whose frame i sits at sp0 + 0x40 i, with the given registers per frame. */
function walk(bits: 32 | 64, sp0: bigint, regs: Record<string, bigint>[], frames = 5): RecordedWalks {
  const out = [];
  for (let i = 0; i < frames; i++) out.push({ sp: sp0 + BigInt(0x40 * i), registers: regs[i] ?? {} });
  return { native: { bits, frames: out } };
}

const names = () => null;
const SECTION_A = 0x140007040n;
const SECTION_B = 0x140007080n;
const DEBUG_A = 0x346100n;
const DEBUG_B = 0x346140n;

describe('critical sections, Windows x64 layout', () => {
  const sections = (ownerA: bigint, ownerB: bigint, waitersB = 1): [bigint, Uint8Array][] => [
    [SECTION_A, section(64, { debugInfo: DEBUG_A, lockCount: -6, recursion: 1, owner: ownerA })],
    [SECTION_B, section(64, { debugInfo: DEBUG_B, lockCount: waitersB > 0 ? -6 : -2, recursion: 1, owner: ownerB })],
    [DEBUG_A, debugRecord(64, SECTION_A)],
    [DEBUG_B, debugRecord(64, SECTION_B)],
    [0x2000n, new Uint8Array(0x200)],
  ];

  it('finds the section in a non-volatile register the walk recovered at the contended frame', async () => {
    const m = model([thread(0x10, 0, CS_STACK_X64), thread(0x20, 1, [frame(0, 'app', 'Work')])]);
    const walks = new Map([[0x10, walk(64, 0x2000n, [{ rip: 0x1000n, rsp: 0x2000n }, {}, { rbx: SECTION_A }])]]);
    const found = await recoverWaits(m, memoryOf(sections(0x20n, 0x20n)), walks, names);
    expect(found.links).toEqual([
      {
        threadId: 0x10,
        view: 'native',
        on: { kind: 'critical-section', address: '0x140007040', handle: null, name: null, record: 0 },
        ownerThreadId: 0x20,
        ownerProcessId: null,
        frames: [0, 1, 2, 3, 4],
        source: 'memory',
      },
    ]);
    expect(found.locks).toEqual([{ address: '0x140007040', name: null, ownerThreadId: 0x20, lockCount: 1, recursionCount: 1, contention: 7, source: 'memory', debugInfo: '0x346100' }]);
  });

  it('leaves out the section the waiter owns itself, and takes the one another thread owns', async () => {
    const m = model([thread(0x10, 0, CS_STACK_X64), thread(0x20, 1, [frame(0, 'app', 'Work')])]);
    const walks = new Map([[0x10, walk(64, 0x2000n, [{}, { rdi: SECTION_B }, { rbx: SECTION_A }])]]);
    const found = await recoverWaits(m, memoryOf(sections(0x20n, 0x10n)), walks, names);
    expect(found.links.map((l) => l.on.address)).toEqual(['0x140007040']);
  });

  it('takes a section from a stack slot, and says so when two are in reach and equally likely', async () => {
    const m = model([thread(0x10, 0, CS_STACK_X64), thread(0x20, 1, []), thread(0x30, 2, [])]);
    const mem = sections(0x20n, 0x30n);
    const stack = mem.find(([a]) => a === 0x2000n)![1];
    new DataView(stack.buffer).setBigUint64(0x88, SECTION_B, true);
    const one = await recoverWaits(m, memoryOf(mem), new Map([[0x10, walk(64, 0x2000n, [])]]), names);
    expect(one.links.map((l) => [l.on.address, l.ownerThreadId])).toEqual([['0x140007080', 0x30]]);

    new DataView(stack.buffer).setBigUint64(0x90, SECTION_A, true);
    const two = await recoverWaits(m, memoryOf(mem), new Map([[0x10, walk(64, 0x2000n, [])]]), names);
    expect(two.links).toEqual([]);
    expect(two.unresolvedSections).toBe(1);
    expect(two.warnings[0]).toMatchObject({ kind: 'wait-unresolved' });
    expect(two.warnings[0]!.message).toMatch(/2 different locked sections are within reach/);
  });

  it('refuses a candidate whose debug record does not point back, and a stack value that only looks like one', async () => {
    const m = model([thread(0x10, 0, CS_STACK_X64), thread(0x20, 1, [])]);
    const mem = sections(0x20n, 0x20n).filter(([a]) => a !== DEBUG_A);
    mem.push([DEBUG_A, debugRecord(64, SECTION_B)]);
    const found = await recoverWaits(m, memoryOf(mem), new Map([[0x10, walk(64, 0x2000n, [{ r12: SECTION_A + 0x18n }])]]), names);
    expect(found.links).toEqual([]);
    expect(found.warnings[0]!.message).toMatch(/no address on its stack or in its registers holds a locked section owned by another thread/);
  });

  it('knows a section by its LockSemaphore address (Wine and Windows 8+ wait on it)', async () => {
    const m = model([thread(0x10, 0, CS_STACK_X64), thread(0x20, 1, [])]);
    const found = await recoverWaits(m, memoryOf(sections(0x20n, 0x20n)), new Map([[0x10, walk(64, 0x2000n, [{ r12: SECTION_A + 0x18n }])]]), names);
    expect(found.links.map((l) => l.on.address)).toEqual(['0x140007040']);
  });
});

describe('critical sections, x86', () => {
  it('reads RtlEnterCriticalSection’s first stack argument', async () => {
    const stack = new Uint8Array(0x200);
    const cs = 0x42f4c0n;
    const dbg = 0x152a40n;
    const frames = [
      frame(0, 'ntdll', 'KiFastSystemCallRet'),
      frame(1, 'ntdll', 'NtWaitForSingleObject'),
      frame(2, 'ntdll', 'RtlpWaitOnCriticalSection'),
      frame(3, 'ntdll', 'RtlEnterCriticalSection'),
      frame(4, 'LedgerSync', 'CIndex::Update'),
    ];
    // frame 4 (the caller) starts at 0x2100: RtlEnterCriticalSection's argument is the word there
    new DataView(stack.buffer).setUint32(0x100, Number(cs), true);
    const m = model([thread(0x1a3c, 1, frames), thread(0x1b20, 2, [])], 'x86');
    const w: RecordedWalks = { native: { bits: 32, frames: [0x2000n, 0x2010n, 0x2040n, 0x20f0n, 0x2100n].map((sp) => ({ sp, registers: {} })) } };
    const mem = memoryOf([
      [0x2000n, stack],
      [cs, section(32, { debugInfo: dbg, lockCount: 1, recursion: 1, owner: 0x1b20n })],
      [dbg, debugRecord(32, cs)],
    ]);
    const found = await recoverWaits(m, mem, new Map([[0x1a3c, w]]), () => 'LedgerSync+0x2f4c0');
    expect(found.links).toEqual([expect.objectContaining({ threadId: 0x1a3c, ownerThreadId: 0x1b20, frames: [1, 2, 3, 4], on: expect.objectContaining({ address: '0x42f4c0', name: 'LedgerSync+0x2f4c0' }) })]);
  });
});

describe('handles', () => {
  const SINGLE = [frame(0, 'ntdll', 'NtWaitForSingleObject'), frame(1, 'KERNELBASE', 'WaitForSingleObjectEx'), frame(2, 'app', 'Worker')];
  const handles = (): NonNullable<DumpModel['handles']> => [
    { value: '0x40', type: 'File', object: null },
    { value: '0x44', type: 'Mutant', object: '\\BaseNamedObjects\\ledger', mutant: { currentCount: 0, abandoned: false, ownerKnown: true, ownerThreadId: 0x20, ownerProcessId: 0x100 } },
    { value: '0x48', type: 'Thread', object: null, thread: { threadId: 0x20, processId: 0x100, exitStatus: '0x00000103' } },
    { value: '0x4c', type: 'Thread', object: null, thread: { threadId: 0x30, processId: 0x100, exitStatus: '0x00000000' } },
    { value: '0x50', type: 'Mutant', object: null, mutant: { currentCount: 0, abandoned: false, ownerKnown: true, ownerThreadId: 0x99, ownerProcessId: 0x200 } },
    { value: '0x54', type: 'Event', object: null },
  ];
  async function waitOn(h: bigint, bits: 32 | 64 = 64) {
    const m = model([thread(0x10, 0, SINGLE), thread(0x20, 1, [])], bits === 64 ? 'amd64' : 'x86');
    m.handles = handles();
    const stack = new Uint8Array(0x100);
    if (bits === 32) new DataView(stack.buffer).setUint32(0x40, Number(h), true); // first argument of frame 0's function: at frame 1's sp
    const w = bits === 64 ? walk(64, 0x2000n, [{ r10: h }], 3) : walk(32, 0x2000n, [], 3);
    return recoverWaits(m, memoryOf([[0x2000n, stack]]), new Map([[0x10, w]]), names);
  }
  it('resolves a mutex to its owner thread', async () => {
    const found = await waitOn(0x44n);
    expect(found.links).toEqual([
      {
        threadId: 0x10,
        view: 'native',
        on: { kind: 'mutex', address: null, handle: '0x44', name: '\\BaseNamedObjects\\ledger', record: 1 },
        ownerThreadId: 0x20,
        ownerProcessId: null,
        frames: [0, 1, 2],
        source: 'handle-data',
      },
    ]);
    expect((await waitOn(0x44n, 32)).links.map((l) => l.ownerThreadId)).toEqual([0x20]);
  });
  it('resolves a thread handle to the thread, an event to nobody, another process’s mutex to that process', async () => {
    expect((await waitOn(0x48n)).links.map((l) => [l.on.kind, l.ownerThreadId, l.ownerProcessId])).toEqual([['thread', 0x20, null]]);
    expect((await waitOn(0x54n)).links.map((l) => [l.on.kind, l.ownerThreadId, l.ownerProcessId])).toEqual([['event', null, null]]);
    expect((await waitOn(0x50n)).links.map((l) => [l.on.kind, l.ownerThreadId, l.ownerProcessId])).toEqual([['mutex', null, 0x200]]);
  });
  it('makes no link of a handle no thread can wait on, one not in the table, or a thread that has ended', async () => {
    expect((await waitOn(0x40n)).links).toEqual([]);
    expect((await waitOn(0x58n)).links).toEqual([]);
    expect((await waitOn(0x4cn)).links).toEqual([]);
  });
  it('leaves a wait on several handles alone: the stack does not keep its count and wait type', async () => {
    const m = model([thread(0x10, 0, [frame(0, 'ntdll', 'NtWaitForMultipleObjects'), frame(1, 'KERNELBASE', 'WaitForMultipleObjectsEx'), frame(2, 'app', 'Main')])]);
    m.handles = handles();
    const found = await recoverWaits(m, memoryOf([[0x2000n, new Uint8Array(0x100)]]), new Map([[0x10, walk(64, 0x2000n, [{ rdx: 0x2000n, r10: 0x44n }], 3)]]), names);
    expect(found.links).toEqual([]);
  });
});
