// What each waiting thread of a minidump waits for, read from the dump itself (issue 12): the
// critical section a thread entering one is stuck on, or the handle a thread waits on, each
// resolved to the thread (or process) that must act.
//
// Where to look comes from the stack's shape (wait-shape.ts); what is found there is a
// candidate, and only a candidate that validates is used:
// - a critical section: every value in the registers the walk knew at the wait's frames (and
//   that value less the LockSemaphore offset: Wine and Windows 8+ wait on &LockSemaphore's
//   address), and every pointer-sized slot of the stack from frame 0 to the caller's home area.
//   Each must hold an RTL_CRITICAL_SECTION that passes critical-sections.ts's checks and is
//   owned by another thread. One such section is the answer; none or several (then said so)
//   leave the thread unresolved. Under Wine the section is at [rsp+0x88] and r12 holds
//   section+0x18 (fixtures/dumps/README.md); on Windows x64 it is in a saved non-volatile
//   register or a home slot; on x86 it is the first stack argument of RtlEnterCriticalSection.
// - a handle: only for a wait on one handle (WaitForSingleObject(Ex)); a wait on several names
//   a count and wait-any or wait-all that the stack does not keep reliably, so it stays
//   unresolved. The handle is the one element of the array NtWaitForMultipleObjects got (rdx
//   on x64: Wine's kernelbase sends a single wait there), NtWaitForSingleObject's first
//   argument (r10 at the x64 system call; the first stack argument on x86), or the x86 first
//   argument of WaitForSingleObject(Ex). It must be in the HandleData stream, of a type a thread
//   can wait on, and be the only such candidate.
import type { DumpModel, Frame, LockRecord, Thread, WaitLink, Warning } from '../../core/dump-model.ts';
import { hex } from '../../core/hex.ts';
import type { AddressSpace } from '../../memory/address-space.ts';
import { waitTableName } from '../../names/wait-function-names.ts';
import { waitShape, type WaitShape } from '../wait-shape.ts';
import { buildWaitGraph } from '../wait-graph.ts';
import { shortModuleName } from '../../names/module-names.ts';
import { checkSection, sectionLayout, type SectionCheck, type ValidSection } from './critical-sections.ts';
import type { RecordedFrame, RecordedWalks } from './threads.ts';

/** Bytes of stack searched for a section's address per waiting thread. */
export const MAX_WAIT_STACK_BYTES = 4096;
/** Distinct candidate addresses checked per waiting thread. */
export const MAX_SECTION_CANDIDATES = 1024;
/** Distinct addresses checked per dump, all threads together (each is two small reads at most). */
export const MAX_SECTION_CHECKS = 20_000;

/** Object types a thread can wait on that the graph knows how to follow or name. */
const WAITABLE: Record<string, 'mutex' | 'thread' | 'process' | 'event' | 'semaphore' | 'object'> = {
  mutant: 'mutex',
  thread: 'thread',
  process: 'process',
  event: 'event',
  semaphore: 'semaphore',
  timer: 'object',
};

/** STILL_ACTIVE: the exit status of a thread or process that has not ended. */
const STILL_ACTIVE = '0x00000103';

export interface RecoveredWaits {
  links: WaitLink[];
  /** Sections read from memory that links point at (index = WaitObject.record for 'critical-section'). */
  locks: LockRecord[];
  warnings: Warning[];
  /** Threads in the critical-section path whose section did not validate. */
  unresolvedSections: number;
}

interface Env {
  memory: AddressSpace;
  model: DumpModel;
  threadIds: ReadonlySet<number>;
  sectionCache: Map<bigint, Promise<SectionCheck>>;
  checks: { left: number };
  nameOf: (address: bigint) => string | null;
}

