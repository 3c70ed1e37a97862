// The per-line state machine. Each line is offered to the readers of the output kinds in a
// fixed order; the first that claims it wins, and what none claims (blog prose, e-mail
// chatter, commands we do not read) is skipped. The order carries meaning: a prompt resets
// everything, an open `!analyze` block or stack sees its lines before any other reader
// (their lines look like many other things), and loose `KEY: value` lines come last.
import { AnalysisBlock, isAnalysisBanner, parseAnalysisKey } from './analyze-v.ts';
import { takeBannerLine } from './banner-facts.ts';
import { parseSymbolLabel } from './exception-line.ts';
import { readEventIp, takeExceptionLine, takeLabelledInstruction } from './exception-facts.ts';
import { takeHeapLine } from './heap-reports.ts';
import { closeLocks, takeLockLine } from './lock-book.ts';
import { takeModuleLine } from './module-rows.ts';
import { effmachSwitch, parsePrompt, promptView } from './prompt.ts';
import type { Analysis, ReaderState } from './reader-state.ts';
import { takeRegisters } from './register-sets.ts';
import { parseRegisterLine } from './registers.ts';
import { takeSessionLine } from './session-facts.ts';
import { closeStack, takeThreadLine } from './thread-book.ts';

/** Empty lines a stack may hold between two frames. */
const MAX_BLANKS_IN_STACK = 2;

/** Keys whose value runs over the next lines or is followed by frames: they open an implicit block. */
const ANALYSIS_BLOCK_KEYS = new Set(['FAULTING_IP', 'EXCEPTION_RECORD', 'STACK_TEXT', 'FOLLOWUP_IP', 'CONTEXT']);

function startAnalysis(s: ReaderState): Analysis {
  closeAnalysis(s);
  const analysis: Analysis = { block: new AnalysisBlock(), view: s.session.view };
  s.analyze.open = analysis;
  s.analyze.blocks.push(analysis);
  return analysis;
}

function closeAnalysis(s: ReaderState): void {
  if (s.analyze.open) s.analyze.open.block.end();
  s.analyze.open = null;
}

/**
 * `.ecxr` (and `.cxr ADDR`) set the exception's context: until the thread or context changes, a
 * plain `k` prints the faulting thread's stack from the fault.
 */
