// False Positive Dump: the dump was written when an exception was raised for the first time,
// before any handler of the process had a chance at it ("procdump -e 1", a debugger set to
// break on first-chance exceptions, a monitoring tool with the wrong setting). Many programs
// raise and handle exceptions as a matter of course: IsBadReadPtr probing a pointer, a C++
// throw caught two frames up, a .NET exception caught by the caller, a debugger-notification
// exception. The process would have gone on; the "crash" is not one.
//
// A minidump has no first/second-chance field: the model takes it from the dump's comment (the
// tools that write first-chance dumps say so there) or from the debugger's event line.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { faultingFrame, faultPlace, windowsCode } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultingFramesEvidence } from './lib/exception-evidence.ts';
import { faultingThread } from './lib/model-queries.ts';
import { runtimeName } from './lib/runtime-functions.ts';

/** Functions that take the access violation of their own probe and return an answer. */
const PROBING_FUNCTIONS = new Set(['IsBadReadPtr', 'IsBadWritePtr', 'IsBadCodePtr', 'IsBadStringPtrA', 'IsBadStringPtrW', 'IsBadHugeReadPtr', 'IsBadHugeWritePtr']);
/** Codes raised to be handled: notifications to a debugger, and throws that are usually caught. */
const USUALLY_HANDLED: ReadonlyMap<number, string> = new Map([
  [0x406d1388, 'the thread-naming notification, meant for a debugger'],
  [0x40010006, 'debug output (OutputDebugStringA), meant for a debugger'],
  [0x4001000a, 'debug output (OutputDebugStringW), meant for a debugger'],
  [0xe06d7363, 'a C++ throw, which a catch block usually takes'],
  [0x20474343, 'a C++ throw, which a catch block usually takes'],
  [0xe0434352, 'a .NET exception, which a catch block usually takes'],
  [0x000006ba, 'an RPC error raised by the RPC runtime and usually caught by the stub'],
]);

export default defineDetector({
  id: 'false-positive-dump',
  messages: {
    handledByDesign: 'The dump was written at the first chance of {{code}}{{at}}, before any handler ran, and {{why}}: the process would most likely have gone on. Not a crash; dump at second chance to catch one.',
    firstChance: 'The dump was written at the first chance of {{code}}{{at}}, before any handler ran: a handler may have taken it and the process gone on. Check whether the process really ended before treating this as a crash.',
  },
  detect(model) {
    const e = model.exception;
    if (!e || e.chance !== 'first') return [];
    // A live session's log stops at every first chance; that is debugging, not a dump. Only a
    // log of a dump (its banner says what kind) can be a false positive dump.
    if (model.input.format === 'windbg-text' && model.dump.description === null) return [];
    const code = windowsCode(model);
    const place = faultPlace(model);
    const thread = faultingThread(model);
    const probe = (thread?.frames ?? []).find((f) => f.index <= 3 && f.symbol !== null && f.trust !== 'scan' && PROBING_FUNCTIONS.has(runtimeName(f.symbol)));
    const evidence: Evidence[] = [...exceptionEvidence(model, 'stored at first chance')];
    if (model.dump.comment) evidence.push({ kind: 'field', path: 'dump.comment', note: 'the dump writer says it was first chance' });
    const data = { subject: exceptionSubject(model), code: e.name ?? e.code, at: place ? ` at ${place}` : '' };
    if (probe) {
      evidence.push(...faultingFramesEvidence(model, [probe.index], 'a function that handles the fault of its own probe'));
      return [{ confidence: 'likely', messageId: 'handledByDesign', data: { ...data, why: `${frameText(probe)} handles it itself (it probes memory and returns FALSE)` }, evidence }];
    }
    const usual = code === null ? undefined : USUALLY_HANDLED.get(code);
    if (usual) return [{ confidence: 'likely', messageId: 'handledByDesign', data: { ...data, why: `it is ${usual}` }, evidence }];
    const site = faultingFrame(model);
    if (site) evidence.push(...faultingFramesEvidence(model, [site.index], 'where it was raised'));
    return [{ confidence: 'possible', messageId: 'firstChance', data, evidence }];
  },
});
