// WinDbg/CDB text → the dump model: the reader's entry. One pass over the lines feeds each to
// the per-line state machine (line-dispatch.ts), which hands it to the reader of its output
// kind or skips it; the pieces are put together at the end (model-assembly.ts), when
// everything the log tells is known. Here: the bounds of the pass (lines, time, a first look
// at a long text) and the two refusals (no debugger output at all; kernel output only).
//
// Reading:  reader-state.ts (what the pass has learnt, by concern) ← line-dispatch.ts, which calls
//           lock-book (locks.ts parses the lines),
//           banner-facts, exception-facts, thread-book, register-sets, module-rows, session-facts.
// Building: model-assembly.ts ← banner-facts, thread-book (faulting thread), stack-choice,
//           arch-inference, thread-records (text-frames, register-sets), exception-record, module-rows.
import type { Budget } from '../core/budget.ts';
import { DumpError } from '../core/errors.ts';
import { emptyModel } from '../core/empty-model.ts';
import type { DumpModel } from '../core/dump-model.ts';
import { closeAll, feedLine } from './line-dispatch.ts';
import { DEFAULT_LIMITS, looksMarkdownEscaped, splitLines, utf8Length, type LineLimits, type SplitOptions } from './lines.ts';
import { assemble } from './model-assembly.ts';
import { ReaderState } from './reader-state.ts';
import type { StackLine } from './stack-line.ts';
import { WorkMeter } from './work-meter.ts';

// Part of the reader's public face: the cap's value is documented and tested with the entry.
export { MAX_TEXT_THREADS } from './thread-records.ts';

export interface ReadOptions {
  limits?: LineLimits;
  /** Time and cancellation, polled by work done (work-meter.ts), in the line loop and in assembly. */
  budget?: Budget;
}

/** A line costs at least this much work, however short: a million empty lines are not free. */
const LINE_COST = 64;

/**
 * Lines of a long text (over PROBE_MIN_CHARS) read first to see whether it holds debugger output
 * at all. A session log shows its banner, a prompt or a stack long before this; 50 MB of noise
 * or prose is refused after it instead of running every parser over a million lines (seconds
 * of regexes). Counted in lines, not characters, so one endless first line cannot hide a log.
 */
export const PROBE_LINES = 50_000;
const PROBE_MIN_CHARS = 1024 * 1024;

/** The offset just past line `lines` (or the text's end). indexOf is cheap even over megabytes. */
function probeEnd(text: string, lines: number): number {
  let pos = 0;
  for (let n = 0; n < lines; n++) {
    const end = text.indexOf('\n', pos);
    if (end < 0) return text.length;
    pos = end + 1;
  }
  return pos;
}

function recognisesAny(text: string, limits: LineLimits, split: SplitOptions): boolean {
  const state = new ReaderState();
  for (const line of splitLines(text, limits, split).lines) {
    feedLine(state, line);
    if (state.recognised > 0) return true;
  }
  return false;
}

/** The kernel's own modules: a user-mode `k` never shows them, a bug check's STACK_TEXT does. */
const KERNEL_MODULES = /^(?:nt|ntoskrnl|ntkrnlmp|ntkrnlpa|ntkrpamp|hal)$/i;
/** Fields only a kernel `!analyze -v` prints (BUGCHECK_STR is not one: old user-mode analyses print it too). */
const BUGCHECK_KEYS = ['BUGCHECK_CODE', 'BUGCHECK_P1'];

/**
 * A paste of a kernel analysis with no banner or kd> prompt to say so: its stacks run through
 * the kernel (nt!KeBugCheckEx), or it names a bug check.
 */
function showsKernel(s: ReaderState): boolean {
  const kernelFrame = (lines: readonly StackLine[] | null) => lines?.some((l) => l.frame.callSite.module !== null && KERNEL_MODULES.test(l.frame.callSite.module)) ?? false;
  if (s.analyze.blocks.some((a) => kernelFrame(a.block.stack) || BUGCHECK_KEYS.some((k) => a.block.annotations[k] !== undefined))) return true;
  if (BUGCHECK_KEYS.some((k) => s.analyze.loose[k] !== undefined)) return true;
  for (const p of s.threads.pending.values()) if (kernelFrame(p.native)) return true;
  for (const t of s.threads.byId.values()) if (kernelFrame(t.native)) return true;
  return false;
}

/** The one refusal of a text with no debugger output in it, `where` saying how much was looked at. */
export function notDebuggerOutput(where = 'the text'): DumpError {
  return new DumpError('not-a-dump', `no WinDbg or CDB output was found in ${where} (expected a dump banner, an exception line, !analyze -v, k or lm output)`);
}

/**
 * Reads pasted WinDbg/CDB output into the dump model. Pure and synchronous; bounded by
 * `limits` (lines and line length). Throws DumpError('not-a-dump') only when the text holds
 * no debugger output at all; anything less is a partial model with warnings and `missing`.
 */
export function readWindbgText(text: string, name: string, options: ReadOptions = {}): DumpModel {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const split: SplitOptions = { markdownEscaped: looksMarkdownEscaped(text) };
  const meter = new WorkMeter(options.budget);
  if (text.length > PROBE_MIN_CHARS) {
    const end = probeEnd(text, PROBE_LINES);
    if (end < text.length && !recognisesAny(text.slice(0, end), limits, split)) {
      throw notDebuggerOutput(`the first ${PROBE_LINES} lines of the text`);
    }
  }
  const model = emptyModel('windbg-text', name, utf8Length(text));
  const { lines, warnings } = splitLines(text, limits, split);
  const state = new ReaderState();
  state.warnings.push(...warnings);
  meter.poll();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (meter.spend(line.length + LINE_COST)) {
      state.warnings.push(meter.warning(`only the first ${i} of ${lines.length} lines were read`));
      model.missing.push('text past the time budget');
      break;
    }
    feedLine(state, line);
  }
  closeAll(state);
  if (showsKernel(state)) state.session.kernelSeen = true;
  if (state.recognised === 0 && state.session.kernelLines === 0) {
    throw notDebuggerOutput();
  }
  if (state.session.kernelSeen && !state.session.userSeen) {
    throw new DumpError(
      'unsupported',
      'this is kernel debugger output (a kd> session or a kernel dump); only user-mode dumps and sessions can be analysed',
    );
  }
  assemble(state, model, meter);
  return model;
}