function updateContext(s: ReaderState, command: string): void {
  if (/^\.ecxr\b/i.test(command) || /^\.cxr\s+\S/i.test(command)) s.session.ecxrActive = true;
  else if (/^\.cxr\s*$/i.test(command) || /^~\s*(?:\d{1,9}|~\[[0-9a-fx]{1,10}\]|[#.])\s*s\b/i.test(command) || /^\.thread\b/i.test(command) || /^(?:g|p|t|gu|gh|gn)\b/i.test(command)) {
    s.session.ecxrActive = false;
  }
}

/** Ends whatever multi-line output is open: at a prompt, and at the end of the text. */
export function closeAll(s: ReaderState): void {
  closeStack(s);
  closeAnalysis(s);
  closeLocks(s.locks);
  s.modules.mode = null;
  s.modules.lastRow = null;
  s.threads.headerTid = null;
  s.exception.expectIp = 0;
}

export function feedLine(s: ReaderState, line: string): void {
  const prompt = parsePrompt(line);
  if (prompt) {
    closeAll(s);
    s.recognised++;
    s.session.promptThread = prompt.thread;
    s.session.command = prompt.command;
    const stop = s.exception.stop;
    // The first prompt after a stop shows the event thread's number: the debugger's current thread.
    if (stop.awaitingOrdinal) {
      stop.ordinal = prompt.thread;
      stop.awaitingOrdinal = false;
    }
    s.exception.promptSeen = true;
    updateContext(s, prompt.command);
    s.threads.eachCount = 0;
    s.session.runaway = null;
    s.session.inKernel = prompt.kernel;
    if (prompt.kernel) {
      s.session.kernelSeen = true;
      return;
    }
    s.session.userSeen = true;
    s.session.view = promptView(prompt);
    if (s.session.view === 'x86') s.session.switchedToX86 = true;
    const sw = effmachSwitch(prompt.command);
    if (sw) {
      s.session.view = sw;
      if (sw === 'x86') s.session.switchedToX86 = true;
    }
    if (/^!analyze\b/i.test(prompt.command)) startAnalysis(s);
    return;
  }
  // A kd session's output says nothing of a user-mode process: its `k` is a kernel stack.
  if (s.session.inKernel) {
    if (line.trim()) s.session.kernelLines++;
    return;
  }

  // WinDbg's register lines are short; the bound spares long lines the tokenising.
  const regs = line.length > 0 && line.length < 512 ? parseRegisterLine(line) : null;
  if (regs) {
    takeRegisters(s, regs);
    if (s.exception.expectIp > 0) return;
    s.recognised++;
    return;
  }
  s.registers.open = null;

  if (/^\s*Effective machine:/i.test(line)) {
    closeStack(s);
    s.recognised++;
    s.session.view = effmachSwitch(line) ?? s.session.view;
    if (s.session.view === 'x86') s.session.switchedToX86 = true;
    else if (/AMD64|x64/i.test(line)) s.session.effectiveMachineNative = 'amd64';
    else if (/ARM64/i.test(line)) s.session.effectiveMachineNative = 'arm64';
    return;
  }

  if (isAnalysisBanner(line)) {
    closeStack(s);
    s.modules.mode = null;
    if (/Bugcheck/.test(line)) s.session.kernelSeen = true;
    if (!s.analyze.open) startAnalysis(s);
    s.recognised++;
    return;
  }

  if (s.analyze.open && s.analyze.open.block.feed(line)) {
    if (line.trim()) s.recognised++;
    return;
  }

  if (s.exception.expectIp > 0 && readEventIp(s, line)) return;
  if (s.exception.pendingLabel !== null) {
    const label = s.exception.pendingLabel;
    s.exception.pendingLabel = null;
    if (takeLabelledInstruction(s, label, line)) return;
  }

  // Inside a stack, frames are by far the commonest line: try them before anything else.
  if (s.threads.stack) {
    // Documentation pages and forum posts put an empty line inside a stack now and then: it
    // ends the stack only when no frame follows it.
    if (line.length === 0 && s.threads.stack.blanks < MAX_BLANKS_IN_STACK) {
      s.threads.stack.blanks++;
      return;
    }
    if (s.threads.stack.collector.feed(line)) {
      s.threads.stack.blanks = 0;
      s.recognised++;
      return;
    }
    closeStack(s);
  }

  // A blank line (lines arrive trimmed at the end) is claimed by no reader below; answering it
  // here keeps a text of millions of empty lines from costing a dozen regexes per line.
  if (line.length === 0) {
    if (!s.modules.mode) s.threads.headerTid = null;
    return;
  }

  // Inside an `lm` listing, rows are by far the commonest line: try them first (a line that is
  // not one ends the listing and goes on to the readers below).
  if (s.modules.mode && takeModuleLine(s, line)) return;

  // Before the thread reader: `!cs -o` prints the owner's stack, indented, under its section.
  if (takeLockLine(s.locks, line, s.warnings)) {
    s.recognised++;
    return;
  }
  if (takeHeapLine(s.heap, line)) {
    s.recognised++;
    return;
  }
  if (takeBannerLine(s, line)) return;
  if (takeExceptionLine(s, line)) return;
  if (takeThreadLine(s, line)) return;
  if (takeModuleLine(s, line)) return;
  if (takeSessionLine(s, line)) return;

  const key = parseAnalysisKey(line, false);
  if (key) {
    s.recognised++;
    // A paste that starts inside `!analyze -v` output (no banner): read the rest as its block,
    // so that multi-line values (FAULTING_IP) and STACK_TEXT's frames are not lost.
    if (!s.analyze.open && ANALYSIS_BLOCK_KEYS.has(key.key)) {
      startAnalysis(s).block.feed(line);
      return;
    }
    s.analyze.loose[key.key] = key.value;
    return;
  }

  // "App!Crash+0x17:" above the instruction it names (after `r`, `.ecxr`, `u`, `.frame /r`).
  if (line.endsWith(':')) s.exception.pendingLabel = parseSymbolLabel(line);
}
