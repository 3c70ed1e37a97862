// Missing Component: code the process needs is not there — a DLL that is not installed (or not
// on the search path), or a function a DLL of another version does not export. At start-up the
// loader fails the process (STATUS_DLL_NOT_FOUND 0xc0000135, STATUS_ENTRYPOINT_NOT_FOUND
// 0xc0000139); a DLL imported with delay loading is loaded at its first call instead, and when
// that fails the delay-load helper raises 0xc06d007e (module not found) or 0xc06d007f
// (procedure not found) from inside the call — a crash that looks like the program's, deep in a
// feature nobody used before on that machine.
//
// Evidence: the exception code, which says it outright (certain). For a delay-load failure the
// exception's one parameter points at the helper's DelayLoadInfo, which names the DLL and the
// function (the model's exception.delayLoad, read when the record and its strings are in the
// dump or in a module file given beside it).
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { windowsCode } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultingFramesEvidence } from './lib/exception-evidence.ts';
import { faultingThread } from './lib/model-queries.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { isSystemFrame } from './lib/system-modules.ts';

/** The delay-load helpers and thunks the linker puts into the importing module. */
const DELAY_HELPERS = /^(?:__delayLoadHelper2?|__tailMerge_|__imp_load_|DelayLoadHelper2|ResolveDelayLoadedAPI)/;

const DELAY_MOD_NOT_FOUND = 0xc06d007e;
const DELAY_PROC_NOT_FOUND = 0xc06d007f;
const DLL_NOT_FOUND = 0xc0000135;
const ENTRYPOINT_NOT_FOUND = 0xc0000139;

const WHAT: Readonly<Record<number, string>> = {
  [DELAY_MOD_NOT_FOUND]: 'a delay-loaded DLL could not be found (0xc06d007e)',
  [DELAY_PROC_NOT_FOUND]: 'a function was not found in a delay-loaded DLL (0xc06d007f)',
  [DLL_NOT_FOUND]: 'a DLL it imports was not found (STATUS_DLL_NOT_FOUND)',
  [ENTRYPOINT_NOT_FOUND]: 'a function it imports is missing from its DLL (STATUS_ENTRYPOINT_NOT_FOUND)',
};

export default defineDetector({
  id: 'missing-component',
  messages: {
    missing: '{{subject}} stopped because {{what}}{{names}}{{caller}}.',
  },
  detect(model) {
    const code = windowsCode(model);
    if (code === null || WHAT[code] === undefined) return [];
    const e = model.exception!;
    const d = e.delayLoad;
    let names = '';
    if (d && (d.dll || d.procedure || d.ordinal !== null)) {
      const fn = d.procedure ?? (d.ordinal !== null ? `ordinal ${d.ordinal}` : null);
      names = `: ${d.dll ?? 'a DLL'}${fn && code === DELAY_PROC_NOT_FOUND ? `!${fn}` : fn ? `, for ${fn}` : ''}`;
    }
    // The first frame outside the OS that is not the delay-load helper itself: the program's
    // call the helper was resolving (or, without names for the helper, the helper: it is
    // linked into the calling module).
    const frames = faultingThread(model)?.frames ?? [];
    const caller = frames.find((f) => f.module !== null && !isSystemFrame(f) && f.trust !== 'scan' && !DELAY_HELPERS.test(f.symbol ?? '')) ?? null;
    const evidence: Evidence[] = [...exceptionEvidence(model, e.name ?? e.code, ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID'])];
    if (d) evidence.push({ kind: 'field', path: 'exception.delayLoad', note: 'the DelayLoadInfo the exception points at' });
    if (caller) evidence.push(...faultingFramesEvidence(model, [caller.index], 'the first code outside the system: the call that needed the missing component, or the delay-load helper linked into it'));
    return [
      {
        confidence: 'certain',
        messageId: 'missing',
        data: {
          subject: exceptionSubject(model),
          what: WHAT[code]!,
          names,
          caller: caller ? `, raised under ${frameText(caller)}` : '',
          dll: d?.dll ?? '',
          procedure: d?.procedure ?? '',
        },
        evidence,
      },
    ];
  },
});
