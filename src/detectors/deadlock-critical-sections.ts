// Deadlock (critical sections): two or more threads each own a critical section and wait to
// enter one another owns, in a cycle, so none can move. The proof is the owner of each section
// (CRITICAL_SECTION.OwningThread, what `!locks` and `!cs -l -o` print), which lives in process
// memory, not on the stacks; the dump model has stacks only. What the stacks do show is which
// threads wait in RtlEnterCriticalSection and — when `kb` printed arguments — for which section.
// Reasoning from that: if every thread that is not parked is waiting for a critical section,
// each section's owner (a live thread) must be one of the waiters, so they wait on each other.
// That is "likely" when at least two different sections are known to be involved and no other
// thread is running, and "possible" otherwise (the owner may be gone: an orphaned section).
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from './lib/contract.ts';
import { frameText } from './lib/exception-codes.ts';
import { threadStacks } from './lib/exception-frames.ts';
import { threadLabel } from './lib/main-thread.ts';
import { plural } from './lib/model-queries.ts';
import { threadWait, type ThreadWait } from './lib/wait-functions.ts';

/** `!analyze -v -hang` fields that name a deadlock when the debugger found one. */
const HANG_FIELDS = ['PRIMARY_PROBLEM_CLASS', 'BUGCHECK_STR', 'DEFAULT_BUCKET_ID', 'FAILURE_BUCKET_ID', 'PROBLEM_CLASSES'];

export default defineDetector({
  id: 'deadlock-critical-sections',
  detect(model) {
    const waiters: ThreadWait[] = [];
    const others: { id: number; state: 'idle' | 'busy' }[] = [];
    for (const t of model.threads) {
      const w = threadWait(t);
      if (w && w.kind === 'critical-section') {
        waiters.push(w);
        continue;
      }
      if (threadStacks(t).length === 0) continue;
      // A thread the dump writer or debugger added, or one parked, cannot own a section and run.
      const tool = threadStacks(t).some((s) => s.frames.some((f) => f.symbol === 'DbgUiRemoteBreakin' || f.symbol === 'MiniDumpWriteDump'));
      const parked = w !== null && (w.idle || w.kind === 'sleep');
      others.push({ id: t.id, state: tool || parked ? 'idle' : 'busy' });
    }
    if (waiters.length < 2) return [];

    const sections = new Set(waiters.map((w) => w.lockAddress).filter((a) => a !== null));
    const allKnown = waiters.every((w) => w.lockAddress !== null);
    // All waiting for the same section: its owner is not among them (entering a section one
    // owns succeeds), so this is a held or orphaned lock, not a cycle.
    if (allKnown && sections.size === 1) return [];
    const busy = others.filter((o) => o.state === 'busy');
    const hang = HANG_FIELDS.filter((k) => /dead\s*lock/i.test(model.annotations[k] ?? ''));

    const evidence: Evidence[] = waiters.map((w) => ({
      kind: 'frames' as const,
      threadId: w.threadId,
      view: w.view,
      frames: w.caller ? [...w.waitFrames, w.caller.index] : w.waitFrames,
      note: w.lockAddress ? `waits to enter the critical section at ${w.lockAddress}` : 'waits to enter a critical section',
    }));
    for (const k of hang) evidence.push({ kind: 'field', path: `annotations.${k}`, note: 'the debugger’s hang analysis names a deadlock' });

    const cycle = allKnown && sections.size >= 2 && busy.length === 0;
    const confidence = cycle || hang.length > 0 ? 'likely' : 'possible';
    const byId = new Map(model.threads.map((t) => [t.id, t]));
    const list = waiters
      .slice(0, 4)
      .map((w) => `${threadLabel(byId.get(w.threadId)!)}${w.lockAddress ? ` waits for ${w.lockAddress}` : ' waits'}${w.caller ? ` from ${frameText(w.caller)}` : ''}`)
      .join('; ');
    const why =
      sections.size >= 2
        ? `${plural(sections.size, 'different critical section')}`
        : 'critical sections (which ones the stacks do not say)';
    const rest = busy.length === 0 ? 'no other thread is running' : `${plural(busy.length, 'other thread')} could still own them`;
    return [
      {
        confidence,
        summary: `${plural(waiters.length, 'thread')} wait for ${why} and ${rest}: ${list}${waiters.length > 4 ? '; …' : ''}. Confirm the owners with !locks or !cs -l -o.`,
        evidence,
      },
    ];
  },
});
