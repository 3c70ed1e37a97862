// Deadlock (critical sections): two or more threads each own a critical section and wait to
// enter one another owns, in a cycle, so none can move. The proof is the owner of each section
// (CRITICAL_SECTION.OwningThread, what `!locks` and `!cs -l -o` print), which lives in process
// memory, not on the stacks. What the stacks show is which threads wait in
// RtlEnterCriticalSection and — when `kb` printed arguments — for which section.
// When the log printed the owners too (model.locks), the wait-for graph is known: each waiter
// points at the owner of the section it waits for, and a cycle in it is the deadlock itself:
// "certain". Without owners (or with owners that form no cycle), reason from the stacks: if
// every thread that is not parked is waiting for a critical section, each section's owner (a
// live thread) must be one of the waiters, so they wait on each other. That is "likely" when at
// least two different sections are known to be involved and no other thread is running, and
// "possible" otherwise (the owner may be gone: an orphaned section).
import { big } from '../engine/core/hex.ts';
import type { DumpModel } from '../engine/core/dump-model.ts';
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';

import { threadStacks } from './lib/exception-frames.ts';
import { threadLabel } from './lib/main-thread.ts';
import { plural } from './lib/model-queries.ts';
import { threadWait, type ThreadWait } from './lib/wait-functions.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { archBits } from '../engine/core/arch.ts';

/** `!analyze -v -hang` fields that name a deadlock when the debugger found one. */
const HANG_FIELDS = ['PRIMARY_PROBLEM_CLASS', 'BUGCHECK_STR', 'DEFAULT_BUCKET_ID', 'FAILURE_BUCKET_ID', 'PROBLEM_CLASSES'];

export default defineDetector({
  id: 'deadlock-critical-sections',
  messages: {
    cycle: '{{threads}} wait for each other’s critical sections: {{chain}}.{{behind}}',
    waiting: '{{threads}} wait for {{why}} and {{rest}}: {{list}}{{more}}. Confirm the owners with !locks or !cs -l -o.',
  },
  detect(model) {
    const waiters: ThreadWait[] = [];
    const others: { id: number; state: 'idle' | 'busy' }[] = [];
    const bits = archBits(model.system.arch) === 64 ? 64 : 32;
    for (const t of model.threads) {
      const w = threadWait(t, bits);
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
    const byId = new Map(model.threads.map((t) => [t.id, t]));
    const proven = ownerCycle(model, waiters);
    if (proven) {
      const label = (id: number): string => threadLabel(byId.get(id)!);
      const lockText = (i: number): string => {
        const l = model.locks![i]!;
        return l.name ? `${l.address} (${l.name})` : l.address;
      };
      const evidence: Evidence[] = proven.map((step) => ({
        kind: 'frames' as const,
        threadId: step.wait.threadId,
        view: step.wait.view,
        frames: step.wait.caller ? [...step.wait.waitFrames, step.wait.caller.index] : step.wait.waitFrames,
        note: `waits to enter the critical section at ${model.locks![step.lock]!.address}, owned by ${label(step.owner)}`,
      }));
      for (const step of proven) {
        evidence.push({ kind: 'field', path: `locks.${step.lock}`, note: `the debugger reports ${label(step.owner)} owns this critical section` });
      }
      const chain = proven.map((step) => `${label(step.wait.threadId)} waits for ${lockText(step.lock)}, owned by ${label(step.owner)}`).join('; ');
      const behind = waiters.length - proven.length;
      return [
        {
          confidence: 'certain',
          messageId: 'cycle',
          data: { threads: plural(proven.length, 'thread'), chain, behind: behind > 0 ? ` ${plural(behind, 'more thread')} ${behind === 1 ? 'waits' : 'wait'} behind them.` : '' },
          evidence,
        },
      ];
    }

    // The owners are known and they form no cycle: each chain of waits ends at a thread that is
    // not waiting for a section. That is a wait chain (Blocked Threads), not a deadlock.
    if (ownersKnown(model, waiters)) return [];

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
        messageId: 'waiting',
        data: { threads: plural(waiters.length, 'thread'), why, rest, list, more: waiters.length > 4 ? '; …' : '' },
        evidence,
      },
    ];
  },
});

interface CycleStep {
  wait: ThreadWait;
  /** Index into model.locks of the section this thread waits for. */
  lock: number;
  owner: number;
}

/**
 * A cycle in the wait-for graph the owners give, in order, or null. Each waiter waits for one
 * section and each section has one owner, so every thread has at most one way out: following
 * it from each waiter either ends (the owner is not waiting, or unknown) or comes back round.
 */
function ownerCycle(model: DumpModel, waiters: readonly ThreadWait[]): CycleStep[] | null {
  if (!model.locks || model.locks.length === 0) return null;
  const lockAt = new Map<bigint, number>();
  model.locks.forEach((l, i) => lockAt.set(big(l.address), i));
  const next = new Map<number, CycleStep>();
  for (const w of waiters) {
    if (w.lockAddress === null) continue;
    const i = lockAt.get(big(w.lockAddress));
    const owner = i === undefined ? null : model.locks[i]!.ownerThreadId;
    // A thread never waits for a section it owns (entering it again succeeds at once).
    if (i === undefined || owner === null || owner === w.threadId) continue;
    next.set(w.threadId, { wait: w, lock: i, owner });
  }
  // Threads already walked from an earlier start: their paths end, or lead into a known cycle.
  const walked = new Set<number>();
  for (const start of next.keys()) {
    const path: number[] = [];
    const onPath = new Set<number>();
    let at: number | undefined = start;
    while (at !== undefined && !onPath.has(at) && !walked.has(at)) {
      path.push(at);
      onPath.add(at);
      at = next.get(at)?.owner;
    }
    for (const id of path) walked.add(id);
    if (at === undefined || !onPath.has(at)) continue;
    // The walk came back to `at`: the cycle is the part of the path from it on.
    const cycle = path.slice(path.indexOf(at)).map((id) => next.get(id)!);
    if (cycle.length >= 2) return cycle;
  }
  return null;
}

/** Every waiter waits for a section the log names an owner of. */
function ownersKnown(model: DumpModel, waiters: readonly ThreadWait[]): boolean {
  if (!model.locks || model.locks.length === 0) return false;
  const owner = new Map(model.locks.map((l) => [big(l.address), l.ownerThreadId]));
  return waiters.every((w) => w.lockAddress !== null && (owner.get(big(w.lockAddress)) ?? null) !== null);
}
