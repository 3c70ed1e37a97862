// Deadlock (Mixed Objects, User Space): threads of one process wait for each other in a cycle
// that runs through at least one kernel object — a mutex one thread owns and another waits on,
// or a thread handle (waiting for a thread that never ends because it waits for the waiter) —
// possibly with critical sections in the same ring. A ring of critical sections alone is
// Deadlock (Critical Sections). The ring comes from the model's wait graph: mutex owners and
// the threads behind thread handles from the dump's handle table, sections from its memory,
// each thread's handle from its wait. Certain when no link rests only on frames found by stack
// scanning; likely otherwise.
import type { DumpModel, WaitLink } from '../engine/core/dump-model.ts';
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector, type DetectorFinding } from '../engine/report/detector.ts';
import { plural } from './lib/model-queries.ts';
import { linkEvidence, linksConfidence, linkText } from './lib/wait-graph.ts';

const messages = {
  cycle: '{{threads}} wait for each other through {{objects}}: {{chain}}.{{behind}}',
} as const;

/** Threads not on the ring whose waits lead into it. */
function behindRing(links: readonly WaitLink[], ring: ReadonlySet<number>): number {
  const out = new Map<number, number>();
  for (const l of links) if (l.ownerThreadId !== null && !out.has(l.threadId)) out.set(l.threadId, l.ownerThreadId);
  let n = 0;
  for (const start of out.keys()) {
    if (ring.has(start)) continue;
    let at: number | undefined = start;
    for (let steps = 0; at !== undefined && steps <= out.size; steps++) {
      if (ring.has(at)) {
        n++;
        break;
      }
      at = out.get(at);
    }
  }
  return n;
}

function objectsText(links: readonly WaitLink[]): string {
  const kinds = new Map<string, number>();
  const words: Record<string, [string, string]> = {
    'critical-section': ['critical section', 'critical sections'],
    mutex: ['mutex', 'mutexes'],
    thread: ['thread handle', 'thread handles'],
    process: ['process handle', 'process handles'],
  };
  for (const l of links) kinds.set(l.on.kind, (kinds.get(l.on.kind) ?? 0) + 1);
  return [...kinds].map(([k, n]) => `${n} ${(words[k] ?? ['object', 'objects'])[n === 1 ? 0 : 1]}`).join(' and ');
}

export default defineDetector({
  id: 'deadlock-mixed-objects-user-space',
  messages,
  detect(model: DumpModel) {
    const g = model.waitGraph;
    if (!g) return [];
    const findings: DetectorFinding<keyof typeof messages>[] = [];
    for (const cycle of g.cycles) {
      const links = cycle.map((i) => g.links[i]!);
      if (links.length < 2 || links.every((l) => l.on.kind === 'critical-section')) continue;
      const evidence: Evidence[] = links.flatMap((l) => linkEvidence(model, l));
      const behind = behindRing(g.links, new Set(links.map((l) => l.threadId)));
      findings.push({
        confidence: linksConfidence(model, links),
        messageId: 'cycle',
        data: {
          threads: plural(links.length, 'thread'),
          objects: objectsText(links),
          chain: links.map((l) => linkText(model, l)).join('; '),
          behind: behind > 0 ? ` ${plural(behind, 'more thread')} ${behind === 1 ? 'waits' : 'wait'} behind them.` : '',
          links: links.length,
        },
        evidence,
      });
    }
    return findings;
  },
});