export async function recoverWaits(
  model: DumpModel,
  memory: AddressSpace,
  walks: ReadonlyMap<number, RecordedWalks>,
  nameOf: (address: bigint) => string | null,
): Promise<RecoveredWaits> {
  const out: RecoveredWaits = { links: [], locks: [], warnings: [], unresolvedSections: 0 };
  const env: Env = {
    memory,
    model,
    threadIds: new Set(model.threads.map((t) => t.id)),
    sectionCache: new Map(),
    checks: { left: MAX_SECTION_CHECKS },
    nameOf,
  };
  const lockIndex = new Map<bigint, number>();
  let capped = false;
  for (const thread of model.threads) {
    const recorded = walks.get(thread.id);
    if (!recorded) continue;
    // A WOW64 thread waits on its 32-bit stack; its native one ends in the WOW64 thunks.
    const views: ['x86' | 'native', Frame[], { bits: 32 | 64; frames: RecordedFrame[] } | undefined][] = [
      ['x86', thread.x86Frames ?? [], recorded.x86],
      ['native', thread.frames, recorded.native],
    ];
    for (const [view, frames, walk] of views) {
      if (!walk || frames.length === 0) continue;
      const shape = waitShape(frames);
      if (!shape) continue;
      if (shape.family === 'critical-section') {
        if (env.checks.left <= 0) {
          capped = true;
          break;
        }
        const found = await sectionWaitedFor(env, thread, frames, walk, shape);
        if (found.kind === 'none') {
          out.unresolvedSections++;
          out.warnings.push({ kind: 'wait-unresolved', message: `thread ${thread.id} (0x${thread.id.toString(16)}) waits to enter a critical section, but ${found.why}` });
          break;
        }
        const s = found.section;
        let record = lockIndex.get(s.address);
        if (record === undefined) {
          record = out.locks.length;
          lockIndex.set(s.address, record);
          out.locks.push({
            address: hex(s.address),
            name: nameOf(s.address),
            ownerThreadId: s.ownerThreadId,
            lockCount: s.waiters,
            recursionCount: s.recursionCount,
            contention: s.contention,
            source: 'memory',
            debugInfo: s.debugInfo === null ? null : hex(s.debugInfo),
          });
        }
        out.links.push({
          threadId: thread.id,
          view,
          on: { kind: 'critical-section', address: hex(s.address), handle: null, name: out.locks[record]!.name, record },
          ownerThreadId: s.ownerThreadId,
          ownerProcessId: null,
          frames: shape.frames,
          source: 'memory',
        });
        break;
      }
      if (shape.family === 'single-object' && model.handles !== null) {
        const link = await handleWaitedOn(env, thread, frames, walk, shape, view, out.warnings);
        if (link) out.links.push(link);
        break;
      }
      break;
    }
  }
  if (capped) out.warnings.push({ kind: 'cap-count', message: `only the first ${MAX_SECTION_CHECKS} candidate critical-section addresses were checked; later waiting threads were left unresolved` });
  return out;
}

type SectionFound = { kind: 'section'; section: ValidSection } | { kind: 'none'; why: string };

