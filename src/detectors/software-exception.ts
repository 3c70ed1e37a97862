// Software Exception: the exception was raised by code calling RaiseException (or the
// runtime's RtlRaiseException / RtlRaiseStatus), not by the CPU faulting on an instruction. A
// C++ or .NET throw, the C runtime's invalid-parameter and abort reports, the heap manager's
// STATUS_NO_MEMORY and corruption reports, an application's own error codes: in each, a program
// decided to raise, and the question is why it decided so (the arguments of the call, the state
// it checked), not which instruction failed. Codes with the customer bit (bit 29) can only come
// from software; so can codes the CPU never raises.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { faultPlace, windowsCode } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultingFramesEvidence } from './lib/exception-evidence.ts';
import { faultingThread } from './lib/model-queries.ts';
import { runtimeName } from './lib/runtime-functions.ts';
import { isSystemFrame } from './lib/system-modules.ts';

/** The functions through which software raises an exception. */
const RAISERS = new Set(['RaiseException', 'RtlRaiseException', 'RtlRaiseStatus', 'RtlRaiseNoncontinuableException', 'NtRaiseException', 'ZwRaiseException', '_CxxThrowException', 'CxxThrowException', '_Unwind_RaiseException', 'RaiseFailFastException']);
const CUSTOMER_BIT = 0x20000000;
/** NTSTATUS codes only software raises: the C runtime's, the heap manager's, the loader's reports. */
const SOFTWARE_ONLY: ReadonlyMap<number, string> = new Map([
  [0xc0000417, 'the C runtime raises it for an invalid parameter'],
  [0xc0000017, 'the heap manager raises it when an allocation fails'],
  [0x40000015, 'the C runtime reports abort() with it'],
  [0xc0000374, 'the heap manager raises it when it finds corruption'],
  [0xc0000025, 'the dispatcher raises it when a non-continuable exception is continued'],
  [0xc0000026, 'the dispatcher raises it for an invalid handler disposition'],
  [0xc000012d, 'the memory manager reports the commit limit with it'],
  [0x40010006, 'OutputDebugStringA raises it'],
  [0x4001000a, 'OutputDebugStringW raises it'],
  [0x406d1388, 'the thread-naming convention raises it'],
]);
/** Only this many frames from the top are searched for the raise. */
const RAISE_WITHIN = 4;

export default defineDetector({
  id: 'software-exception',
  messages: {
    raised: '{{subject}} raised {{code}} in software through {{raiser}}{{caller}}: no instruction faulted; the code that called it decided to raise.',
    customer: '{{subject}} raised {{code}}{{at}}, an application-defined code (the customer bit is set): only software raises such codes, through RaiseException.',
    softwareCode: '{{subject}} stopped with {{code}}{{at}}, a code the CPU never raises ({{why}}): a software exception.',
  },
  detect(model) {
    const e = model.exception;
    const code = windowsCode(model);
    if (!e || code === null) return [];
    const thread = faultingThread(model);
    const frames = thread?.frames ?? [];
    const raisers = frames.filter((f) => f.index < RAISE_WITHIN && f.symbol !== null && f.trust !== 'scan' && RAISERS.has(runtimeName(f.symbol)));
    const subject = exceptionSubject(model);
    const place = faultPlace(model);
    const at = place ? ` at ${place}` : '';
    const evidence: Evidence[] = [...exceptionEvidence(model, e.name ?? e.code, ['EXCEPTION_CODE_STR'])];
    const codeText = e.name ? `${e.name} (${e.code})` : e.code;
    if (raisers.length > 0) {
      const outer = raisers[raisers.length - 1]!;
      const caller = frames.find((f) => f.index > outer.index && !isSystemFrame(f) && !(f.symbol !== null && RAISERS.has(runtimeName(f.symbol))));
      evidence.push(...faultingFramesEvidence(model, raisers.map((f) => f.index), 'the raise'));
      if (caller) evidence.push(...faultingFramesEvidence(model, [caller.index], 'the code that raised it'));
      return [{ confidence: 'certain', messageId: 'raised', data: { subject, code: codeText, raiser: frameText(outer), caller: caller ? `, called from ${frameText(caller)}` : '' }, evidence }];
    }
    if ((code & CUSTOMER_BIT) !== 0) return [{ confidence: 'certain', messageId: 'customer', data: { subject, code: codeText, at }, evidence }];
    const why = SOFTWARE_ONLY.get(code);
    if (why) return [{ confidence: 'likely', messageId: 'softwareCode', data: { subject, code: codeText, at, why }, evidence }];
    return [];
  },
});
