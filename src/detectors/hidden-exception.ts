// Hidden Exception: an exception that is not the dump's stored exception, found by looking at
// thread stacks — frames of exception processing on a thread the dump does not name, in a dump
// with no exception at all, or return addresses of the dispatcher left on a stack by an
// exception that was already handled.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { isDebuggerBreakIn } from './lib/exception-codes.ts';
import { exceptionStackEvidence, threadLabelById, capitalize } from './lib/exception-evidence.ts';
import { earlierDispatches, exceptionStacks, type ExceptionStack } from './lib/exception-frames.ts';
import { faultingThread } from './lib/model-queries.ts';
import { frameText } from '../engine/core/frame-text.ts';

const MAX_THREADS_SHOWN = 8;

export default defineDetector({
  id: 'hidden-exception',
  messages: {
    hidden: '{{subject}} shows {{why}}{{from}}{{more}}.',
  },
  detect(model) {
    const stacks = exceptionStacks(model.threads);
    if (stacks.length === 0) return [];
    // A debugger's break-in as the stored exception means the dump records no program exception.
    const storedIsReal = model.exception !== null && !isDebuggerBreakIn(model);
    const storedThread = storedIsReal ? faultingThread(model)?.id : undefined;
    const earlier = storedIsReal ? earlierDispatches(model, stacks) : null;
    const hidden: { s: ExceptionStack; why: string }[] = [];
    for (const s of stacks) {
      if (!s.trusted) hidden.push({ s, why: 'exception dispatcher return addresses found by scanning the stack: residue of an earlier exception' });
      else if (!storedIsReal) hidden.push({ s, why: 'an exception being processed, though the dump records none' });
      else if (s.threadId !== storedThread) hidden.push({ s, why: 'an exception being processed on a thread other than the stored exception\'s' });
      else if (earlier && earlier.stack.threadId === s.threadId && earlier.stack.view === s.view) {
        hidden.push({ s: { ...earlier.stack, origin: earlier.origin }, why: 'an earlier exception under the stored one, still being dispatched when it happened' });
      }
    }
    if (hidden.length === 0) return [];
    const first = hidden[0]!;
    const evidence: Evidence[] = hidden.slice(0, MAX_THREADS_SHOWN).flatMap((h) => exceptionStackEvidence(h.s, h.why));
    const more = hidden.length > 1 ? ` (and on ${hidden.length - 1} more thread${hidden.length > 2 ? 's' : ''})` : '';
    return [
      {
        // Without the exception record and context (found with .cxr on the stack) this is a
        // lead, not a fact: scanned addresses can be stale, and the exception may have been handled.
        confidence: 'possible',
        messageId: 'hidden',
        data: { subject: capitalize(threadLabelById(model, first.s.threadId)), why: first.why, from: first.s.origin ? `, from ${frameText(first.s.origin)}` : '', more },
        evidence,
      },
    ];
  },
});
