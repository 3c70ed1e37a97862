// Abort: the program called abort() (directly, or through std::terminate, a failed assert, a
// pure virtual call's handler) and the C runtime ended the process. What the dump stores
// depends on the runtime: the Visual C++ 2005–2013 runtimes report STATUS_FATAL_APP_EXIT
// (0x40000015, non-continuable) to the debugger and to Windows Error Reporting; the Universal
// CRT, and Rust's std::process::abort, end with __fastfail(FAST_FAIL_FATAL_APP_EXIT); on Linux
// it is SIGABRT. abort() raises SIGABRT first, so a crash reporter's SIGABRT handler may write
// the dump with a record of its own, usually STATUS_FATAL_APP_EXIT too.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { fastFailCode, faultPlace, SIGNAL, signalOf, STATUS, windowsCode } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultSiteEvidence, framesEvidence } from './lib/exception-evidence.ts';
import { faultingThread } from './lib/model-queries.ts';
import { runtimeFrames, runtimeName } from './lib/runtime-functions.ts';
import { scanCapped } from './lib/scanned-frames.ts';

const FAST_FAIL_FATAL_APP_EXIT = 7;
/** The runtime functions an abort runs through, innermost first as they show on a stack. */
const ABORT_FUNCTIONS = new Set(['abort', 'raise', '__acrt_call_reportfault', '_call_reportfault', 'terminate', '__std_terminate', '_ZSt9terminatev', '__libc_message', '__GI_abort', '__GI_raise']);

export default defineDetector({
  id: 'abort',
  messages: {
    aborted: '{{subject}} called abort(){{how}}{{at}}{{via}}: the program gave up on purpose; find what it was checking in the frames below.',
    sigabrt: '{{subject}} received SIGABRT{{at}}{{via}}: abort() (an assert, std::terminate, a runtime check), or a signal sent from outside.',
    abortFrames: '{{subject}} is inside abort(){{via}}{{at}}, and the stored exception ({{code}}) is what ended it.',
  },
  detect(model) {
    const e = model.exception;
    if (!e) return [];
    const thread = faultingThread(model);
    const through = runtimeFrames(thread, ABORT_FUNCTIONS);
    const place = faultPlace(model);
    const at = place ? ` at ${place}` : '';
    const via = through.frames.length > 0 ? ` via ${through.frames.map((f) => `${f.module ? `${f.module}!` : ''}${runtimeName(f.symbol!)}`).join(' ← ')}` : '';
    const subject = exceptionSubject(model);
    const evidence: Evidence[] = [
      ...exceptionEvidence(model, e.name ?? e.code, ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID']),
      ...faultSiteEvidence(model, 'where the process stopped'),
    ];
    if (thread && through.frames.length > 0) evidence.push(...framesEvidence(thread, through.frames.map((f) => f.index), 'the C runtime aborting', through.view));

    const code = windowsCode(model);
    if (code === STATUS.FATAL_APP_EXIT) {
      return [{ confidence: 'certain', messageId: 'aborted', data: { subject, how: ' (STATUS_FATAL_APP_EXIT, as the C runtime reports an abort)', at, via }, evidence }];
    }
    if ((code === STATUS.STACK_BUFFER_OVERRUN || code === STATUS.FAIL_FAST_EXCEPTION) && fastFailCode(e)?.code === FAST_FAIL_FATAL_APP_EXIT) {
      return [{ confidence: 'certain', messageId: 'aborted', data: { subject, how: ' (__fastfail(FAST_FAIL_FATAL_APP_EXIT), how the Universal CRT ends an abort)', at, via }, evidence }];
    }
    if (signalOf(model) === SIGNAL.SIGABRT) {
      // Another process can send SIGABRT too; abort's own frames on the stack say it was abort().
      const confidence = through.frames.length > 0 ? scanCapped('certain', through.frames) : 'likely';
      return [{ confidence, messageId: 'sigabrt', data: { subject, at, via }, evidence }];
    }
    if (code !== null && through.frames.some((f) => runtimeName(f.symbol!) === 'abort')) {
      return [{ confidence: 'likely', messageId: 'abortFrames', data: { subject, via, at, code: e.name ?? e.code }, evidence }];
    }
    return [];
  },
});
