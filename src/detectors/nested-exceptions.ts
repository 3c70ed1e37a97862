// Nested Exceptions: an exception raised while another was being handled — in an exception
// filter, a handler, a destructor during unwinding. The record chain links the new exception to
// the old one; on the stack the dispatcher appears twice.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { faultSite } from './lib/exception-codes.ts';
import { big } from '../engine/core/hex.ts';
import { capitalize, exceptionEvidence, exceptionStackEvidence, exceptionSubject, threadLabelById } from './lib/exception-evidence.ts';
import { earlierDispatches, exceptionStacks } from './lib/exception-frames.ts';
import { frameText } from '../engine/core/frame-text.ts';

/** winnt.h: set on a record the dispatcher meets while another dispatch is still active. */
const EXCEPTION_NESTED_CALL = 0x10n;

export default defineDetector({
  id: 'nested-exceptions',
  messages: {
    recordChain: '{{subject}}: {{outer}} was raised while handling {{inner}} (the exception record chain links them).',
    nestedDispatch: '{{subject}}: an exception was raised while another was being handled{{flagged}}.',
  },
  detect(model) {
    const e = model.exception;
    const stacks = exceptionStacks(model.threads);
    // The stored exception's own stack may show an earlier exception still being dispatched.
    const site = faultSite(model);
    const under = earlierDispatches(model, stacks);
    const fromContext = under?.stack;
    const nestedStacks = stacks
      .map((s) => (fromContext && s.threadId === fromContext.threadId && s.view === fromContext.view ? fromContext : s))
      .filter((s) => s.dispatches >= 2);
    const evidence: Evidence[] = [];
    for (const s of nestedStacks) {
      const note = s === fromContext
        ? 'the stored exception happened while these frames were dispatching an earlier one'
        : `${s.dispatches} exceptions dispatched on one stack, one inside the other`;
      evidence.push(...exceptionStackEvidence(s, note));
    }
    if (e?.nested && e.nested.length > 0) {
      const inner = e.nested.map((n) => `${n.name ?? n.code} at ${n.address}`).join(', then ');
      return [
        {
          confidence: 'certain',
          messageId: 'recordChain',
          data: { subject: exceptionSubject(model), outer: e.name ?? e.code, inner },
          evidence: [...exceptionEvidence(model, `the record chain holds ${e.nested.length} earlier exception(s)`), ...evidence],
        },
      ];
    }
    // The dispatcher marks a record EXCEPTION_NESTED_CALL (0x10) when it meets it while
    // another dispatch is still active on the stack.
    const flagged = e !== null && (big(e.flags) & EXCEPTION_NESTED_CALL) !== 0n;
    if (flagged) evidence.unshift(...exceptionEvidence(model, 'ExceptionFlags has EXCEPTION_NESTED_CALL (0x10)'));
    if (nestedStacks.length === 0 && !flagged) return [];
    const s = nestedStacks[0];
    const trustedStack = s?.trusted ?? false;
    const confidence = flagged && trustedStack ? 'certain' : flagged || trustedStack ? 'likely' : 'possible';
    const what = s
      ? s === fromContext
        ? `${exceptionSubject(model)} had the stored exception${site ? ` at ${frameText(site.frame)}` : ''} while an earlier one${under?.origin ? `, from ${frameText(under.origin)},` : ''} was still being dispatched`
        : `${capitalize(threadLabelById(model, s.threadId))} dispatches ${s.dispatches} exceptions on one stack${s.origin ? `; the latest came from ${frameText(s.origin)}` : ''}`
      : `${exceptionSubject(model)}: the stored exception's flags say EXCEPTION_NESTED_CALL`;
    return [
      {
        // A debugger's or unwinder's stack is good evidence but not proof on its own: an
        // incorrect stack trace can repeat frames, and scanned frames may be leftovers.
        confidence,
        messageId: 'nestedDispatch',
        data: { subject: what, flagged: flagged && s ? ' (the record is flagged EXCEPTION_NESTED_CALL)' : '' },
        evidence,
      },
    ];
  },
});
