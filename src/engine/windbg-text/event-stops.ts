// The stops of a session: each event line (or a `.lastevent` naming another event) begins one,
// and the one before is kept aside while the new one may still turn out to be the loader's
// initial breakpoint (known only from the label printed under its line). The exception is the
// last stop that is not that breakpoint: first-chance noise the program went on from is
// superseded by what came after it.
import { labelModuleSymbol, type ExceptionLine } from './exception-line.ts';
import { memoryAccess } from './instruction-operands.ts';
import { newEventStop, type EventStop, type ReaderState } from './reader-state.ts';

/** Functions where the loader stops a process started under a debugger: the initial breakpoint. */
const LOADER_BREAK = new Set(['LdrpDoDebuggerBreak', 'LdrpInitialBreakpoint']);
const BREAK_CODES = new Set([0x80000003, 0x4000001f]);

/**
 * An access violation the log never stated, seen in the instruction a paste shows at its stop:
 * its memory operand could not be read ("ds:…=????????"), so executing it faults there.
 */
export function inferredFault(stop: EventStop | null): boolean {
  const ip = stop?.shownIp;
  return ip !== null && ip !== undefined && memoryAccess(ip.text)?.unreadable === true;
}

/** True when a stop holds anything of an exception. */
export function hasContent(stop: EventStop): boolean {
  return stop.line !== null || stop.record.code !== null || stop.record.address !== null || inferredFault(stop);
}

/** The stop the log's exception is: the last one that is not the loader's initial breakpoint. */
export function chosenStop(s: ReaderState): EventStop | null {
  const stop = s.exception.stop;
  if (!stop.initial && hasContent(stop)) return stop;
  return s.exception.previous;
}

/** A new stop begins: what was read of the one before stays aside in case this one is the loader's. */
export function beginStop(s: ReaderState, line: ExceptionLine): EventStop {
  const old = s.exception.stop;
  if (!old.initial && hasContent(old)) s.exception.previous = old;
  s.exception.stop = newEventStop(line);
  return s.exception.stop;
}

/** The label under a break event names the loader's breakpoint: this stop is not a crash. */
export function markInitialBreak(stop: EventStop, label: string): void {
  if (!stop.line || !BREAK_CODES.has(stop.line.code)) return;
  const { symbol } = labelModuleSymbol(label);
  if (symbol !== null && LOADER_BREAK.has(symbol)) stop.initial = true;
}