async function sectionWaitedFor(env: Env, thread: Thread, frames: readonly Frame[], walk: { bits: 32 | 64; frames: RecordedFrame[] }, shape: WaitShape): Promise<SectionFound> {
  const bits = walk.bits;
  const ptr = BigInt(bits / 8);
  const L = sectionLayout(bits);
  const candidates = new Set<bigint>();
  const add = (v: bigint): void => {
    if (candidates.size < MAX_SECTION_CANDIDATES && v !== 0n && v % ptr === 0n) candidates.add(v);
  };
  const last = Math.min(shape.caller ?? shape.api, walk.frames.length - 1);
  for (let i = 0; i <= last; i++) {
    for (const v of Object.values(walk.frames[i]!.registers)) {
      add(v);
      add(v - BigInt(L.lockSemaphore));
    }
  }
  const start = walk.frames[0]!.sp;
  // The caller's home area (x64) or the API's stack arguments (x86) lie just above the caller's stack pointer.
  const callerSp = walk.frames[last]?.sp ?? start;
  const end = min(callerSp + 4n * ptr, start + BigInt(MAX_WAIT_STACK_BYTES));
  for (const v of await stackWords(env.memory, start, end, bits)) add(v);

  const valid: ValidSection[] = [];
  const reasons = new Map<string, number>();
  for (const address of candidates) {
    // A value that is not an address in the dump costs nothing to drop.
    if (env.memory.rangeAt(address) === null) continue;
    if (env.checks.left <= 0) break;
    let check = env.sectionCache.get(address);
    if (!check) {
      env.checks.left--;
      check = checkSection(env.memory, address, bits, env.threadIds);
      env.sectionCache.set(address, check);
    }
    const c = await check;
    if (!c.ok) {
      reasons.set(c.reason, (reasons.get(c.reason) ?? 0) + 1);
      continue;
    }
    // Entering a section one already owns succeeds at once: it is not the one waited for.
    if (c.section.ownerThreadId === thread.id) continue;
    valid.push(c.section);
  }
  if (valid.length === 1) return { kind: 'section', section: valid[0]! };
  if (valid.length > 1) {
    // Sections others wait for too are the likelier; if that still leaves several, say so.
    const contended = valid.filter((s) => s.waiters > 0);
    if (contended.length === 1) return { kind: 'section', section: contended[0]! };
    return { kind: 'none', why: `${valid.length} different locked sections are within reach of its wait (${valid.slice(0, 3).map((s) => hex(s.address)).join(', ')}), so which one it waits for is not certain` };
  }
  const debugMissing = reasons.get('its DebugInfo is not in the dump') ?? 0;
  if (debugMissing > 0) return { kind: 'none', why: `the section's debug record (DebugInfo) is not in the dump, so no candidate could be checked (a full-memory dump holds it)` };
  return { kind: 'none', why: `no address on its stack or in its registers holds a locked section owned by another thread of this dump${frames.length > 0 ? '' : ''}` };
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** Pointer-sized values of the stack in [start, end), skipping what the dump does not hold. */
async function stackWords(memory: AddressSpace, start: bigint, end: bigint, bits: 32 | 64): Promise<bigint[]> {
  const out: bigint[] = [];
  const step = bits / 8;
  const CHUNK = 256n;
  for (let at = start; at < end; at += CHUNK) {
    const len = Number(min(CHUNK, end - at));
    const bytes = await memory.read(at, len);
    if (!bytes) continue;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let o = 0; o + step <= bytes.length; o += step) out.push(bits === 64 ? view.getBigUint64(o, true) : BigInt(view.getUint32(o, true)));
  }
  return out;
}

async function readWord(memory: AddressSpace, address: bigint, bits: 32 | 64): Promise<bigint | null> {
  const bytes = await memory.read(address, bits / 8);
  if (!bytes) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return bits === 64 ? view.getBigUint64(0, true) : BigInt(view.getUint32(0, true));
}

