// Frames found by scanning the stack are guesses: a value that looks like a return address may
// be a stale one left by a call long returned, and without module code (the usual Windows
// minidump) nothing checked that a CALL precedes it. A finding may point at such frames, but it
// is never certain on them alone: at least one frame it rests on must come from the context, a
// debugger's own walk, unwind information or the frame-pointer chain.
import type { Frame, Thread } from '../../engine/core/dump-model.ts';
import type { Confidence, StackView } from '../../engine/report/schema.ts';

/** True when there are frames and every one of them was found by scanning. */
export function scannedOnly(frames: readonly Frame[]): boolean {
  return frames.length > 0 && frames.every((f) => f.trust === 'scan');
}

/** The frames of one stack of a thread, by index. */
export function framesAt(thread: Thread, view: StackView, indices: readonly number[]): Frame[] {
  const frames = view === 'x86' ? (thread.x86Frames ?? []) : thread.frames;
  return frames.filter((f) => indices.includes(f.index));
}

/** `confidence`, lowered from certain to likely when the frames it rests on were all found by scanning. */
export function scanCapped<C extends Confidence>(confidence: C, frames: readonly Frame[]): C | 'likely' {
  return confidence === 'certain' && scannedOnly(frames) ? 'likely' : confidence;
}
