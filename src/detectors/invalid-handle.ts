// Invalid Handle: a handle that was closed, never opened, or belongs to another process was
// passed to the system. Windows raises STATUS_INVALID_HANDLE for it only when it is told to
// (a debugger attached, Application Verifier, or strict handle checks), so seeing the exception
// at all says the checking was on.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { faultingFrame, STATUS, windowsCode, exceptionConfidence } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultingFramesEvidence } from './lib/exception-evidence.ts';
import { faultingThread } from './lib/model-queries.ts';
import { frameText } from '../engine/core/frame-text.ts';

/** Application Verifier's handle checks, which stop the process on a bad handle. */
const VERIFIER_HANDLE_CHECKS = new Set(['AVrfpHandleSanityChecks', 'AVrfpCheckHandle', 'AVrfpNtClose', 'AVrfpHandleBreak']);
/** The calls that take a handle and raise when it is bad. */
const HANDLE_CALLS = new Set(['NtClose', 'ZwClose', 'CloseHandle', 'KiRaiseUserExceptionDispatcher', 'NtWaitForSingleObject', 'ZwWaitForSingleObject', 'WaitForSingleObject', 'WaitForSingleObjectEx', 'SetEvent', 'NtSetEvent', 'ReleaseMutex', 'DuplicateHandle']);
/** ERROR_INVALID_HANDLE (Win32 6) raised with RaiseException(GetLastError()). */
const ERROR_INVALID_HANDLE = 6;

export default defineDetector({
  id: 'invalid-handle',
  messages: {
    invalidHandle: '{{subject}} {{what}}{{where}}{{caller}}{{table}}.',
  },
  detect(model) {
    const e = model.exception;
    const thread = faultingThread(model);
    const frames = thread?.frames ?? [];
    const code = windowsCode(model);
    const verifier = frames.filter((f) => f.symbol !== null && VERIFIER_HANDLE_CHECKS.has(f.symbol));
    const calls = frames.filter((f) => f.index <= 6 && f.symbol !== null && HANDLE_CALLS.has(f.symbol));
    const frame0 = faultingFrame(model);

    let confidence: 'certain' | 'likely' | null = null;
    let what = '';
    if (code === STATUS.INVALID_HANDLE) {
      confidence = 'certain';
      what = 'used an invalid handle (STATUS_INVALID_HANDLE)';
    } else if (code === STATUS.HANDLE_NOT_CLOSABLE) {
      confidence = 'certain';
      what = 'tried to close a handle protected from closing (STATUS_HANDLE_NOT_CLOSABLE)';
    } else if (code === ERROR_INVALID_HANDLE && e) {
      // Small codes are Win32 errors raised as exceptions; 6 is ERROR_INVALID_HANDLE.
      confidence = 'likely';
      what = 'raised ERROR_INVALID_HANDLE (6) as an exception';
    } else if (verifier.length > 0 && code !== null) {
      confidence = 'likely';
      what = `stopped in Application Verifier's handle checks (${verifier[0]!.symbol})`;
    }
    if (!confidence) return [];

    // The outermost of the handle calls is the API the program called.
    const api = calls[calls.length - 1];
    const where = api ? ` in ${frameText(api)}` : frame0 ? ` at ${frameText(frame0)}` : '';
    const caller = calls[0] ? frames.find((f) => f.index > calls[calls.length - 1]!.index && !(f.symbol && HANDLE_CALLS.has(f.symbol))) : undefined;
    const table =
      model.handles && model.handles.length > 0
        ? `; the dump's handle table lists ${model.handles.length} open handles to compare the bad value with`
        : '; the dump carries no handle data to compare it with (procdump -mp or .dump /mh write it)';
    const evidence: Evidence[] = [
      ...exceptionEvidence(model, e ? (e.name ?? e.code) : '', ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID']),
      ...faultingFramesEvidence(model, calls.map((f) => f.index), 'the call that was given the bad handle'),
      ...faultingFramesEvidence(model, verifier.map((f) => f.index), 'Application Verifier caught the bad handle'),
    ];
    if (caller) evidence.push(...faultingFramesEvidence(model, [caller.index], 'the code that passed the handle'));
    if (model.handles && model.handles.length > 0) evidence.push({ kind: 'field', path: 'handles', note: `${model.handles.length} handles open when the dump was written` });
    return [
      {
        confidence: exceptionConfidence(model, confidence),
        messageId: 'invalidHandle',
        data: { subject: exceptionSubject(model), what, where, caller: caller ? `, called from ${frameText(caller)}` : '', table },
        evidence,
      },
    ];
  },
});
