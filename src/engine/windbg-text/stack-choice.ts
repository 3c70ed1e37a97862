// One thread, several prints of its stack: `k` then `kb`, `~*k` then `~3kv`, the thread's own
// `k` and the `!analyze -v` STACK_TEXT. The model keeps one stack per view; this module
// decides which.
import type { ReaderState } from './reader-state.ts';
import type { StackLine } from './stack-line.ts';

/**
 * Keep the stack that tells more: more frames, then stack pointers (k over kc), then arguments
 * (kb/kv over k); on a full tie, the later print.
 */
export function longer(a: StackLine[] | null, b: StackLine[]): StackLine[] {
  if (a === null || b.length > a.length) return b;
  if (b.length < a.length) return a;
  const score = (s: StackLine[]) => (s.some((l) => l.frame.sp !== null) ? 2 : 0) + (s.some((l) => l.frame.args.length > 0) ? 1 : 0);
  return score(b) >= score(a) ? b : a;
}

/**
 * The analysis stack is unwound from the exception context (.ecxr), and `k` stops at its
 * default frame count, so for the faulting thread the !analyze stack replaces the thread's
 * own stack of the same view when it is at least as long. In a WOW64 log this makes the
 * x86 `!analyze -v` stack (down to the application's frames) the thread's x86 view.
 */
export function adoptAnalysisStacks(s: ReaderState, faultingTid: number | null): void {
  for (const a of s.analyze.blocks) {
    if (a.block.stack.length === 0 || faultingTid === null) continue;
    const t = s.thread(faultingTid);
    if (a.view === 'x86') t.x86 = longer(t.x86, a.block.stack);
    else t.native = longer(t.native, a.block.stack);
  }
}
