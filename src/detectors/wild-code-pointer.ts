// Wild Code Pointer: the instruction pointer went somewhere that is not code — unmapped memory,
// the stack, the heap — through a corrupted function pointer, vtable or return address.
import type { Evidence } from '../engine/report/schema.ts';
import { big } from '../engine/core/hex.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { addr, executedAt, faultAccess, faultingFrame, moduleAt, NULL_REGION_END, SIGNAL, STATUS, signalOf, windowsCode, exceptionConfidence } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultSiteEvidence } from './lib/exception-evidence.ts';
import { faultingThread } from './lib/model-queries.ts';
import type { DumpModel } from '../engine/core/dump-model.ts';

export default defineDetector({
  id: 'wild-code-pointer',
  messages: {
    executeOutside: '{{subject}} tried to execute at {{target}}, {{place}}.',
    invalidInstruction: '{{subject}} hit an invalid instruction at {{ip}}, {{place}}: data executed as code.',
    faultOutside: '{{subject}} faulted at {{ip}}, outside every loaded module: code reached through a wild pointer, or JIT-generated code.',
  },
  detect(model) {
    const access = faultAccess(model);
    const frame0 = faultingFrame(model);
    const evidence = (note: string): Evidence[] => [
      ...exceptionEvidence(model, note, ['FAILURE_BUCKET_ID']),
      ...faultSiteEvidence(model, 'the instruction pointer is not in code', 'the last frame before the jump (its return address)'),
    ];

    if (access) {
      const target = executedAt(access);
      if (target !== null && target >= NULL_REGION_END) {
        return [
          {
            confidence: exceptionConfidence(model, 'certain'),
            messageId: 'executeOutside',
            data: { subject: exceptionSubject(model), target: addr(target), place: placeOf(model, target) },
            evidence: evidence(`execution at ${addr(target)} failed`),
          },
        ];
      }
    }

    // Garbage executed as code often decodes to an invalid or privileged instruction first.
    const code = windowsCode(model);
    const badInstruction =
      code === STATUS.ILLEGAL_INSTRUCTION || code === STATUS.PRIVILEGED_INSTRUCTION || signalOf(model) === SIGNAL.SIGILL;
    if (badInstruction && frame0 && model.modules.length > 0) {
      const ip = big(frame0.address);
      if (ip >= NULL_REGION_END && moduleAt(model, ip) === null) {
        return [
          {
            confidence: 'likely',
            messageId: 'invalidInstruction',
            data: { subject: exceptionSubject(model), ip: addr(ip), place: placeOf(model, ip) },
            evidence: evidence(`${model.exception?.name ?? model.exception?.code ?? 'invalid instruction'} outside any module`),
          },
        ];
      }
    }

    // An ordinary fault whose instruction lies outside every module: JIT-compiled code does
    // that legitimately, so this is only a suspicion.
    if (access && frame0 && frame0.module === null && model.modules.length > 0 && frame0.trust !== 'scan') {
      const ip = big(frame0.address);
      if (ip >= NULL_REGION_END && moduleAt(model, ip) === null) {
        return [
          {
            confidence: 'possible',
            messageId: 'faultOutside',
            data: { subject: exceptionSubject(model), ip: addr(ip) },
            evidence: evidence(`the faulting instruction ${addr(ip)} is in no module`),
          },
        ];
      }
    }
    return [];
  },
});

function placeOf(model: DumpModel, target: bigint): string {
  const m = moduleAt(model, target);
  if (m) return `inside ${m} but not in its code`;
  const t = faultingThread(model);
  const sp = t?.registers?.['rsp'] ?? t?.registers?.['esp'] ?? t?.frames[0]?.sp ?? null;
  // Thread stacks are at most a few MiB; a target that close to the stack pointer is on the stack.
  if (sp && absDiff(big(sp), target) < 0x100000n) return 'on the thread\'s own stack';
  return 'outside every loaded module';
}

function absDiff(a: bigint, b: bigint): bigint {
  return a > b ? a - b : b - a;
}
