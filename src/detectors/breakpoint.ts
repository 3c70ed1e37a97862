// Breakpoint: the stored exception is a breakpoint trap (int 3 / brk): DebugBreak,
// __debugbreak, an assert macro, or a stray 0xCC byte, executed with no debugger to catch it.
// A debugger's own break-in (a thread it injected to stop the process) is not this pattern:
// that is how a dump is taken manually. Nor is the heap manager's or Application Verifier's
// break after it reported heap damage: that is Dynamic Memory Corruption.
import { defineDetector } from '../engine/report/detector.ts';
import { faultPlace, isDebuggerBreakIn, isHeapBreak, SIGNAL, STATUS, signalOf, windowsCode, exceptionConfidence } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultingFramesEvidence, faultSiteEvidence } from './lib/exception-evidence.ts';
import { faultingThread } from './lib/model-queries.ts';
import { frameText } from '../engine/core/frame-text.ts';

/** Functions that exist only to execute a breakpoint instruction. */
const BREAK_FUNCTIONS = new Set(['DebugBreak', 'DbgBreakPoint', 'DbgUserBreakPoint', '__debugbreak']);

export default defineDetector({
  id: 'breakpoint',
  messages: {
    breakpoint: '{{subject}} executed {{what}} {{how}}: the code itself asked for a debugger.',
  },
  detect(model) {
    const e = model.exception;
    if (!e) return [];
    const code = windowsCode(model);
    const isBreak = code === STATUS.BREAKPOINT || code === STATUS.WX86_BREAKPOINT;
    const isTrap = signalOf(model) === SIGNAL.SIGTRAP;
    if (!isBreak && !isTrap) return [];
    if (isDebuggerBreakIn(model) || isHeapBreak(model)) return [];
    const thread = faultingThread(model);

    const at = faultPlace(model) ?? 'an unknown address';
    let how = `at ${at}`;
    const breakFn = thread?.frames.find((f) => f.index <= 1 && f.symbol !== null && BREAK_FUNCTIONS.has(f.symbol));
    const caller = breakFn ? thread?.frames.find((f) => f.index === breakFn.index + 1) : undefined;
    if (breakFn && caller) how = `in ${breakFn.symbol}, called from ${frameText(caller)}`;
    const what = isTrap ? 'SIGTRAP (a trap instruction)' : code === STATUS.WX86_BREAKPOINT ? 'a 32-bit breakpoint (int 3, WOW64)' : 'a breakpoint instruction (int 3)';
    return [
      {
        // SIGTRAP is also what a single-step or a debugger's own trap raises.
        confidence: exceptionConfidence(model, isBreak ? 'certain' : 'likely'),
        messageId: 'breakpoint',
        data: { subject: exceptionSubject(model), what, how },
        evidence: [
          ...exceptionEvidence(model, e.name ?? e.code, ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID']),
          ...faultSiteEvidence(model, 'the breakpoint instruction'),
          ...(breakFn && caller ? faultingFramesEvidence(model, [caller.index], 'the code that asked for the break') : []),
        ],
      },
    ];
  },
});
