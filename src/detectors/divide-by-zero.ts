// Divide by Zero: an integer division by zero (the CPU's #DE fault) or, with floating-point
// exceptions unmasked, a floating-point one.
import { defineDetector } from '../engine/report/detector.ts';
import { faultPlace, SIGNAL, STATUS, signalOf, windowsCode, exceptionConfidence } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultSiteEvidence } from './lib/exception-evidence.ts';

export default defineDetector({
  id: 'divide-by-zero',
  messages: {
    division: '{{subject}} divided by zero ({{kind}} division) at {{at}}.',
    sigfpe: '{{subject}} got SIGFPE at {{at}}: an integer division by zero (or INT_MIN / -1 overflow).',
  },
  detect(model) {
    const e = model.exception;
    if (!e) return [];
    const code = windowsCode(model);
    const at = faultPlace(model) ?? 'an unknown address';
    const evidence = [
      ...exceptionEvidence(model, e.name ?? e.code, ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID']),
      ...faultSiteEvidence(model, 'the division instruction'),
    ];
    if (code === STATUS.INTEGER_DIVIDE_BY_ZERO || code === STATUS.FLOAT_DIVIDE_BY_ZERO) {
      const kind = code === STATUS.INTEGER_DIVIDE_BY_ZERO ? 'an integer' : 'a floating-point';
      return [{ confidence: exceptionConfidence(model, 'certain'), messageId: 'division', data: { subject: exceptionSubject(model), kind, at }, evidence }];
    }
    // SIGFPE on x86-64 Linux is almost always the integer #DE fault, but INT_MIN / -1 raises
    // the same signal, and so does an unmasked floating-point exception.
    if (signalOf(model) === SIGNAL.SIGFPE) {
      return [
        {
          confidence: 'likely',
          messageId: 'sigfpe',
          data: { subject: exceptionSubject(model), at },
          evidence,
        },
      ];
    }
    return [];
  },
});
