// Deadlock (critical sections): two or more threads each own a critical section and wait to
// enter one another owns, in a cycle, so none can move. The proof is the owner of each section
// (CRITICAL_SECTION.OwningThread), which lives in process memory, not on the stacks. Model
// assembly reads it — from a full-memory dump's own bytes, validated, or from a pasted `!locks`
// / `!cs -l -o` — into the wait graph (model.waitGraph): each waiter points at the owner of the
// section it waits for, and a cycle of critical-section links is the deadlock itself: "certain"
// (only "likely" when a link rests on frames found by stack scanning). A cycle through a mutex
// or a thread handle is Deadlock (Mixed Objects, User Space); owners that form no cycle are a
// wait chain, and this stays silent. Without owners, reason from the stacks: if every thread
// that is not parked is waiting for a critical section, each section's owner (a live thread)
// must be one of the waiters, so they wait on each other. That is "likely" when at least two
// different sections are known to be involved and no other thread is running, and "possible"
// otherwise (the owner may be gone: an orphaned section).
import { big } from '../engine/core/hex.ts';
import type { DumpModel, WaitLink } from '../engine/core/dump-model.ts';
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';

import { threadStacks } from './lib/exception-frames.ts';
import { threadLabel } from './lib/main-thread.ts';
import { plural } from './lib/model-queries.ts';
import { threadWait, type ThreadWait } from './lib/wait-functions.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { framesAt, scannedOnly } from './lib/scanned-frames.ts';
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
    // The wait graph gave every waiter's section an owner and no cycle runs through them: a
    // wait chain (or contention), not a deadlock.
    if (graphShowsNoCycle(model, waiters)) return [];
    const proven = ownerCycle(model);
    if (proven) {
      const label = (id: number): string => threadLabel(byId.get(id)!);
      const lockText = (i: number): string => {
        const l = model.locks![i]!;
        return l.name ? `${l.address} (${l.name})` : l.address;
      };
      const evidence: Evidence[] = proven.map((step) => ({
        kind: 'frames' as const,
        threadId: step.threadId,
        view: step.view,
        frames: step.frames,
        note: `waits to enter the critical section at ${model.locks![step.lock]!.address}, owned by ${label(step.owner)}`,
      }));
      for (const step of proven) {
        const who = step.source === 'memory' ? 'the section in the dump’s memory names' : 'the debugger reports';
        evidence.push({ kind: 'field', path: `locks.${step.lock}`, note: `${who} ${label(step.owner)} as the owner of this critical section` });
      }
      const chain = proven.map((step) => `${label(step.threadId)} waits for ${lockText(step.lock)}, owned by ${label(step.owner)}`).join('; ');
      const behind = Math.max(0, waiters.length - proven.length);
      // Frames found only by scanning the stack are guesses: a cycle resting on them is not proof.
      const scanned = proven.some((step) => scannedOnly(framesAt(byId.get(step.threadId)!, step.view, step.frames)));
      return [
        {
          confidence: scanned ? 'likely' : 'certain',
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
  threadId: number;
  view: 'native' | 'x86';
  /** The wait's frames on the waiter's stack, then its caller. */
  frames: number[];
  /** Index into model.locks of the section this thread waits for. */
  lock: number;
  owner: number;
  source: WaitLink['source'];
}

/**
 * The first cycle of the wait graph (model.waitGraph, built from the dump's memory or from the
 * debugger's `!locks`) in which every link is a critical section, in wait order; or null. A
 * cycle through a mutex or a thread handle is Deadlock (Mixed Objects, User Space).
 */
function ownerCycle(model: DumpModel): CycleStep[] | null {
  const g = model.waitGraph;
  if (!g) return null;
  for (const cycle of g.cycles) {
    const links = cycle.map((i) => g.links[i]!);
    if (links.length < 2 || !links.every((l) => l.on.kind === 'critical-section' && l.ownerThreadId !== null)) continue;
    return links.map((l) => ({ threadId: l.threadId, view: l.view, frames: l.frames, lock: l.on.record, owner: l.ownerThreadId!, source: l.source }));
  }
  return null;
}

/**
 * True when the wait graph resolved the section of every thread waiting in the critical-section
 * path to its owner and found no cycle among them (nor through them into another kind of wait).
 */
function graphShowsNoCycle(model: DumpModel, waiters: readonly ThreadWait[]): boolean {
  const g = model.waitGraph;
  if (!g || g.cycles.length > 0) return false;
  const linked = new Set(g.links.filter((l) => l.on.kind === 'critical-section' && l.ownerThreadId !== null).map((l) => l.threadId));
  return waiters.every((w) => linked.has(w.threadId));
}

/** Every waiter waits for a section the log names an owner of. */
function ownersKnown(model: DumpModel, waiters: readonly ThreadWait[]): boolean {
  if (!model.locks || model.locks.length === 0) return false;
  const owner = new Map(model.locks.map((l) => [big(l.address), l.ownerThreadId]));
  return waiters.every((w) => w.lockAddress !== null && (owner.get(big(w.lockAddress)) ?? null) !== null);
}
