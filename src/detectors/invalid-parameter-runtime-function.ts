// Invalid Parameter (Runtime Function): a C runtime function (strcpy_s, printf with a bad
// format, fclose(NULL)…) checked its arguments, found one invalid and called the runtime's
// invalid-parameter handler instead of going on. Unless the program set its own handler, the
// runtime then stops the process: STATUS_INVALID_CRUNTIME_PARAMETER (0xc0000417) from the
// Visual C++ 2005–2013 runtimes and Wine's ucrtbase, a fail-fast with FAST_FAIL_INVALID_ARG from
// the Universal CRT on Windows 8 and later. A crash reporter that installed its own handler
// (Breakpad) records the report in its assertion stream and raises STATUS_INVALID_PARAMETER.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { fastFailCode, faultPlace, STATUS, windowsCode } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultSiteEvidence, framesEvidence } from './lib/exception-evidence.ts';
import { faultingThread } from './lib/model-queries.ts';
import { runtimeFrames } from './lib/runtime-functions.ts';
import { scanCapped } from './lib/scanned-frames.ts';

/** The C runtime's invalid-parameter path, from the check to the report. */
const HANDLER_FUNCTIONS = new Set([
  '_invalid_parameter',
  '_invalid_parameter_noinfo',
  '_invalid_parameter_noinfo_noreturn',
  '_invoke_watson',
  '_invalid_parameter_internal',
]);
const FAST_FAIL_INVALID_ARG = 5;
/** STATUS_INVALID_PARAMETER, what Breakpad's invalid-parameter handler stores. */
const STATUS_INVALID_PARAMETER = 0xc000000d;

export default defineDetector({
  id: 'invalid-parameter-runtime-function',
  messages: {
    stopped: '{{subject}} passed an invalid parameter to a C runtime function{{api}}, and the runtime stopped the process ({{how}}){{at}}.',
    reported: "The crash handler recorded the C runtime's invalid-parameter report (its assertion stream){{at}}: a runtime function was given an invalid parameter{{api}}.",
    inHandler: "{{subject}} is inside the C runtime's invalid-parameter handler ({{handler}}){{at}}: a runtime function was given an invalid parameter{{api}}.",
    fastFailOnly: '{{subject}} ended with __fastfail(FAST_FAIL_INVALID_ARG){{at}}, the way the Universal CRT stops on an invalid parameter; no runtime frame on the stack confirms that a runtime function raised it.',
  },
  detect(model) {
    const e = model.exception;
    const code = windowsCode(model);
    const thread = faultingThread(model);
    const handler = runtimeFrames(thread, HANDLER_FUNCTIONS);
    const place = faultPlace(model);
    const at = place ? ` at ${place}` : '';
    // The runtime function that was called is the first frame below the handler's run.
    const last = handler.frames[handler.frames.length - 1];
    const stack = handler.view === 'x86' ? (thread?.x86Frames ?? []) : (thread?.frames ?? []);
    const callerFrame = last ? stack.find((f) => f.index === last.index + 1) : undefined;
    const passer = callerFrame ? stack.find((f) => f.index === callerFrame.index + 1) : undefined;
    const api = callerFrame ? ` (${frameText(callerFrame)}${passer ? `, called from ${frameText(passer)}` : ''})` : '';
    const evidence: Evidence[] = [];
    if (e) evidence.push(...exceptionEvidence(model, e.name ?? e.code, ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID']));
    if (thread && handler.frames.length > 0) {
      evidence.push(...framesEvidence(thread, handler.frames.map((f) => f.index), "the C runtime's invalid-parameter handler", handler.view));
      if (callerFrame) evidence.push(...framesEvidence(thread, [callerFrame.index], 'the runtime function that rejected its parameter', handler.view));
      if (passer) evidence.push(...framesEvidence(thread, [passer.index], 'the code that passed it', handler.view));
    }

    if (model.annotations['ASSERTION_KIND'] === 'invalid-parameter') {
      evidence.unshift({ kind: 'field', path: 'annotations.ASSERTION', note: "the crash handler's record of the report" });
      return [{ confidence: 'certain', messageId: 'reported', data: { at, api }, evidence }];
    }
    if (!e || code === null) return [];
    const subject = exceptionSubject(model);
    if (code === STATUS.INVALID_CRUNTIME_PARAMETER) {
      evidence.push(...faultSiteEvidence(model, 'where the runtime raised it'));
      return [{ confidence: 'certain', messageId: 'stopped', data: { subject, how: 'STATUS_INVALID_CRUNTIME_PARAMETER', at, api }, evidence }];
    }
    const sub = code === STATUS.STACK_BUFFER_OVERRUN || code === STATUS.FAIL_FAST_EXCEPTION ? fastFailCode(e) : null;
    if (sub?.code === FAST_FAIL_INVALID_ARG) {
      if (handler.frames.length > 0) {
        return [{ confidence: scanCapped('certain', handler.frames), messageId: 'stopped', data: { subject, how: '__fastfail(FAST_FAIL_INVALID_ARG)', at, api }, evidence }];
      }
      evidence.push(...faultSiteEvidence(model, 'the fail-fast'));
      return [{ confidence: 'possible', messageId: 'fastFailOnly', data: { subject, at }, evidence }];
    }
    if (handler.frames.length > 0) {
      // Breakpad's handler raises STATUS_INVALID_PARAMETER from inside the runtime's handler call.
      const confidence = code === STATUS_INVALID_PARAMETER ? scanCapped('certain', handler.frames) : 'likely';
      return [{ confidence, messageId: 'inHandler', data: { subject, handler: frameText(handler.frames[0]!), at, api }, evidence }];
    }
    return [];
  },
});
