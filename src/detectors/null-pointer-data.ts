// NULL Pointer (data): an access violation reading or writing an address in the never-mapped
// first 64 KiB, i.e. through a NULL pointer plus the offset of the field that was wanted.
import { defineDetector } from '../engine/report/detector.ts';
import { addr, executedAt, faultAccess, faultPlace, NULL_REGION_END, exceptionConfidence } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultSiteEvidence } from './lib/exception-evidence.ts';

export default defineDetector({
  id: 'null-pointer-data',
  messages: {
    nullAccess: '{{subject}} {{what}} {{offset}}{{where}}.',
  },
  detect(model) {
    const access = faultAccess(model);
    if (!access || access.address >= NULL_REGION_END) return [];
    // A failed instruction fetch is NULL Pointer (code), even when it was reported as a read.
    if (executedAt(access) !== null) return [];
    const what = access.kind === 'unknown' ? 'touched' : access.kind === 'read' ? 'read' : 'wrote';
    const offset = access.address === 0n ? 'address 0' : `${addr(access.address)} (NULL + ${addr(access.address)}: a field of a structure reached through a NULL pointer)`;
    const place = faultPlace(model);
    const where = place ? ` at ${place}` : '';
    // A signal's fault address cannot tell a NULL access from a general-protection fault (Linux
    // reports address 0 for both, e.g. for a non-canonical pointer), so it stays "likely".
    const confidence = exceptionConfidence(model, access.source === 'signal' ? 'likely' : 'certain');
    return [
      {
        confidence,
        messageId: 'nullAccess',
        data: { subject: exceptionSubject(model), what, offset, where },
        evidence: [
          ...exceptionEvidence(model, `${access.kind} access at ${addr(access.address)}`, ['READ_ADDRESS', 'WRITE_ADDRESS', 'FAILURE_BUCKET_ID']),
          // With symbols the note names the line: "the NULL store at order.c:15".
          ...faultSiteEvidence(model, `the NULL ${access.kind === 'write' ? 'store' : access.kind === 'read' ? 'load' : 'access'}`),
        ],
      },
    ];
  },
});
