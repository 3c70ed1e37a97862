// NULL Pointer (code): the CPU was sent to execute at a NULL (or NULL + small offset) address,
// typically a call through a NULL function pointer or through a NULL object's vtable slot.
import { defineDetector } from '../engine/report/detector.ts';
import { addr, executedAt, faultAccess, faultSite, NULL_REGION_END, exceptionConfidence } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultSiteEvidence } from './lib/exception-evidence.ts';
import { frameText } from '../engine/core/frame-text.ts';

export default defineDetector({
  id: 'null-pointer-code',
  messages: {
    nullCall: '{{subject}} jumped to {{target}}, a NULL code pointer{{from}}.',
  },
  detect(model) {
    const access = faultAccess(model);
    if (!access) return [];
    // An instruction fetch from the NULL region: DEP reports "execute", x86 without DEP a
    // read of the very address it tried to run.
    const target = executedAt(access);
    if (target === null || target >= NULL_REGION_END) return [];
    // The frame after the fault is the return address the bad call pushed: the caller that
    // used the NULL pointer.
    const site = faultSite(model);
    const t = site ? model.threads.find((x) => x.id === site.threadId) : undefined;
    const caller = site ? (site.view === 'x86' ? t?.x86Frames : t?.frames)?.find((f) => f.index === site.frame.index + 1) : undefined;
    const from = caller
      ? `; the call came from ${frameText(caller)}${caller.trust === 'scan' ? ' (found by stack scanning, verify it)' : ''}`
      : '';
    return [
      {
        confidence: exceptionConfidence(model, 'certain'),
        messageId: 'nullCall',
        data: { subject: exceptionSubject(model), target: addr(target), from },
        evidence: [
          ...exceptionEvidence(model, `execution at ${addr(target)}`, ['FAILURE_BUCKET_ID']),
          ...faultSiteEvidence(model, 'the instruction pointer is NULL', 'the caller that called through the NULL pointer'),
        ],
      },
    ];
  },
});
