// Stack Trace Collection: the input holds the stacks of all (or many) threads, as `~*k` prints
// them, and the answer may be on a thread other than the one the debugger stopped on. The
// detector reads the collection the way an analyst skims `~*kv`: it groups threads whose
// stacks are the same, and sorts each thread into raising/dispatching an exception, blocked
// in a wait, idle (thread pool, message loop, timers) or running, so the odd one out shows.
import type { Frame, Thread } from '../engine/core/dump-model.ts';
import type { Evidence, StackView } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { exceptionStack, threadStacks } from './lib/exception-frames.ts';

import { threadLabel } from './lib/main-thread.ts';
import { plural } from './lib/model-queries.ts';
import { threadWait } from './lib/wait-functions.ts';
import { frameText } from '../engine/core/frame-text.ts';

/** Frames compared to call two stacks the same: enough to tell worker loops apart. */
const SIGNATURE_DEPTH = 8;
/** Groups described with evidence; the rest are only counted. */
const MAX_GROUPS = 8;

/** 'unnamed': the top frame has no function name, so what the thread does cannot be told. */
type State = 'exception' | 'blocked' | 'idle' | 'running' | 'unnamed';

const WORDS: Record<State, string> = {
  exception: 'faulting or handling an exception',
  blocked: 'blocked',
  running: 'running',
  idle: 'idle',
  unnamed: 'with no function name at the top',
};

interface ThreadStack {
  thread: Thread;
  view: StackView;
  frames: readonly Frame[];
  state: State;
}

/**
 * The frames two stacks are compared by: the first few, up to the first one found by scanning.
 * A scanned frame may be a stale value, which would split two threads doing the same thing, and
 * a certain finding does not rest on one.
 */
function signature(frames: readonly Frame[]): string {
  const scanned = frames.findIndex((f) => f.trust === 'scan');
  return frames
    .slice(0, Math.min(SIGNATURE_DEPTH, scanned < 0 ? frames.length : Math.max(1, scanned)))
    .map((f) => (f.module !== null ? `${f.module.toLowerCase()}!${f.symbol ?? ''}+${f.offset ?? ''}` : f.address))
    .join('|');
}

function stateOf(thread: Thread, view: StackView, frames: readonly Frame[], crashed: boolean): State {
  if (crashed && thread.faulting) return 'exception';
  const ex = exceptionStack(thread.id, view, frames);
  if (ex && ex.matches.some((m) => m.role === 'entry' || m.role === 'raise' || m.role === 'dispatch' || m.role === 'unhandled')) return 'exception';
  const w = threadWait(thread);
  if (w) return w.idle || w.kind === 'sleep' ? 'idle' : 'blocked';
  return frames[0]?.symbol ? 'running' : 'unnamed';
}

export default defineDetector({
  id: 'stack-trace-collection',
  messages: {
    collection: 'Stacks of {{threads}} ({{distinct}}): {{states}}{{shared}}{{look}}.',
  },
  detect(model) {
    const stacks: ThreadStack[] = [];
    for (const t of model.threads) {
      const s = threadStacks(t)[0];
      if (!s) continue;
      stacks.push({ thread: t, view: s.view, frames: s.frames, state: stateOf(t, s.view, s.frames, model.exception !== null) });
    }
    if (stacks.length < 2) return [];

    const groups = new Map<string, ThreadStack[]>();
    for (const s of stacks) {
      const key = `${s.view}:${signature(s.frames)}`;
      const g = groups.get(key);
      if (g) g.push(s);
      else groups.set(key, [s]);
    }
    const ordered = [...groups.values()].sort((a, b) => b.length - a.length);

    const evidence: Evidence[] = [];
    for (const g of ordered.slice(0, MAX_GROUPS)) {
      const rep = g.find((s) => s.thread.faulting) ?? g[0]!;
      const top = rep.frames.slice(0, Math.min(3, rep.frames.length)).map((f) => f.index);
      const others = g.length > 1 ? ` (same stack on ${plural(g.length - 1, 'more thread')}: ${g.filter((s) => s !== rep).slice(0, 6).map((s) => threadLabel(s.thread)).join(', ')})` : '';
      evidence.push({ kind: 'frames', threadId: rep.thread.id, view: rep.view, frames: top, note: `${WORDS[rep.state]}${others}` });
    }

    const count = (st: State) => stacks.filter((s) => s.state === st).length;
    const states = (['exception', 'blocked', 'running', 'idle', 'unnamed'] as const)
      .map((st) => [st, count(st)] as const)
      .filter(([, n]) => n > 0)
      .map(([st, n]) => `${n} ${WORDS[st]}`);
    const biggest = ordered[0]!;
    const compared = biggest[0]!.frames.slice(0, 2).filter((f, i) => i === 0 || f.trust !== 'scan');
    const shared = biggest.length > 1 ? `; the largest group, ${biggest.length} threads, shares ${compared.map(frameText).join(' ← ')}` : '';
    const odd = stacks.filter((s) => s.state === 'exception' || s.state === 'blocked');
    const look = odd.length > 0 ? `; read first: ${odd.slice(0, 4).map((s) => threadLabel(s.thread)).join(', ')}` : '';
    return [
      {
        confidence: 'certain',
        messageId: 'collection',
        data: { threads: plural(stacks.length, 'thread'), distinct: plural(groups.size, 'distinct stack'), states: states.join(', '), shared, look },
        evidence,
      },
    ];
  },
});
