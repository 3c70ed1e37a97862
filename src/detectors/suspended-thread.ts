// Suspended Thread: a thread whose suspend count says someone suspended it (SuspendThread, or
// CREATE_SUSPENDED and never resumed): it runs no code, whatever its stack shows, and whatever
// it holds (a lock, a message queue, work others wait for) stays held.
//
// The count in a dump is not the program's alone. Windows' dbghelp suspends every thread of the
// process it dumps and records the count including its own suspension, so a plain thread shows
// 1 and one the program suspended shows 2 or more; a debugger does the same in a live session
// (WinDbg's `~` prints Suspend: 1 for every running thread). A dump a process writes of itself
// shows 0 for the writing thread. A snapshot-based writer does not suspend at all. Wine's
// dbghelp stores the count from before its own suspension: 0 for a running thread. So counts
// are compared with each other, never with a fixed number: a thread is suspended when its count
// stands above the count most threads of the same dump share, and certain when it is 2 or more
// (above any writer's single suspension) or the writer is known to leave its own out.
import type { Thread } from '../engine/core/dump-model.ts';
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { threadLabel } from '../engine/core/thread-label.ts';
import { findNamedFrame, functionName } from './lib/named-frames.ts';
import { plural, shortName } from './lib/model-queries.ts';

/** Writers whose stored count leaves out their own suspension. */
const OWN_SUSPENSION_LEFT_OUT = new Set(['Wine dbghelp']);
/** The dump writer's own code: its thread is the one not suspended. */
const WRITER_FRAMES = new Set(['MiniDumpWriteDump']);
/** DLLs that hold MiniDumpWriteDump: loaded in a process that may have dumped itself. */
const DUMP_WRITER_MODULES = new Set(['dbghelp', 'dbgcore']);
/** Where a thread that never ran stands: the start thunk, before any of the program's code. */
const THREAD_START = new Set(['RtlUserThreadStart', 'BaseThreadInitThunk', 'LdrInitializeThunk', 'RtlpUserThreadStart', 'BaseThreadStart', 'BaseProcessStart']);
/** Threads listed by name, at most. */
const LISTED = 6;

/** The count most threads share (the lower one on a tie). */
function usualCount(counts: readonly number[]): number {
  const tally = new Map<number, number>();
  for (const c of counts) tally.set(c, (tally.get(c) ?? 0) + 1);
  let best = counts[0]!;
  for (const [c, n] of tally) if (n > tally.get(best)! || (n === tally.get(best)! && c < best)) best = c;
  return best;
}

function neverRan(t: Thread): boolean {
  const f0 = t.frames[0];
  if (!f0 || f0.index !== 0) return false;
  const name = functionName(f0);
  return name !== null && THREAD_START.has(name);
}

export default defineDetector({
  id: 'suspended-thread',
  messages: {
    suspended: '{{threads}} suspended: {{list}}{{more}}. A suspended thread runs nothing until resumed; what it holds stays held.',
  },
  detect(model) {
    // A thread the debugger froze (~f) is the debugger's doing, not the program's. The thread
    // that wrote the dump is the writer's: one with MiniDumpWriteDump on its stack, and the
    // exception thread when the process holds a dump writer (a crash handler that dumped the
    // process from its own thread; Wine's dbghelp then records 1 for it).
    const selfWritten = model.modules.some((m) => DUMP_WRITER_MODULES.has(shortName(m.name)));
    const candidates = model.threads.filter(
      (t) => t.suspendCount !== null && t.frozen !== true && !findNamedFrame(t, WRITER_FRAMES) && !(selfWritten && t.faulting),
    );
    if (candidates.length === 0) return [];
    const knownWriter = model.dump.writer !== null && OWN_SUSPENSION_LEFT_OUT.has(model.dump.writer);
    // The exception thread may be the writing one (count 0 in a self-written dump): it does not
    // set the usual count.
    const others = candidates.filter((t) => !t.faulting);
    let usual: number;
    if (knownWriter) usual = 0;
    else if (others.length >= 2) usual = usualCount(others.map((t) => t.suspendCount!));
    else return []; // nothing to compare with
    const suspended = candidates.filter((t) => t.suspendCount! > usual);
    if (suspended.length === 0) return [];
    const certain = suspended.every((t) => knownWriter || t.suspendCount! >= 2);
    const evidence: Evidence[] = suspended.map((t) => ({
      kind: 'thread' as const,
      threadId: t.id,
      note: `suspend count ${t.suspendCount} (most threads of this dump: ${usual})${neverRan(t) ? '; it never ran' : ''}`,
    }));
    const list = suspended
      .slice(0, LISTED)
      .map((t) => {
        const where = neverRan(t) ? ', created suspended and never run' : t.frames[0] ? ` at ${frameText(t.frames[0])}` : '';
        return `${threadLabel(t)} (suspend count ${t.suspendCount})${where}`;
      })
      .join('; ');
    return [
      {
        confidence: certain ? 'certain' : 'possible',
        messageId: 'suspended',
        data: {
          threads: plural(suspended.length, 'thread'),
          list,
          more: suspended.length > LISTED ? `; and ${suspended.length - LISTED} more` : '',
          count: suspended.length,
          usual,
        },
        evidence,
      },
    ];
  },
});
