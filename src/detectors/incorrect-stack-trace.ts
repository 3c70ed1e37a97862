// Incorrect Stack Trace: a stack as printed (or walked) that cannot be the real chain of calls
// beyond some frame. Some signs prove it: a return address of zero (no call returns there),
// frames after the function every thread starts in (RtlUserThreadStart, BaseThreadStart…: it
// never returns, so nothing can be its caller). Others make it likely: a stack pointer that
// moves towards the top of the stack or leaps megabytes away (the walker followed a value
// that was not a frame pointer), the debugger's own "Frame IP not in any known module"
// warning. Frames found by scanning the stack are not counted on their own: a scan that finds
// real return addresses (the usual case for a module whose unwind data is not at hand) is
// right, and a sign that fires on every such dump would drown the ones that matter.
import { big } from '../engine/core/hex.ts';
import type { Frame } from '../engine/core/dump-model.ts';
import type { Confidence, Evidence, StackView } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';

import { threadStacks } from './lib/exception-frames.ts';
import { threadLabel } from './lib/main-thread.ts';
import { plural } from './lib/model-queries.ts';
import { scanCapped } from './lib/scanned-frames.ts';
import { frameText } from '../engine/core/frame-text.ts';

/** Functions at the very bottom of every thread: they never return, so nothing calls them. */
const OUTERMOST = new Set([
  'RtlUserThreadStart',
  '_RtlUserThreadStart',
  'BaseThreadStart',
  'BaseProcessStart',
  'BaseThreadStartThunk',
  'BaseProcessStartThunk',
]);

/** A thread's stack is 1 MiB by default and rarely more than a few: a bigger leap is no frame. */
const MAX_FRAME_LEAP = 16n * 1024n * 1024n;

const RANK: Record<Confidence, number> = { certain: 0, likely: 1, possible: 2 };

interface Sign {
  threadId: number;
  view: StackView;
  frames: number[];
  confidence: Confidence;
  text: string;
}

function bareName(f: Frame): string | null {
  return f.symbol === null ? null : f.symbol.replace(/@\d+$/, '');
}

function isZeroFrame(f: Frame): boolean {
  return f.module === null && f.symbol === null && big(f.address) === 0n && !(f.note ?? '').includes('not printed');
}

/** The strongest sign on one stack, or null when it looks sound. */
function stackSign(threadId: number, view: StackView, frames: readonly Frame[]): Sign | null {
  const signs: Sign[] = [];
  const at = (frames_: number[], confidence: Confidence, text: string) => signs.push({ threadId, view, frames: frames_, confidence, text });

  const start = frames.findIndex((f) => {
    const n = bareName(f);
    return n !== null && OUTERMOST.has(n);
  });
  if (start >= 0 && start < frames.length - 1) {
    const after = frames.slice(start + 1);
    // Proof when a debugger or an unwinder went past the start; when the frames past it were
    // found by scanning, the walk was guessing there (a stale value above the thread's first frame).
    at([frames[start]!.index, after[0]!.index], scanCapped('certain', after), `${after.length} frames after ${frameText(frames[start]!)}, where every thread begins`);
  }
  const zero = frames.findIndex((f, i) => i > 0 && isZeroFrame(f));
  if (zero > 0) at([frames[zero - 1]!.index, frames[zero]!.index], scanCapped('certain', [frames[zero]!]), `a return address of 0 after ${frameText(frames[zero - 1]!)}`);

  for (let i = 1; i < frames.length; i++) {
    const a = frames[i - 1]!;
    const b = frames[i]!;
    if (a.sp === null || b.sp === null || isZeroFrame(b)) continue;
    const spA = big(a.sp);
    const spB = big(b.sp);
    if (spB < spA) {
      at([a.index, b.index], 'likely', `the stack pointer moves back up at ${frameText(b)} (${a.sp} → ${b.sp})`);
      break;
    }
    if (spB - spA > MAX_FRAME_LEAP) {
      at([a.index, b.index], 'likely', `the stack pointer leaps from ${a.sp} to ${b.sp} at ${frameText(b)}`);
      break;
    }
  }
  const lost = frames.find((f) => f.note !== undefined && /Frame IP not in any known module/i.test(f.note));
  if (lost) at([lost.index], 'likely', `the debugger lost the frame chain at ${frameText(lost)} ("Frame IP not in any known module")`);
  const noInfo = frames.find((f) => f.note !== undefined && /unwind information not available/i.test(f.note));
  if (noInfo) at([noInfo.index], 'possible', `no unwind information for ${frameText(noInfo)}; the frames after it are guesses`);

  if (signs.length === 0) return null;
  return signs.sort((x, y) => RANK[x.confidence] - RANK[y.confidence])[0]!;
}

export default defineDetector({
  id: 'incorrect-stack-trace',
  messages: {
    wrongStacks: '{{verdict}} beyond some frame on {{threads}}; {{where}}.',
  },
  detect(model) {
    const signs: Sign[] = [];
    for (const t of model.threads) {
      for (const s of threadStacks(t)) {
        const sign = stackSign(t.id, s.view, s.frames);
        if (sign) signs.push(sign);
      }
    }
    if (signs.length === 0) return [];
    signs.sort((x, y) => RANK[x.confidence] - RANK[y.confidence]);
    const best = signs[0]!.confidence;
    const evidence: Evidence[] = signs.slice(0, 12).map((s) => ({ kind: 'frames' as const, threadId: s.threadId, view: s.view, frames: s.frames, note: s.text }));
    const byId = new Map(model.threads.map((t) => [t.id, t]));
    const strongest = signs.filter((s) => s.confidence === best);
    const threads = new Set(strongest.map((s) => s.threadId)).size;
    const first = strongest[0]!;
    const where = `${threadLabel(byId.get(first.threadId)!)}${first.view === 'x86' ? ' (x86 view)' : ''}: ${first.text}`;
    return [
      {
        confidence: best,
        messageId: 'wrongStacks',
        data: { verdict: best === 'certain' ? 'Stack traces are wrong' : best === 'likely' ? 'Stack traces are probably wrong' : 'Stack traces may be wrong', threads: plural(threads, 'thread'), where },
        evidence,
      },
    ];
  },
});
