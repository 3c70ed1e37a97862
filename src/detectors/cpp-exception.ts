// C++ Exception: a C++ `throw` that no catch took. Visual C++ raises every throw as the SEH
// exception 0xe06d7363 ("msc" after 0xe0) through _CxxThrowException → RaiseException, with
// the thrown object and its type information in the exception parameters. "Nothing caught it"
// needs proof: second chance, the unhandled-exception filter or error reporting on the thread,
// or a crash dump that stored it. A debugger that stopped at first chance saw a throw a catch
// may still take, and says so.
import type { DumpModel } from '../engine/core/dump-model.ts';
import type { Evidence } from '../engine/report/schema.ts';
import { big } from '../engine/core/hex.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { addr, moduleAt, STATUS, windowsCode } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionStackEvidence, exceptionSubject, threadLabelById, capitalize } from './lib/exception-evidence.ts';
import { exceptionStacks, type ExceptionStack } from './lib/exception-frames.ts';
import { faultingThread } from './lib/model-queries.ts';
import { frameText } from '../engine/core/frame-text.ts';

const THROW_FUNCTIONS = new Set(['_CxxThrowException', 'CxxThrowException', '__cxa_throw', '__cxa_rethrow']);
/** EH_MAGIC_NUMBER1..3: the compiler's EH version, the first parameter of every MSVC throw. */
const EH_MAGIC = new Set([0x19930520n, 0x19930521n, 0x19930522n]);

function throwFrameIn(s: ExceptionStack): boolean {
  return s.matches.some((m) => m.frame.symbol !== null && THROW_FUNCTIONS.has(m.frame.symbol));
}

export default defineDetector({
  id: 'cpp-exception',
  messages: {
    mingwUncaught: '{{subject}} threw a C++ exception (GCC/MinGW runtime, code 0x20474343) that no catch took{{from}}.',
    mingwThrown: '{{subject}} threw a C++ exception (GCC/MinGW runtime, code 0x20474343){{from}}; {{fate}}.',
    uncaught: '{{subject}} threw a C++ exception that nothing caught{{details}}{{odd}}.',
    thrown: '{{subject}} threw a C++ exception{{details}}{{odd}}; {{fate}}.',
    throwing: '{{subject}} is throwing a C++ exception{{from}}{{others}}; it is not the stored exception, so it may yet be caught.',
  },
  detect(model) {
    const e = model.exception;
    const stacks = exceptionStacks(model.threads);
    const code = windowsCode(model);
    const fate = uncaughtProof(model, stacks);
    if (e && code === STATUS.GCC_THROW) {
      const evidence: Evidence[] = exceptionEvidence(model, 'GCC C++ throw 0x20474343');
      const own = stacks.find((s) => s.threadId === faultingThread(model)?.id);
      if (own) evidence.push(...exceptionStackEvidence(own, 'the throw'));
      const from = own?.origin ? `, from ${frameText(own.origin)}` : '';
      if (fate !== null) return [{ confidence: 'likely', messageId: 'mingwThrown', data: { subject: exceptionSubject(model), from, fate }, evidence }];
      return [{ confidence: 'certain', messageId: 'mingwUncaught', data: { subject: exceptionSubject(model), from }, evidence }];
    }
    if (e && code === STATUS.CPP_EH_EXCEPTION) {
      const evidence: Evidence[] = exceptionEvidence(model, 'C++ EH exception 0xe06d7363', ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID']);
      const faulting = faultingThread(model);
      const own = stacks.find((s) => s.threadId === faulting?.id);
      if (own) evidence.push(...exceptionStackEvidence(own, 'the throw: _CxxThrowException → RaiseException'));
      const [magic, object, , imageBase] = e.parameters.map((p) => big(p));
      const details: string[] = [];
      if (own?.origin) details.push(`thrown from ${frameText(own.origin)}`);
      if (object !== undefined && object !== 0n) details.push(`the exception object is at ${addr(object)}`);
      // On 64-bit Windows the fourth parameter is the base of the module whose ThrowInfo
      // describes the thrown type: that module threw.
      if (imageBase !== undefined && imageBase !== 0n) {
        const m = moduleAt(model, imageBase);
        if (m) {
          details.push(`its type information is in ${m}`);
          evidence.push({ kind: 'module', name: m, note: 'holds the ThrowInfo of the thrown type' });
        }
      }
      const odd = magic !== undefined && !EH_MAGIC.has(magic) ? ' (the first parameter is not the usual EH magic: raised by hand with the C++ code?)' : '';
      const detailText = details.length ? `: ${details.join('; ')}` : '';
      if (fate !== null) return [{ confidence: 'likely', messageId: 'thrown', data: { subject: exceptionSubject(model), details: detailText, odd, fate }, evidence }];
      return [{ confidence: 'certain', messageId: 'uncaught', data: { subject: exceptionSubject(model), details: detailText, odd }, evidence }];
    }

    // No stored C++ exception, but a thread is in the middle of a throw: a C++ exception that
    // may still be caught, or that led to the stored exception.
    const throwing = stacks.filter(throwFrameIn);
    if (throwing.length > 0) {
      const s = throwing[0]!;
      const trusted = throwing.some((x) => x.trusted);
      return [
        {
          confidence: trusted ? 'likely' : 'possible',
          messageId: 'throwing',
          data: { subject: capitalize(threadLabelById(model, s.threadId)), from: s.origin ? ` from ${frameText(s.origin)}` : '', others: throwing.length > 1 ? `, and ${throwing.length - 1} more thread(s) too` : '' },
          evidence: throwing.flatMap((x) => exceptionStackEvidence(x, x.trusted ? 'a C++ throw in progress' : 'a C++ throw, found by stack scanning')),
        },
      ];
    }
    return [];
  },
});

/**
 * Null when the input proves no catch took the stored exception; else the words that say what
 * it does show. Proof: second chance, the unhandled-exception filter or error reporting on the
 * faulting thread, or a crash dump (a minidump, or a debugger log of one) that stored it.
 */
function uncaughtProof(model: DumpModel, stacks: readonly ExceptionStack[]): string | null {
  const e = model.exception;
  if (!e) return null;
  if (e.chance === 'first') return 'the debugger stopped on it at first chance, before any handler ran, so a catch may still have taken it';
  if (e.chance === 'second') return null;
  const own = stacks.find((s) => s.threadId === faultingThread(model)?.id);
  if (own?.matches.some((m) => m.role === 'unhandled')) return null;
  if (model.input.format === 'minidump' || model.dump.description !== null) return null;
  return 'the log does not say whether a catch took it (no second chance, no unhandled-exception filter, no dump)';
}
