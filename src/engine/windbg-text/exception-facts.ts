// What the pass learns of the exception, as the lines tell it: event lines (or `.lastevent`),
// the instruction printed under each, `.exr` records (several may be printed for one stop: the
// first complete one wins) and instructions printed under a symbol label, which later give
// frame 0 the address `k` does not print. A session stops more than once (the loader's initial
// breakpoint, first-chance exceptions it let go, then the crash): each event line starts a new
// stop, and the last one that is not the loader's breakpoint is the exception (chosenStop).
// exception-record.ts makes the record of it.
import { beginStop, markInitialBreak } from './event-stops.ts';
import { parseDisassembly, parseExceptionLine, parseSymbolLabel, type ExceptionLine } from './exception-line.ts';
import { parseExrCppLine, parseExrLine, type ExrFact } from './exr.ts';
import type { ReaderState } from './reader-state.ts';
import { contextIsException } from './register-sets.ts';
import { parseLastEvent } from './session-lines.ts';
import { isSymbolNoise } from './stack-line.ts';
import { closeStack } from './thread-book.ts';

export function applyExr(s: ReaderState, f: ExrFact): void {
  const e = s.exception.stop.record;
  switch (f.kind) {
    case 'address':
      // A new record starts with its address; once one is complete, keep the first.
      if (e.address !== null) {
        e.sealed = true;
        return;
      }
      e.address = f.address;
      e.site = f.site;
      return;
    case 'code':
      if (e.code === null) {
        e.code = f.code;
        e.codeText = f.text;
      }
      return;
    case 'flags':
      if (e.flags === null) e.flags = f.flags;
      return;
    case 'count':
      return;
    case 'parameter':
      if (!e.sealed && !e.parameters.has(f.index)) e.parameters.set(f.index, f.value);
      return;
    case 'attempt':
      if (!e.attempt) e.attempt = { access: f.access, address: f.address };
      return;
    case 'subcode':
      s.analyze.loose['EXCEPTION_SUBCODE'] ??= f.text;
      return;
    case 'cpp':
      // The first Type line is the thrown class; the ones after it are its bases.
      s.analyze.loose[f.field === 'type' ? 'EXCEPTION_CXX_TYPE' : 'EXCEPTION_CXX_MESSAGE'] ??= f.text;
      return;
  }
}

/** The event line, `.lastevent`, or a line of an `.exr` record. True when the line was one. */
export function takeExceptionLine(s: ReaderState, line: string): boolean {
  const event = parseExceptionLine(line);
  if (event) {
    closeStack(s);
    beginStop(s, event);
    s.session.userSeen = true;
    s.exception.expectIp = 4;
    s.recognised++;
    return true;
  }
  const last = parseLastEvent(line);
  if (last) {
    closeStack(s);
    takeLastEvent(s, last);
    s.session.userSeen = true;
    s.exception.expectIp = 0;
    s.recognised++;
    return true;
  }

  const exr = parseExrLine(line);
  if (exr) {
    closeStack(s);
    applyExr(s, exr);
    s.recognised++;
    return true;
  }

  // "Type : …" and "Message : …" are too plain to trust outside `.exr` output.
  if (/^\.exr\b/.test(s.session.command)) {
    const cpp = parseExrCppLine(line);
    if (cpp) {
      applyExr(s, cpp);
      s.recognised++;
      return true;
    }
  }
  return false;
}

/**
 * `.lastevent` tells the stop the debugger is at. The same event as the stop being read (same
 * code, and same thread when both name one) fills in what its line lacked; a different one is a
 * stop the paste did not show the line of.
 */
function takeLastEvent(s: ReaderState, last: ExceptionLine): void {
  const cur = s.exception.stop.line;
  if (cur && cur.code === last.code && (cur.tid === null || last.tid === null || cur.tid === last.tid)) {
    if (cur.tid === null && last.tid !== null) s.exception.stop.line = { ...cur, pid: last.pid, tid: last.tid };
    if (last.chance !== null) s.exception.stop.line = { ...s.exception.stop.line!, chance: last.chance };
    return;
  }
  const stop = beginStop(s, last);
  // `.lastevent` is typed at a prompt: right after a stop the current thread is the event's.
  stop.ordinal = s.session.promptThread;
  stop.awaitingOrdinal = false;
}

/** The faulting instruction printed under the event line; a label line may come first. */
export function readEventIp(s: ReaderState, line: string): boolean {
  // A register dump (`r` output: "eax=… ebx=…", "cs=001b ss=0023 …") often sits between the
  // event line and the instruction; it does not count against the lines we wait for.
  if (/^\s*[a-z][a-z0-9]{1,5}=[0-9a-f]+(\s|$)/i.test(line)) return true;
  // Symbol loading for the module of the instruction ("*** ERROR: Symbol file could not be found…").
  if (isSymbolNoise(line)) return false;
  s.exception.expectIp--;
  const stop = s.exception.stop;
  const label = parseSymbolLabel(line);
  if (label) {
    stop.ipLabel = label;
    markInitialBreak(stop, label);
    // The instruction follows its label on the next line.
    s.exception.expectIp = 1;
    return true;
  }
  const dis = parseDisassembly(line);
  if (dis) {
    stop.eventIp = { address: dis.address, label: stop.ipLabel, text: dis.text, bytes: dis.bytes.toLowerCase() };
    s.exception.expectIp = 0;
    s.recognised++;
    return true;
  }
  return false;
}

/**
 * The instruction under a symbol label: "App!Crash+0x17:" (after `r`, `.ecxr`, `u`,
 * `.frame /r`), then this line's disassembly. True when the line was that instruction.
 */
export function takeLabelledInstruction(s: ReaderState, label: string, line: string): boolean {
  const dis = parseDisassembly(line);
  if (!dis) return false;
  s.exception.labelled.set(label.toLowerCase(), dis.address);
  const stop = s.exception.stop;
  const shown = { address: dis.address, label, text: dis.text, bytes: dis.bytes.toLowerCase() };
  // Under `.ecxr` (or CONTEXT: of `!analyze`) the instruction is the faulting one.
  if (contextIsException(s)) stop.ecxrIp ??= shown;
  // A paste that starts where the debugger stopped: the first instruction, before any prompt.
  else if (!s.exception.promptSeen && stop.line === null && stop.shownIp === null) {
    stop.shownIp = shown;
    stop.awaitingOrdinal = true;
  }
  s.recognised++;
  return true;
}