async function handleWaitedOn(
  env: Env,
  thread: Thread,
  frames: readonly Frame[],
  walk: { bits: 32 | 64; frames: RecordedFrame[] },
  shape: WaitShape,
  view: 'x86' | 'native',
  warnings: Warning[],
): Promise<WaitLink | null> {
  const bits = walk.bits;
  const handles = env.model.handles!;
  const candidates = new Set<bigint>();
  const stack0 = walk.frames[0]!;
  const name = (i: number): string | null => (frames[i]?.symbol ? waitTableName(frames[i]!.symbol!) : null);
  const top = name(shape.first);
  const regs0 = stack0.registers;
  if (bits === 64 && shape.first === 0) {
    if ((top === 'NtWaitForMultipleObjects' || top === 'ZwWaitForMultipleObjects') && regs0.rdx !== undefined) {
      // Handles, the second argument; a single wait sends a one-element array on the stack.
      const array = regs0.rdx;
      if (array >= stack0.sp && array < stack0.sp + BigInt(MAX_WAIT_STACK_BYTES)) {
        const h = await readWord(env.memory, array, 64);
        if (h !== null) candidates.add(h);
      }
    }
    if ((top === 'NtWaitForSingleObject' || top === 'ZwWaitForSingleObject') && regs0.r10 !== undefined) candidates.add(regs0.r10);
  }
  if (bits === 32) {
    // stdcall: a function's first argument is the word just above its return address, which
    // is where the next frame's stack pointer starts.
    for (let i = shape.first; i <= shape.api; i++) {
      const n = name(i);
      if (n === null || !['NtWaitForSingleObject', 'ZwWaitForSingleObject', 'WaitForSingleObject', 'WaitForSingleObjectEx'].includes(n)) continue;
      const above = walk.frames[i + 1];
      if (!above) continue;
      const h = await readWord(env.memory, above.sp, 32);
      if (h !== null) candidates.add(h);
    }
  }
  const matches = new Map<number, bigint>();
  for (const c of candidates) {
    if (c === 0n) continue;
    const i = handles.findIndex((h) => BigInt(h.value) === c);
    if (i < 0) continue;
    const kind = WAITABLE[(handles[i]!.type ?? '').toLowerCase()];
    if (kind === undefined) continue;
    matches.set(i, c);
  }
  const label = `thread ${thread.id} (0x${thread.id.toString(16)})`;
  if (matches.size !== 1) {
    if (matches.size > 1) warnings.push({ kind: 'wait-unresolved', message: `${label} waits on one handle, but ${matches.size} handles of the table are within reach of its wait` });
    return null;
  }
  const [index] = [...matches.keys()];
  const h = handles[index!]!;
  const kind = WAITABLE[(h.type ?? '').toLowerCase()]!;
  const on = { kind, address: null, handle: h.value, name: h.object, record: index! };
  const base = { threadId: thread.id, view, on, frames: shape.frames, source: 'handle-data' as const };
  const pid = env.model.process.pid;
  if (kind === 'mutex') {
    const m = h.mutant;
    if (!m || !m.ownerKnown) {
      warnings.push({ kind: 'wait-unresolved', message: `${label} waits on mutex handle ${h.value}, but the dump does not say who owns it` });
      return null;
    }
    if (m.ownerThreadId === null || m.ownerThreadId === thread.id) {
      // A free mutex, or one the waiter owns, does not block it: the dump caught a moment in between.
      warnings.push({ kind: 'wait-unresolved', message: `${label} waits on mutex handle ${h.value}, which ${m.ownerThreadId === null ? 'nobody owns' : 'it owns itself'}` });
      return null;
    }
    const elsewhere = pid !== null && m.ownerProcessId !== null && m.ownerProcessId !== pid;
    return { ...base, ownerThreadId: elsewhere ? null : m.ownerThreadId, ownerProcessId: elsewhere ? m.ownerProcessId : null };
  }
  if (kind === 'thread') {
    const t = h.thread;
    if (!t || t.exitStatus !== STILL_ACTIVE || t.threadId === thread.id) {
      if (!t) warnings.push({ kind: 'wait-unresolved', message: `${label} waits on thread handle ${h.value}, but the dump does not say which thread it is` });
      return null;
    }
    const elsewhere = pid !== null && t.processId !== pid;
    return { ...base, ownerThreadId: elsewhere ? null : t.threadId, ownerProcessId: elsewhere ? t.processId : null };
  }
  if (kind === 'process') {
    const p = h.process;
    if (!p || p.exitStatus !== STILL_ACTIVE || p.processId === pid) {
      if (!p) warnings.push({ kind: 'wait-unresolved', message: `${label} waits on process handle ${h.value}, but the dump does not say which process it is` });
      return null;
    }
    return { ...base, ownerThreadId: null, ownerProcessId: p.processId };
  }
  // Events, semaphores and timers have no owner: whoever should signal them is not recorded.
  return { ...base, ownerThreadId: null, ownerProcessId: null };
}

/** A data address as WinDbg names it without symbols: `module+0x3020`, or null outside every module. */
function dataName(model: DumpModel): (address: bigint) => string | null {
  const ranges = model.modules.map((m) => ({ base: BigInt(m.base), end: BigInt(m.base) + BigInt(m.size), name: shortModuleName(m.name) }));
  return (address) => {
    const m = ranges.find((r) => address >= r.base && address < r.end);
    return m ? `${m.name}+${hex(address - m.base)}` : null;
  };
}

/**
 * Recovers every waiting thread's wait and sets `model.waitGraph` (and the sections read into
 * `model.locks`), with a warning per thread left unresolved and `missing` saying what kind of
 * fact was not in the dump.
 */
export async function addDumpWaitGraph(model: DumpModel, memory: AddressSpace, walks: ReadonlyMap<number, RecordedWalks>): Promise<void> {
  const found = await recoverWaits(model, memory, walks, dataName(model));
  model.warnings.push(...found.warnings);
  if (found.unresolvedSections > 0) model.missing.push('critical sections');
  if (found.locks.length > 0) model.locks = [...(model.locks ?? []), ...found.locks];
  const graph = buildWaitGraph(found.links, new Set(model.threads.map((t) => t.id)));
  if (graph) model.waitGraph = graph;
}
