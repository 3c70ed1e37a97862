// Which thread each piece of output belongs to. A log rarely says it next to the output:
// `~*k` prints thread headers, but `~3k`, `~~[1b30]k`, `~#k` and `~*e k` print bare stacks
// whose owner only the command (and a thread list printed elsewhere, often later) tells, a
// plain `k` belongs to the prompt's thread, and a paste with no prompt at all to "the current
// thread". So a stack is kept by who it belongs to (a ThreadRef) until the pass is over, and
// resolved then (resolveThread): by the thread list, else by the event's thread, else as a
// thread the log never named, whose id is a placeholder. Stacks land in the thread's native or
// x86 view by the view the prompt was in. After the pass, the faulting thread is chosen.
import { parseHex } from '../core/hex.ts';
import { chosenStop } from './event-stops.ts';
import { parseCallOnlyLine, parseFrameLine } from './frame-line.ts';
import type { ReaderState, ThreadRef, ThreadState } from './reader-state.ts';
import { StackCollector, type StackLine } from './stack-line.ts';
import { longer } from './stack-choice.ts';
import { parsePriorityLine, parseStackHeader, parseThreadHeader } from './thread-stacks.ts';

/**
 * Which thread a stack command names: `~3k` (debugger number), `~~[1b30]k` (thread id), `~#k`
 * (event thread), or each thread in turn (`~*e k`, which prints no thread headers).
 */
export type CommandThreads = { ordinal: number } | { tid: number } | 'event' | 'each' | null;

