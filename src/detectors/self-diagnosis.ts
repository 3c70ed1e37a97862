// Self-Diagnosis: the process (its code, its C/C++ runtime, or the OS code inside it) found
// something wrong and ended itself on purpose — fail-fast, a /GS stack cookie check, an assert,
// abort(), an invalid-parameter handler — rather than being killed by a fault.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { fastFailCode, faultingFrame, faultPlace, SIGNAL, STATUS, signalOf, windowsCode, exceptionConfidence } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultingFramesEvidence, faultSiteEvidence } from './lib/exception-evidence.ts';
import { faultingThread } from './lib/model-queries.ts';

/** Runtime functions whose only job is to report a detected problem and stop. */
const REPORTING_FUNCTIONS = new Set([
  'abort',
  '_assert',
  '_wassert',
  '__assert_fail',
  '__report_gsfailure',
  '__report_securityfailure',
  '__report_rangecheckfailure',
  '_invalid_parameter',
  '_invalid_parameter_noinfo',
  '_invalid_parameter_noinfo_noreturn',
  '_invoke_watson',
  '_purecall',
  'terminate',
  '__std_terminate',
  'RaiseFailFastException',
  'RtlFailFast',
  'FatalAppExitA',
  'FatalAppExitW',
  '__stack_chk_fail',
  '__fortify_fail',
]);

export default defineDetector({
  id: 'self-diagnosis',
  messages: {
    selfReported: '{{subject}} {{what}}{{at}}{{via}}.',
    sigabrt: '{{subject}} received SIGABRT{{at}}{{via}}: abort() after a failed check (assert, std::terminate, glibc heap or stack-protector checks).',
    reporting: '{{subject}} is inside {{reporter}}{{at}}: the process was reporting a problem it detected itself.',
  },
  detect(model) {
    const e = model.exception;
    const thread = faultingThread(model);
    const reporters = (thread?.frames ?? []).filter((f) => f.symbol !== null && REPORTING_FUNCTIONS.has(f.symbol) && f.trust !== 'scan');
    const evidence: Evidence[] = [
      ...exceptionEvidence(model, e ? (e.name ?? e.code) : '', ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID']),
      ...faultSiteEvidence(model, 'where the process stopped itself'),
      ...faultingFramesEvidence(model, reporters.map((f) => f.index), 'a runtime check that reports and terminates'),
    ];
    const place = faultPlace(model);
    const at = place ? ` at ${place}` : '';
    const site = faultingFrame(model);
    const through = reporters.filter((f) => f !== site);
    const via = through.length > 0 ? ` via ${through.map((f) => f.symbol).join(' ← ')}` : '';
    const code = windowsCode(model);

    if (e && code !== null) {
      let what: string | null = null;
      if (code === STATUS.STACK_BUFFER_OVERRUN || code === STATUS.FAIL_FAST_EXCEPTION) {
        const sub = fastFailCode(e);
        what = sub
          ? `requested a fail-fast exit (${sub.name})`
          : 'failed a /GS stack cookie check (a stack buffer overrun was detected)';
      } else if (code === STATUS.INVALID_CRUNTIME_PARAMETER) {
        what = 'passed an invalid parameter to a C runtime function, and the runtime stopped the process';
      } else if (code === STATUS.ASSERTION_FAILURE) {
        what = 'failed an assertion (int 2c)';
      } else if (code === STATUS.FATAL_APP_EXIT) {
        what = 'called abort() or FatalAppExit';
      }
      if (what) return [{ confidence: exceptionConfidence(model, 'certain'), messageId: 'selfReported', data: { subject: exceptionSubject(model), what, at, via }, evidence }];
    }

    // SIGABRT is how abort() ends a process on Linux (assert, std::terminate, glibc's heap and
    // stack-protector checks), but another process can send it too.
    if (signalOf(model) === SIGNAL.SIGABRT) {
      return [
        {
          confidence: reporters.length > 0 ? 'certain' : 'likely',
          messageId: 'sigabrt',
          data: { subject: exceptionSubject(model), at, via },
          evidence,
        },
      ];
    }

    // Some other stored exception, or none, while the faulting thread is inside a reporting
    // function (an assert that went to a breakpoint, _purecall, terminate…).
    if (reporters.length > 0 && e) {
      return [
        {
          confidence: 'likely',
          messageId: 'reporting',
          data: { subject: exceptionSubject(model), reporter: reporters[0]!.symbol ?? '', at },
          evidence,
        },
      ];
    }
    return [];
  },
});
