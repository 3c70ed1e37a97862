// Multiple Exceptions: more than one thread had an exception at the time of the dump. Only one
// can be the dump's stored exception; the others show as exception processing on their stacks,
// and any of them may be the first cause.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { exceptionEvidence, exceptionStackEvidence, threadLabelById } from './lib/exception-evidence.ts';
import { exceptionStacks } from './lib/exception-frames.ts';
import { isDebuggerBreakIn } from './lib/exception-codes.ts';
import { faultingThread } from './lib/model-queries.ts';

const MAX_THREADS_SHOWN = 8;

export default defineDetector({
  id: 'multiple-exceptions',
  messages: {
    several: '{{count}} threads have exceptions: {{threads}}{{stored}}; check which came first.',
  },
  detect(model) {
    const stacks = exceptionStacks(model.threads);
    // A debugger's break-in is the stored exception of a manual dump, not a program's exception.
    const stored = model.exception && !isDebuggerBreakIn(model) ? faultingThread(model) : undefined;
    const trusted = new Set(stacks.filter((s) => s.trusted).map((s) => s.threadId));
    const any = new Set(stacks.map((s) => s.threadId));
    if (stored) {
      trusted.add(stored.id);
      any.add(stored.id);
    }
    if (any.size < 2) return [];
    const evidence: Evidence[] = [];
    if (stored) evidence.push(...exceptionEvidence(model, `the stored exception, on ${threadLabelById(model, stored.id)}`));
    for (const s of stacks.slice(0, MAX_THREADS_SHOWN)) {
      evidence.push(...exceptionStackEvidence(s, s.trusted ? 'an exception being processed on this thread' : 'exception processing found by stack scanning'));
    }
    const ids = [...any];
    const labels = ids.slice(0, 4).map((id) => threadLabelById(model, id));
    const listed = ids.length > 4 ? `${labels.join(', ')} and ${ids.length - 4} more` : labels.join(', ');
    // Threads counted only from scanned frames may show an exception long since handled.
    const confidence = trusted.size >= 2 ? 'certain' : 'possible';
    return [
      {
        confidence,
        messageId: 'several',
        data: { count: any.size, threads: listed, stored: stored ? ` (the stored one is on ${threadLabelById(model, stored.id)})` : '' },
        evidence,
      },
    ];
  },
});
