// High Contention (Critical Sections): many threads wait to enter the same critical section at
// once, queued behind one owner. The section and its owner come from the model: read from a
// full-memory dump's memory and validated, or printed by `!locks`; which threads wait for it
// from the wait graph. Certain when at least three waiters are seen on their stacks (and no
// link rests only on frames found by scanning); likely when the section's own LockCount says
// at least three wait but fewer of their stacks resolve to it. A section that is part of a
// deadlock ring is left to the Deadlock patterns: its queue is the deadlock's consequence.
import type { DumpModel, WaitLink } from '../engine/core/dump-model.ts';
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { plural } from './lib/model-queries.ts';
import { headEvidence, headText, linksConfidence, threadText } from './lib/wait-graph.ts';

/** Waiters from which a queue on one section counts as high contention. */
export const MIN_WAITERS = 3;

const messages = {
  seen: '{{waiters}} wait to enter {{section}}, owned by {{owner}}: {{list}}{{more}}.',
  counted: '{{section}}, owned by {{owner}}, has {{waiters}} waiting (LockCount {{lockCount}}{{contention}}); {{seen}} on the stacks shown.',
} as const;

function sectionText(model: DumpModel, i: number): string {
  const l = model.locks![i]!;
  return `the critical section ${l.address}${l.name ? ` (${l.name})` : ''}`;
}

export default defineDetector({
  id: 'high-contention-critical-sections',
  messages,
  detect(model) {
    const locks = model.locks ?? [];
    if (locks.length === 0) return [];
    const g = model.waitGraph;
    const inRing = new Set<number>();
    for (const cycle of g?.cycles ?? []) for (const i of cycle) if (g!.links[i]!.on.kind === 'critical-section') inRing.add(g!.links[i]!.on.record);
    let best: { lock: number; links: WaitLink[]; waiters: number } | null = null;
    locks.forEach((l, i) => {
      if (l.ownerThreadId === null || inRing.has(i)) return;
      const links = (g?.links ?? []).filter((x) => x.on.kind === 'critical-section' && x.on.record === i);
      const waiters = Math.max(links.length, l.lockCount ?? 0);
      if (waiters < MIN_WAITERS) return;
      if (!best || waiters > best.waiters) best = { lock: i, links, waiters };
    });
    if (!best) return [];
    const { lock, links, waiters } = best as { lock: number; links: WaitLink[]; waiters: number };
    const record = locks[lock]!;
    const owner = record.ownerThreadId!;
    const head = { threadId: owner, processId: null, inDump: model.threads.some((t) => t.id === owner), waitsOn: null };
    const evidence: Evidence[] = links.map((l) => ({
      kind: 'frames' as const,
      threadId: l.threadId,
      view: l.view,
      frames: l.frames,
      note: `waits to enter ${sectionText(model, lock)}, owned by ${threadText(model, owner)}`,
    }));
    evidence.push({ kind: 'field', path: `locks.${lock}`, note: `${sectionText(model, lock)}: LockCount ${record.lockCount ?? '?'} (threads waiting)${record.contention !== null ? `, ContentionCount ${record.contention}` : ''}` });
    evidence.push(...headEvidence(model, head));
    const ownerText = headText(model, head);
    if (links.length >= MIN_WAITERS) {
      return [
        {
          confidence: linksConfidence(model, links),
          messageId: 'seen',
          data: {
            waiters: plural(links.length, 'thread'),
            section: sectionText(model, lock),
            owner: ownerText,
            list: links.slice(0, 4).map((l) => threadText(model, l.threadId)).join(', '),
            more: links.length > 4 ? ` and ${links.length - 4} more` : '',
            ownerThreadId: owner,
            waitersSeen: links.length,
          },
          evidence,
        },
      ];
    }
    return [
      {
        confidence: 'likely',
        messageId: 'counted',
        data: {
          waiters: plural(waiters, 'thread'),
          section: sectionText(model, lock),
          owner: ownerText,
          lockCount: record.lockCount ?? 0,
          contention: record.contention !== null ? `, ContentionCount ${record.contention}` : '',
          seen: links.length === 0 ? 'none of them' : `${links.length} of them`,
          ownerThreadId: owner,
          waitersSeen: links.length,
        },
        evidence,
      },
    ];
  },
});
