// The per-line state machine. Each line is offered to the readers of the output kinds in a
// fixed order; the first that claims it wins, and what none claims (blog prose, e-mail
// chatter, commands we do not read) is skipped. The order carries meaning: a prompt resets
// everything, an open `!analyze` block or stack sees its lines before any other reader
// (their lines look like many other things), and loose `KEY: value` lines come last.
import { AnalysisBlock, isAnalysisBanner, parseAnalysisKey } from './analyze-v.ts';
import { takeBannerLine } from './banner-facts.ts';
import { parseSymbolLabel } from './exception-line.ts';
import { readEventIp, takeExceptionLine, takeLabelledInstruction } from './exception-facts.ts';
import { closeLocks, takeLockLine } from './locks.ts';
import { takeModuleLine } from './module-rows.ts';
import { effmachSwitch, parsePrompt, promptView } from './prompt.ts';
import type { Analysis, ReaderState } from './reader-state.ts';
import { takeRegisters } from './register-sets.ts';
import { parseRegisterLine } from './registers.ts';
import { takeSessionLine } from './session-facts.ts';
import { closeStack, takeThreadLine } from './thread-book.ts';

/** Keys whose value runs over the next lines or is followed by frames: they open an implicit block. */
const ANALYSIS_BLOCK_KEYS = new Set(['FAULTING_IP', 'EXCEPTION_RECORD', 'STACK_TEXT', 'FOLLOWUP_IP', 'CONTEXT']);

function startAnalysis(s: ReaderState): Analysis {
  closeAnalysis(s);
  const analysis: Analysis = { block: new AnalysisBlock(), view: s.view };
  s.analysis = analysis;
  s.analyses.push(analysis);
  return analysis;
}

function closeAnalysis(s: ReaderState): void {
  if (s.analysis) s.analysis.block.end();
  s.analysis = null;
}

/** Ends whatever multi-line output is open: at a prompt, and at the end of the text. */
export function closeAll(s: ReaderState): void {
  closeStack(s);
  closeAnalysis(s);
  closeLocks(s.locks);
  s.moduleMode = null;
  s.lastRow = null;
  s.headerTid = null;
  s.expectIp = 0;
}

export function feedLine(s: ReaderState, line: string): void {
  const prompt = parsePrompt(line);
  if (prompt) {
    closeAll(s);
    s.recognised++;
    s.promptThread = prompt.thread;
    s.command = prompt.command;
    s.eachCount = 0;
    s.runaway = null;
    s.inKernel = prompt.kernel;
    if (prompt.kernel) {
      s.kernelSeen = true;
      return;
    }
    s.userSeen = true;
    s.view = promptView(prompt);
    if (s.view === 'x86') s.switchedToX86 = true;
    const sw = effmachSwitch(prompt.command);
    if (sw) {
      s.view = sw;
      if (sw === 'x86') s.switchedToX86 = true;
    }
    if (/^!analyze\b/i.test(prompt.command)) startAnalysis(s);
    return;
  }
  // A kd session's output says nothing of a user-mode process: its `k` is a kernel stack.
  if (s.inKernel) {
    if (line.trim()) s.kernelLines++;
    return;
  }

  // WinDbg's register lines are short; the bound spares long lines the tokenising.
  const regs = line.length > 0 && line.length < 512 ? parseRegisterLine(line) : null;
  if (regs) {
    takeRegisters(s, regs);
    if (s.expectIp > 0) return;
    s.recognised++;
    return;
  }
  s.openRegisters = null;

  if (/^\s*Effective machine:/i.test(line)) {
    closeStack(s);
    s.recognised++;
    s.view = effmachSwitch(line) ?? s.view;
    if (s.view === 'x86') s.switchedToX86 = true;
    else if (/AMD64|x64/i.test(line)) s.effectiveMachineNative = 'amd64';
    else if (/ARM64/i.test(line)) s.effectiveMachineNative = 'arm64';
    return;
  }

  if (isAnalysisBanner(line)) {
    closeStack(s);
    s.moduleMode = null;
    if (/Bugcheck/.test(line)) s.kernelSeen = true;
    if (!s.analysis) startAnalysis(s);
    s.recognised++;
    return;
  }

  if (s.analysis && s.analysis.block.feed(line)) {
    if (line.trim()) s.recognised++;
    return;
  }

  if (s.expectIp > 0 && readEventIp(s, line)) return;
  if (s.pendingLabel !== null) {
    const label = s.pendingLabel;
    s.pendingLabel = null;
    if (takeLabelledInstruction(s, label, line)) return;
  }

  // Inside a stack, frames are by far the commonest line: try them before anything else.
  if (s.stack) {
    if (s.stack.collector.feed(line)) {
      s.recognised++;
      return;
    }
    closeStack(s);
  }

  // A blank line (lines arrive trimmed at the end) is claimed by no reader below; answering it
  // here keeps a text of millions of empty lines from costing a dozen regexes per line.
  if (line.length === 0) {
    if (!s.moduleMode) s.headerTid = null;
    return;
  }

  // Before the thread reader: `!cs -o` prints the owner's stack, indented, under its section.
  if (takeLockLine(s, line)) return;
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
    if (!s.analysis && ANALYSIS_BLOCK_KEYS.has(key.key)) {
      startAnalysis(s).block.feed(line);
      return;
    }
    s.looseAnnotations[key.key] = key.value;
    return;
  }

  // "App!Crash+0x17:" above the instruction it names (after `r`, `.ecxr`, `u`, `.frame /r`).
  if (line.endsWith(':')) s.pendingLabel = parseSymbolLabel(line);
}
