// Frames that belong to exception processing: raising, dispatching to handlers, the
// unhandled-exception filter and error reporting, C++ throw and unwinding. Several patterns
// (Exception Stack Trace, Multiple Exceptions, Nested Exceptions, Hidden Exception, C++
// Exception) are questions about where these frames sit, so they are recognised here once.
//
// Names are matched without the module: a WOW64 x86 stack prints ntdll as "ntdll_77d40000",
// and KERNELBASE took over RaiseException and UnhandledExceptionFilter from kernel32 in
// Windows 7, so the same function lives in different modules across versions.
import type { DumpModel, Frame, Thread } from '../../engine/core/dump-model.ts';
import type { StackView } from '../../engine/report/schema.ts';
import { faultSite } from './exception-codes.ts';

export type ExceptionFrameRole =
  /** The kernel's entry into user mode to dispatch an exception: one per exception. */
  | 'entry'
  /** Code that raises an exception on purpose (RaiseException, C++ throw, fail-fast). */
  | 'raise'
  /** Walking the handler chain and calling handlers. */
  | 'dispatch'
  /** Nobody handled it: the last-chance filter and Windows Error Reporting. */
  | 'unhandled'
  /** Unwinding the stack after a handler was chosen. */
  | 'unwind';

const ROLES: ReadonlyMap<string, ExceptionFrameRole> = new Map([
  ['KiUserExceptionDispatcher', 'entry'],
  ['KiRaiseUserExceptionDispatcher', 'entry'],
  ['RaiseException', 'raise'],
  ['RtlRaiseException', 'raise'],
  ['NtRaiseException', 'raise'],
  ['ZwRaiseException', 'raise'],
  ['RtlRaiseStatus', 'raise'],
  ['RaiseFailFastException', 'raise'],
  ['_CxxThrowException', 'raise'],
  ['CxxThrowException', 'raise'],
  ['Wow64KiRaiseException', 'raise'],
  ['__cxa_throw', 'raise'],
  ['__cxa_rethrow', 'raise'],
  ['_Unwind_RaiseException', 'raise'],
  ['RtlDispatchException', 'dispatch'],
  ['RtlpExecuteHandlerForException', 'dispatch'],
  ['ExecuteHandler', 'dispatch'],
  ['ExecuteHandler2', 'dispatch'],
  ['RtlpCallVectoredHandlers', 'dispatch'],
  ['RtlCallVectoredExceptionHandlers', 'dispatch'],
  ['__C_specific_handler', 'dispatch'],
  ['_C_specific_handler', 'dispatch'],
  ['__CxxFrameHandler', 'dispatch'],
  ['__CxxFrameHandler2', 'dispatch'],
  ['__CxxFrameHandler3', 'dispatch'],
  ['__CxxFrameHandler4', 'dispatch'],
  ['__InternalCxxFrameHandler', 'dispatch'],
  ['_except_handler3', 'dispatch'],
  ['_except_handler4', 'dispatch'],
  ['_except_handler4_common', 'dispatch'],
  ['UnhandledExceptionFilter', 'unhandled'],
  ['UnhandledExceptionFilterWorker', 'unhandled'],
  ['WerpReportFault', 'unhandled'],
  ['WerpReportFaultInternal', 'unhandled'],
  ['WerpReportException', 'unhandled'],
  ['RtlReportException', 'unhandled'],
  ['RtlReportExceptionEx', 'unhandled'],
  ['WerpWaitForCrashReporting', 'unhandled'],
  ['RtlpThreadExceptionFilter', 'unhandled'],
  ['_seh_filter_exe', 'unhandled'],
  ['_seh_filter_dll', 'unhandled'],
  ['__scrt_unhandled_exception_filter', 'unhandled'],
  ['RtlUnwind', 'unwind'],
  ['RtlUnwindEx', 'unwind'],
  ['RtlpUnwindHandler', 'unwind'],
  ['_Unwind_Resume', 'unwind'],
]);

const DEBUG_OUTPUT = new Set(['OutputDebugStringA', 'OutputDebugStringW']);

/**
 * Beyond this offset a name is more likely the nearest export before some internal function
 * (what a dump without symbol files gives) than the function itself.
 */
const MAX_CREDIBLE_OFFSET = 0x1000;

/**
 * True when a frame's offset from its symbol is small enough for the name to be its function's.
 * Offsets are "0x…" strings; Number() reads them without a BigInt (the detectors ask this of
 * every frame), and rounding past 2^53 cannot bring a larger offset under 0x1000.
 */
export function credibleOffset(f: Frame): boolean {
  return f.offset === null || Number(f.offset) <= MAX_CREDIBLE_OFFSET;
}

/** The exception-processing role of a frame, or null for ordinary code. */
export function exceptionFrameRole(f: Frame): ExceptionFrameRole | null {
  if (f.symbol === null) return null;
  // x64 SEH filter funclets ("RtlUserThreadStart$filt$0") run while an exception is dispatched.
  const role = /\$filt\$\d+$/.test(f.symbol) ? 'unhandled' : (ROLES.get(f.symbol) ?? null);
  return role !== null && credibleOffset(f) ? role : null;
}

/** Frames a debugger or an unwinder followed, as opposed to return addresses found by scanning. */
export function isTrusted(f: Frame): boolean {
  return f.trust !== 'scan' && f.trust !== 'none';
}

