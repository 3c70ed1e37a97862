// The loop both walkers share: try the CPU's strategies in order on the innermost frame found
// so far, keep the first caller that moves up the stack, stop on a cap, a cycle or the end.
// The stack grows down on x86 and x64, so every caller frame must have a higher stack pointer
// than its callee; that rule alone makes the loop finite (and no frame can come twice, the
// stack pointers only rising), the frame cap is belt and braces.
import type { Warning } from '../core/dump-model.ts';
import type { StackWalk, StopReason, UnwindEnv, UnwindLimits, UnwoundFrame } from './types.ts';
import type { WarningKind } from '../core/warnings.ts';

/** What one strategy says about the caller of a frame. */
export type CallerResult<R> =
  | { kind: 'frame'; frame: Omit<UnwoundFrame<R>, 'index'> }
  /** The strategy knows there is no caller (ip 0 from unwind info, a terminated EBP chain). */
  | { kind: 'end' }
  /** The strategy may not guess any further (see UnwindLimits.maxLooseRun). */
  | { kind: 'stop'; reason: 'cap-scan' }
  /** The strategy does not apply or its answer failed validation. */
  | null;

/** `first` is frame 0 of the walk (the thread's context), for a strategy that needs to know where the walk began. */
export type Strategy<R> = (
  callee: UnwoundFrame<R>,
  env: UnwindEnv,
  limits: UnwindLimits,
  warnings: Warning[],
  first: UnwoundFrame<R>,
) => Promise<CallerResult<R>>;

const STOP_MESSAGE: Record<StopReason, string> = {
  'end-of-stack': 'end of stack',
  'no-caller-found': 'no caller found: the stack walk cannot continue past this frame',
  'cap-frames': 'stopped at the frame limit',
  'cap-time': 'stopped: the analysis ran out of time',
  cycle: 'stopped: the next frame would not move up the stack',
  'cap-scan': 'stopped: too many frames in a row were found by scanning without code to check them',
  cancelled: 'stack walk cancelled',
};

export function addWarning(warnings: Warning[], kind: WarningKind, message: string): void {
  if (warnings.length < 100 && !warnings.some((w) => w.kind === kind && w.message === message)) warnings.push({ kind, message });
}

export async function runWalk<R>(first: UnwoundFrame<R>, strategies: readonly Strategy<R>[], env: UnwindEnv, limits: UnwindLimits): Promise<StackWalk<R>> {
  const frames: UnwoundFrame<R>[] = [first];
  const warnings: Warning[] = [];
  let stop: StopReason = 'cap-frames';
  while (frames.length < limits.maxFrames) {
    if (limits.signal?.aborted) {
      stop = 'cancelled';
      break;
    }
    if (limits.timeUp?.()) {
      stop = 'cap-time';
      break;
    }
    const callee = frames[frames.length - 1]!;
    let caller: Omit<UnwoundFrame<R>, 'index'> | null = null;
    let ended = false;
    let cycled = false;
    let capped = false;
    // Indexed: a for-of allocates per step in code not yet optimized, as a walk's mostly is.
    for (let i = 0; i < strategies.length; i++) {
      const result = await strategies[i]!(callee, env, limits, warnings, first);
      if (!result) continue;
      if (result.kind === 'end') {
        ended = true;
        break;
      }
      if (result.kind === 'stop') {
        capped = true;
        break;
      }
      const f = result.frame;
      if (f.sp <= callee.sp) {
        cycled = true;
        continue;
      }
      caller = f;
      break;
    }
    if (!caller) {
      stop = ended ? 'end-of-stack' : capped ? 'cap-scan' : cycled ? 'cycle' : 'no-caller-found';
      break;
    }
    if (caller.ip === 0n) {
      stop = 'end-of-stack';
      break;
    }
    frames.push({ index: frames.length, ...caller });
  }
  if (stop === 'cap-frames') addWarning(warnings, 'cap-frames', `stack walk stopped at ${limits.maxFrames} frames`);
  if (stop === 'cap-scan') addWarning(warnings, 'cap-scan', `a stack walk stopped after ${limits.maxLooseRun} frames in a row found by scanning without module code`);
  return { frames, stop, stopMessage: STOP_MESSAGE[stop], warnings };
}
