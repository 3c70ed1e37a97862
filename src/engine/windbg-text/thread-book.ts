// Which thread each piece of output belongs to. A log rarely says it next to the output:
// `~*k` prints thread headers, but `~3k`, `~~[1b30]k`, `~#k` and `~*e k` print bare stacks
// whose owner only the command (and a thread list printed elsewhere) tells, and a plain `k`
// belongs to the prompt's thread. Stacks land in the thread's native or x86 view by the view
// the prompt was in. After the pass, the faulting thread is chosen from all of it.
import { parseHex } from '../core/hex.ts';
import { parseCallOnlyLine, parseFrameLine } from './frame-line.ts';
import type { ReaderState } from './reader-state.ts';
import { StackCollector } from './stack-line.ts';
import { longer } from './stack-choice.ts';
import { parsePriorityLine, parseStackHeader, parseThreadHeader } from './thread-stacks.ts';

/**
 * Which thread a stack command names: `~3k` (debugger number), `~~[1b30]k` (thread id), `~#k`
 * (event thread), or each thread in turn (`~*e k`, which prints no thread headers).
 */
export type CommandThreads = { ordinal: number } | { tid: number } | 'event' | 'each' | null;

export function commandThreads(command: string): CommandThreads {
  const m = /^~\s*(\d{1,9}|~\[[0-9a-fx]{1,10}\]|[#*.])\s*(e\s+)?(.*)$/i.exec(command);
  if (!m) return null;
  const rest = m[3]!.trim();
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
 * The thread a header-less `k` belongs to: the prompt's thread number when a thread list
 * told its id, else the event thread (right after a dump loads, the current thread is the
 * one the exception or break happened on).
 */
export function threadForPrompt(s: ReaderState): number | null {
  if (s.session.promptThread !== null) {
    const tid = s.threads.ordinalToTid.get(s.session.promptThread);
    if (tid !== undefined) return tid;
  }
  return s.exception.eventLine?.tid ?? s.threads.lastHeaderTid;
}

/** The thread a `~Nk`, `~~[tid]k`, `~#k` or `~*e k` command printed its stack for. */
export function commandTid(s: ReaderState, advance: boolean): number | null {
  const who = commandThreads(s.session.command);
  if (who === null) return null;
  if (who === 'event') return s.threads.markerHash ?? s.exception.eventLine?.tid ?? null;
  if (who === 'each') {
    // `~*e k` runs k on each thread in debugger order; only a thread list tells their ids.
    const listed = [...s.threads.byId.values()].filter((t) => t.listed).sort((a, b) => a.ordinal - b.ordinal);
    const t = listed[s.threads.eachCount];
    if (advance) s.threads.eachCount++;
    return t?.id ?? null;
  }
  if ('tid' in who) return who.tid;
  return s.threads.ordinalToTid.get(who.ordinal) ?? null;
}

/** Ends the stack being read and gives it to its thread, in the view it was printed in. */
export function closeStack(s: ReaderState): void {
  const open = s.threads.stack;
  s.threads.stack = null;
  if (!open) return;
  open.collector.finish();
  if (open.collector.lines.length === 0) return;
  if (open.collector.dropped > 0) {
    s.warnings.push({ kind: 'cap-frames', message: `a stack of ${open.collector.lines.length + open.collector.dropped} frames was cut to its first ${open.collector.lines.length}` });
  }
  let tid = open.tid;
  if (tid === null && !open.unresolved) tid = threadForPrompt(s);
  if (tid === null) {
    s.warnings.push({ kind: 'stack-thread-unknown', message: 'a stack was printed with no thread header or known thread; it was dropped' });
    return;
  }
  const t = s.thread(tid, s.session.promptThread ?? undefined);
  if (open.view === 'x86') t.x86 = longer(t.x86, open.collector.lines);
  else {
    t.native = longer(t.native, open.collector.lines);
    if (open.header.layout === 'x64') s.threads.sawX64Layout = true;
    else if (open.header.layout === 'x86') s.threads.sawX86Layout = true;
  }
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
    const named = s.threads.headerTid === null && commandThreads(s.session.command) !== null;
    const tid = s.threads.headerTid ?? (named ? commandTid(s, true) : null);
    s.threads.stack = { collector: new StackCollector(parse), tid, view: s.session.view, header: stackHeader, unresolved: named && tid === null };
    s.threads.headerTid = null;
    s.recognised++;
    return true;
  }
  return false;
}

/**
 * The faulting thread: what !analyze says, else the '#' (event) marker, else the event
 * line's thread, else the '.' (current) marker of the first thread list.
 */
export function faultingThreadId(s: ReaderState, annotations: Record<string, string>): number | null {
  const ft = annotations['FAULTING_THREAD'] ? parseHex(annotations['FAULTING_THREAD'].split(/\s/)[0]!) : null;
  // Thread ids are 32-bit; a larger value is damage, not a thread.
  let faultingTid: number | null = ft !== null && ft <= 0xffffffffn ? Number(ft) : null;
  faultingTid ??= s.threads.markerHash;
  if (faultingTid === null && s.exception.eventLine && (s.threads.byId.has(s.exception.eventLine.tid) || s.threads.byId.size === 0)) faultingTid = s.exception.eventLine.tid;
  // The current thread is the exception's only when there is an exception: in a dump saved
  // on request (or a paste of `~*k` alone) no thread faulted, whatever thread WinDbg shows.
  const hasException =
    s.exception.record.code !== null || s.exception.eventLine !== null || ['ERROR_CODE', 'EXCEPTION_CODE', 'EXCEPTION_CODE_STR'].some((k) => annotations[k]);
  if (hasException) faultingTid ??= s.threads.markerDot;
  return faultingTid;
}