export function commandThreads(command: string): CommandThreads {
  const m = /^~\s*(\d+|~\[[0-9a-fA-FxX]+\]|[#*.])\s*([eE]\s+)?/.exec(command);
  // A thread number past 9 digits or an id past 10 characters is not one (the model's integers).
  if (!m || (/^\d/.test(m[1]!) ? m[1]!.length > 9 : m[1]!.length > 13)) return null;
  const rest = command.slice(m[0].length).trim();
  // Only commands that print a stack (k, kb, kv, kn, kp, kP, kf, kc, kL and their mixes) or registers.
  if (!/^(?:k[a-z]*|r)(?:\s|;|$)/i.test(rest)) return null;
  const who = m[1]!;
  if (who === '*') return m[2] ? 'each' : null;
  if (who === '#') return 'event';
  if (who === '.') return null;
  if (who.startsWith('~[')) {
    const tid = parseHex(who.slice(2, -1));
    return tid !== null && tid <= 0xffffffffn ? { tid: Number(tid) } : null;
  }
  return { ordinal: Number(who) };
}

/**
 * Who printed output that came with no thread header: the command's thread (`~3k`, `~#k`, each
 * thread of `~*e k` in turn), the faulting thread after `.ecxr`, the prompt's thread (`0:003>`),
 * or, with no prompt at all, the current thread. Null only when nothing can tell (`~*e k` past
 * the threads a list named). `advance` moves `~*e k` on to its next thread.
 */
export function outputOwner(s: ReaderState, advance: boolean): ThreadRef | null {
  const who = commandThreads(s.session.command);
  if (who === 'event') return s.threads.markerHash !== null ? { tid: s.threads.markerHash } : 'event';
  if (who === 'each') {
    // `~*e k` runs k on each thread in debugger order; only a thread list tells their ids.
    const listed = [...s.threads.byId.values()].filter((t) => t.listed).sort((a, b) => a.ordinal - b.ordinal);
    const t = listed[s.threads.eachCount];
    if (advance) s.threads.eachCount++;
    return t ? { tid: t.id } : null;
  }
  if (who !== null) {
    if ('tid' in who) return who;
    const tid = s.threads.ordinalToTid.get(who.ordinal);
    return tid !== undefined ? { tid } : who;
  }
  if (s.session.ecxrActive) return 'event';
  if (s.session.promptThread !== null) {
    const tid = s.threads.ordinalToTid.get(s.session.promptThread);
    return tid !== undefined ? { tid } : { ordinal: s.session.promptThread };
  }
  return 'current';
}

function refKey(ref: ThreadRef): string {
  if (typeof ref === 'string') return ref;
  return 'tid' in ref ? `t:${ref.tid}` : `o:${ref.ordinal}`;
}

function addStack(t: ThreadState, view: 'native' | 'x86', lines: StackLine[]): void {
  if (view === 'x86') t.x86 = longer(t.x86, lines);
  else t.native = longer(t.native, lines);
}

/** Ends the stack being read and gives it to its thread (now, or at assembly), in the view it was printed in. */
export function closeStack(s: ReaderState): void {
  const open = s.threads.stack;
  s.threads.stack = null;
  if (!open) return;
  open.collector.finish();
  if (open.collector.lines.length === 0) return;
  for (const lost of open.collector.lost) s.warnings.push({ kind: 'text-truncated', message: `a stack in the text is incomplete: ${lost}` });
  if (open.collector.dropped > 0) {
    s.warnings.push({ kind: 'cap-frames', message: `a stack of ${open.collector.lines.length + open.collector.dropped} frames was cut to its first ${open.collector.lines.length}` });
  }
  if (open.view === 'native') {
    if (open.header.layout === 'x64') s.threads.sawX64Layout = true;
    else if (open.header.layout === 'x86') s.threads.sawX86Layout = true;
  }
  const owner = open.owner;
  if (owner === null) {
    s.warnings.push({ kind: 'stack-thread-unknown', message: 'a stack was printed for a thread the text never named; it was dropped' });
    return;
  }
  if (typeof owner !== 'string' && 'tid' in owner) {
    // A thread named by id (`~~[1ff8]k`) is not the prompt's: its number is not known here.
    addStack(s.thread(owner.tid), open.view, open.collector.lines);
    return;
  }
  const key = refKey(owner);
  let pending = s.threads.pending.get(key);
  if (!pending) {
    pending = { owner, firstSeen: s.mentions++, native: null, x86: null };
    s.threads.pending.set(key, pending);
  }
  if (open.view === 'x86') pending.x86 = longer(pending.x86, open.collector.lines);
  else pending.native = longer(pending.native, open.collector.lines);
}

/** Ids the log used, or may use as the faulting thread's: a placeholder must be none of them. */
function takenIds(s: ReaderState, reserved: readonly number[]): Set<number> {
  return new Set([...s.threads.byId.keys(), ...reserved]);
}

/**
 * The thread a ThreadRef names, at assembly: an id as printed; a debugger number through the
 * thread list (or the event's thread when the stop's prompt showed that number); the event's
 * thread; the current thread (the event's, else the '.' marker). What none of these names is a
 * thread the log never gave an id: created with a placeholder id when `create`, else null.
 */
export function resolveThread(s: ReaderState, ref: ThreadRef, create: boolean, reserved: readonly number[] = []): number | null {
  const stop = chosenStop(s);
  if (typeof ref !== 'string') {
    if ('tid' in ref) return ref.tid;
    const tid = s.threads.ordinalToTid.get(ref.ordinal);
    if (tid !== undefined) return tid;
    if (stop?.line?.tid != null && stop.ordinal === ref.ordinal) return stop.line.tid;
    return unidentified(s, `o:${ref.ordinal}`, ref.ordinal, create, reserved);
  }
  if (ref === 'event' && s.threads.markerHash !== null) return s.threads.markerHash;
  if (stop?.line?.tid != null) return stop.line.tid;
  if (stop && stop.ordinal !== null) return resolveThread(s, { ordinal: stop.ordinal }, create, reserved);
  if (s.threads.markerDot !== null) return s.threads.markerDot;
  return unidentified(s, 'current', null, create, reserved);
}

/** A thread known only by its debugger number, or not at all: one per key, with a placeholder id. */
function unidentified(s: ReaderState, key: string, ordinal: number | null, create: boolean, reserved: readonly number[]): number | null {
  const known = s.threads.unidentified.get(key);
  if (known !== undefined || !create) return known ?? null;
  const taken = takenIds(s, reserved);
  // Windows thread ids are multiples of 4, so 0-3 are never real ones: those come first.
  let id = 0;
  while (taken.has(id)) id++;
  const t = s.thread(id, ordinal ?? 0);
  t.ordinal = ordinal ?? 0;
  t.unidentified = ordinal === null ? 'id-and-number' : 'id';
  s.threads.unidentified.set(key, id);
  return id;
}

/** Gives the stacks kept by owner to their threads, now that the whole log is read. */
export function resolvePendingStacks(s: ReaderState, reserved: readonly number[]): void {
  for (const p of s.threads.pending.values()) {
    const tid = resolveThread(s, p.owner, true, reserved)!;
    const ordinal = typeof p.owner !== 'string' && 'ordinal' in p.owner ? p.owner.ordinal : undefined;
    const t = s.thread(tid, ordinal);
    // The prompt's number is the thread's own when no list said otherwise.
    if (!t.listed && ordinal !== undefined) {
      t.ordinal = ordinal;
      t.ordinalKnown = true;
    }
    t.firstSeen = Math.min(t.firstSeen, p.firstSeen);
    if (p.native) addStack(t, 'native', p.native);
    if (p.x86) addStack(t, 'x86', p.x86);
  }
  s.threads.pending.clear();
}

/**
 * A thread header (`~`, `~*k`), the priority line under it, or a stack's column header, which
 * opens a stack for the header's thread or the command's. True when the line was one of them.
 */
export function takeThreadLine(s: ReaderState, line: string): boolean {
  const header = parseThreadHeader(line);
  if (header) {
    closeStack(s);
    s.modules.mode = null;
    s.session.userSeen = true;
    const t = s.thread(header.tid, header.ordinal);
    t.ordinal = header.ordinal;
    t.ordinalKnown = true;
    t.listed = true;
    t.teb = header.teb ?? t.teb;
    t.suspend = header.suspend ?? t.suspend;
    t.frozen = header.frozen ?? t.frozen;
    t.name = header.name ?? t.name;
    s.threads.ordinalToTid.set(header.ordinal, header.tid);
    if (header.marker === '.' && s.threads.markerDot === null) s.threads.markerDot = header.tid;
    if (header.marker === '#' && s.threads.markerHash === null) s.threads.markerHash = header.tid;
    s.session.pid ??= header.pid;
    s.threads.headerTid = header.tid;
    s.threads.lastHeaderTid = header.tid;
    s.recognised++;
    return true;
  }

  if (s.threads.headerTid !== null) {
    const prio = parsePriorityLine(line);
    if (prio !== null) {
      s.thread(s.threads.headerTid).priority = prio;
      return true;
    }
  }

  const stackHeader = parseStackHeader(line);
  if (stackHeader) {
    closeStack(s);
    s.modules.mode = null;
    const parse = stackHeader.callsOnly ? parseCallOnlyLine : parseFrameLine;
    const owner = s.threads.headerTid !== null ? { tid: s.threads.headerTid } : outputOwner(s, true);
    const collector = new StackCollector(parse);
    collector.expectHeaderTail = stackHeader.wrapped;
    s.threads.stack = { collector, owner, view: s.session.view, header: stackHeader, blanks: 0 };
    s.threads.headerTid = null;
    s.recognised++;
    return true;
  }
  return false;
}

/**
 * The faulting thread: what !analyze says, else the '#' (event) marker, else the event's thread
 * (the stop's line, or its prompt's number), else the '.' (current) marker of the first thread
 * list. Needs the pending stacks resolved (an event thread known only by number is one of them).
 */
export function faultingThreadId(s: ReaderState, annotations: Record<string, string>): number | null {
  const ft = annotations['FAULTING_THREAD'] ? parseHex(annotations['FAULTING_THREAD'].split(/\s/)[0]!) : null;
  // Thread ids are 32-bit; a larger value is damage, not a thread.
  let faultingTid: number | null = ft !== null && ft <= 0xffffffffn ? Number(ft) : null;
  faultingTid ??= s.threads.markerHash;
  const stop = chosenStop(s);
  if (faultingTid === null && stop) {
    const tid = resolveThread(s, 'event', false);
    // An event thread named by id but absent from a thread list that was printed is not one we read.
    if (tid !== null && (s.threads.byId.has(tid) || s.threads.byId.size === 0)) faultingTid = tid;
  }
  // The current thread is the exception's only when there is an exception: in a dump saved
  // on request (or a paste of `~*k` alone) no thread faulted, whatever thread WinDbg shows.
  const hasException = stop !== null || ['ERROR_CODE', 'EXCEPTION_CODE', 'EXCEPTION_CODE_STR'].some((k) => annotations[k]);
  if (hasException) faultingTid ??= s.threads.markerDot;
  return faultingTid;
}
