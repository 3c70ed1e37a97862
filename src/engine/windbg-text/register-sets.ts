// Register dumps, by owner and view. While reading, each dump (`r`, `~3r`, `.ecxr`, CONTEXT:
// of `!analyze -v`, the dump under the event line) is tied to whoever printed it; at the end
// the dumps become each thread's registers, the exception context going to the faulting thread.
import { hex } from '../core/hex.ts';
import type { ReaderState, RegisterOwner } from './reader-state.ts';
import { commandThreads, outputOwner, resolveThread } from './thread-book.ts';

/** Output of `.ecxr` / `.cxr`, or CONTEXT: of `!analyze -v`: the exception's own context. */
export function contextIsException(s: ReaderState): boolean {
  return s.analyze.open?.block.lastKey === 'CONTEXT' || /^\.e?cxr\b/i.test(s.session.command);
}

/**
 * A register line: continues the dump being read or starts one. Its owner is what printed it:
 * the exception context (`.ecxr`, `.cxr`, CONTEXT: of `!analyze`), the event thread (the dump
 * under the event line), or the thread the command or the prompt names (`r`, `~3r`).
 */
export function takeRegisters(s: ReaderState, regs: Map<string, bigint>): void {
  if (s.registers.open) {
    for (const [k, v] of regs) s.registers.open.regs.set(k, v);
    return;
  }
  let owner: RegisterOwner | null = null;
  if (contextIsException(s)) owner = 'exception';
  else if (s.exception.expectIp > 0 && s.exception.stop.line) {
    const tid = s.exception.stop.line.tid;
    owner = tid !== null ? { tid } : 'event';
  } else if (commandThreads(s.session.command) === 'each') return;
  else owner = outputOwner(s, false);
  if (owner === null) return;
  s.registers.open = { owner, view: s.session.view, regs: new Map(regs) };
  s.registers.sets.push(s.registers.open);
}

/**
 * Each thread's registers per view, keyed "tid/view". The exception context (.ecxr, CONTEXT:)
 * wins for the faulting thread, as the minidump reader walks that thread from it; dumps of
 * the same owner otherwise merge in print order (`r r8` adds one register to an earlier `r`).
 * Needs the pending stacks resolved: a thread known only by number has its placeholder id then.
 */
export function threadRegisters(s: ReaderState, faultingTid: number | null): Map<string, Map<string, bigint>> {
  const out = new Map<string, Map<string, bigint>>();
  const put = (key: string, regs: Map<string, bigint>) => {
    const into = out.get(key) ?? new Map<string, bigint>();
    for (const [k, v] of regs) into.set(k, v);
    out.set(key, into);
  };
  for (const set of s.registers.sets) {
    if (set.owner === 'exception') continue;
    // Registers alone never make a thread: only one the log showed otherwise gets them.
    const tid = resolveThread(s, set.owner, false);
    if (tid !== null) put(`${tid}/${set.view}`, set.regs);
  }
  if (faultingTid !== null) {
    for (const set of s.registers.sets) if (set.owner === 'exception') put(`${faultingTid}/${set.view}`, set.regs);
  }
  return out;
}

/** Registers as the model holds them: name → "0x…". */
export function registerRecord(regs: Map<string, bigint>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of regs) out[k] = hex(v);
  return out;
}
