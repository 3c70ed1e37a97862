// Exception Stack Trace: a thread's stack that shows an exception being processed — raised,
// dispatched to handlers, or handed to the unhandled-exception filter and error reporting. The
// frames below the processing frames are where the exception came from, which is what the
// analysis needs, whatever the dump's stored exception says.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';

import { exceptionStackEvidence, threadLabelById, capitalize } from './lib/exception-evidence.ts';
import { exceptionStacks, type ExceptionStack } from './lib/exception-frames.ts';
import { faultingThread, frameIn } from './lib/model-queries.ts';
import { frameText } from '../engine/core/frame-text.ts';

const MAX_THREADS_SHOWN = 8;

const WOW64_LAYER = ['wow64', 'wow64cpu', 'wow64win'];

function describe(s: ExceptionStack): string {
  const roles = new Set(s.matches.map((m) => m.role));
  const stage = roles.has('unhandled')
    ? 'unhandled, in the last-chance filter and error reporting'
    : roles.has('dispatch') || roles.has('entry')
      ? 'being dispatched to handlers'
      : roles.has('unwind')
        ? 'being unwound'
        : 'being raised';
  const names = [...new Set(s.matches.map((m) => m.frame.symbol))].slice(0, 3).join(', ');
  // In the native view of a WOW64 thread the raise passes through the emulator: the code that
  // really raised is on the 32-bit stack.
  if (s.view === 'native' && s.matches.some((m) => frameIn(m.frame, WOW64_LAYER))) {
    return `${stage}: ${names}; raised by 32-bit code behind the WOW64 layer, read the x86 stack`;
  }
  return `${stage}: ${names}${s.origin ? `; it came from ${frameText(s.origin)}` : ''}`;
}

export default defineDetector({
  id: 'exception-stack-trace',
  messages: {
    processing: '{{subject}}{{view}} is processing an exception ({{how}}){{others}}.',
  },
  detect(model) {
    const stacks = exceptionStacks(model.threads);
    if (stacks.length === 0) return [];
    // The exception thread's stack first, then trusted stacks before scanned ones.
    const faulting = faultingThread(model)?.id;
    stacks.sort((a, b) => Number(b.threadId === faulting) - Number(a.threadId === faulting) || Number(b.trusted) - Number(a.trusted));
    const first = stacks[0]!;
    const evidence: Evidence[] = stacks
      .slice(0, MAX_THREADS_SHOWN)
      .flatMap((s) => exceptionStackEvidence(s, s.trusted ? 'exception processing frames' : 'exception processing frames, found by stack scanning'));
    const n = stacks.length - 1;
    const others = n > 0 ? `; ${n === 1 ? '1 more thread shows' : `${n} more threads show`} exception processing too` : '';
    return [
      {
        // Scanned frames can be stale return addresses left on the stack by an earlier call.
        confidence: first.trusted ? 'certain' : 'likely',
        messageId: 'processing',
        data: { subject: capitalize(threadLabelById(model, first.threadId)), view: first.view === 'x86' ? ' (x86 view)' : '', how: describe(first), others },
        evidence,
      },
    ];
  },
});