export interface ExceptionStack {
  threadId: number;
  view: StackView;
  frames: readonly Frame[];
  /** The exception-processing frames, innermost first. */
  matches: { frame: Frame; role: ExceptionFrameRole }[];
  /** How many exceptions this stack is dispatching (1 for most, 2+ when one was raised inside another's handling). */
  dispatches: number;
  /** The first frame outside the innermost raise/dispatch run: the code that faulted or raised. */
  origin: Frame | null;
  /** True when every matched frame was found by a debugger or an unwinder, not by scanning. */
  trusted: boolean;
}

/** The stacks of a thread worth reading: the 32-bit one of a WOW64 thread first, then the native one. */
export function threadStacks(thread: Thread): { view: StackView; frames: readonly Frame[] }[] {
  const out: { view: StackView; frames: readonly Frame[] }[] = [];
  if (thread.x86Frames && thread.x86Frames.length > 0) out.push({ view: 'x86', frames: thread.x86Frames });
  if (thread.frames.length > 0) out.push({ view: 'native', frames: thread.frames });
  return out;
}

/** Exception processing on one stack of a thread, or null when the stack shows none. */
export function exceptionStack(threadId: number, view: StackView, frames: readonly Frame[]): ExceptionStack | null {
  const matches: ExceptionStack['matches'] = [];
  for (const frame of frames) {
    const role = exceptionFrameRole(frame);
    if (role) matches.push({ frame, role });
  }
  if (matches.length === 0) return null;
  const origin = originOf(frames);
  // OutputDebugString talks to a debugger by raising DBG_PRINTEXCEPTION_C, which it handles
  // itself: a thread caught inside it is logging, not failing.
  if (origin?.symbol && DEBUG_OUTPUT.has(origin.symbol)) return null;
  // Each exception enters user mode once (KiUserExceptionDispatcher) or is raised in user mode
  // and dispatched directly (RtlRaiseException → RtlDispatchException on x64); either way it
  // passes RtlDispatchException once. Counting both and taking the larger tolerates stacks
  // where one of the two names is missing.
  const entries = matches.filter((m) => m.role === 'entry').length;
  const dispatchers = matches.filter((m) => m.frame.symbol === 'RtlDispatchException').length;
  const dispatches = Math.max(1, entries, dispatchers);
  return {
    threadId,
    view,
    frames,
    matches,
    dispatches,
    origin,
    trusted: matches.every((m) => isTrusted(m.frame)),
  };
}

/**
 * The frame that caused the innermost exception: walking outwards from frame 0, past the first
 * run of entry/raise frames (and the dispatch frames above them), the next ordinary frame.
 */
function originOf(frames: readonly Frame[]): Frame | null {
  let i = frames.findIndex((f) => {
    const r = exceptionFrameRole(f);
    return r === 'entry' || r === 'raise';
  });
  if (i < 0) return null;
  while (i < frames.length) {
    const r = exceptionFrameRole(frames[i]!);
    if (r !== 'entry' && r !== 'raise') break;
    i++;
  }
  return frames[i] ?? null;
}

/** exceptionStacks by thread list: a dozen detectors ask it of the same model. */
const stacksOf = new WeakMap<readonly Thread[], readonly ExceptionStack[]>();

/** Every stack of every thread that shows exception processing, the x86 view first for WOW64 threads. */
export function exceptionStacks(threads: readonly Thread[]): ExceptionStack[] {
  const known = stacksOf.get(threads);
  if (known) return [...known];
  const out: ExceptionStack[] = [];
  for (const t of threads) {
    for (const s of threadStacks(t)) {
      const found = exceptionStack(t.id, s.view, s.frames);
      if (found) {
        out.push(found);
        // One view per thread: the 32-bit view of a WOW64 thread is the real one, and its
        // native view repeats the same exception through the emulation layer.
        break;
      }
    }
  }
  stacksOf.set(threads, out);
  return [...out];
}

/**
 * Dispatches of earlier exceptions on the stored exception's own stack: dispatcher frames below
 * the frame where the stored exception happened belong to exceptions that were still being
 * dispatched at that moment. When the stack was walked from the exception's context, frame 0
 * is that frame (after the stored exception's own raise path, if it was raised in software);
 * in a `~*k` taken later it is the frame at the exception address, below its own dispatcher.
 */
export function earlierDispatches(
  model: DumpModel,
  stacks: readonly ExceptionStack[],
): { stack: ExceptionStack; earlier: number; origin: Frame | null } | null {
  const site = faultSite(model);
  if (!site) return null;
  const own = stacks.find((s) => s.threadId === site.threadId && s.view === site.view);
  if (!own) return null;
  let start = own.frames.findIndex((f) => f.index === site.frame.index);
  if (start < 0) return null;
  // RaiseException, KiRaiseUserExceptionDispatcher… at the site are the stored exception's own.
  while (start < own.frames.length && exceptionFrameRole(own.frames[start]!) !== null) start++;
  const below = own.frames.slice(start);
  const trusted = below.filter(isTrusted);
  const entries = trusted.filter((f) => exceptionFrameRole(f) === 'entry').length;
  const dispatchers = trusted.filter((f) => f.symbol === 'RtlDispatchException').length;
  const earlier = Math.max(entries, dispatchers);
  if (earlier === 0) return null;
  return { stack: { ...own, dispatches: Math.max(own.dispatches, earlier + 1) }, earlier, origin: originOf(below) };
}
