// Data Alignment: the CPU refused a data access at an address that is not a multiple of the
// data's size. x86 and x64 processors fix misaligned accesses up in hardware, so Windows on them
// raises STATUS_DATATYPE_MISALIGNMENT (0x80000002) only when alignment checking is switched on
// (EFLAGS.AC) or for instructions that demand alignment under the kernel's rules; on ARM, ARM64
// and Itanium it is an ordinary bug (a packed structure read through a wider pointer, a cast of
// a byte buffer to an int*). STATUS_DATATYPE_MISALIGNMENT_ERROR (0xc00002c5) is the same fault
// that the kernel could not fix up.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { faultPlace, windowsCode } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultSiteEvidence } from './lib/exception-evidence.ts';

const DATATYPE_MISALIGNMENT = 0x80000002;
const DATATYPE_MISALIGNMENT_ERROR = 0xc00002c5;

export default defineDetector({
  id: 'data-alignment',
  messages: {
    misaligned: '{{subject}} made a misaligned data access ({{name}}){{at}}{{address}}: the instruction read or wrote a value at an address that is not a multiple of its size, on a CPU (or with a setting) that does not allow it.',
  },
  detect(model) {
    const e = model.exception;
    const code = windowsCode(model);
    if (!e || (code !== DATATYPE_MISALIGNMENT && code !== DATATYPE_MISALIGNMENT_ERROR)) return [];
    const place = faultPlace(model);
    // Some writers store the faulting data address as the first parameter (ARM64 Windows does).
    const param = e.parameters.length >= 2 ? e.parameters[1] : undefined;
    const evidence: Evidence[] = [
      ...exceptionEvidence(model, e.name ?? e.code, ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID']),
      ...faultSiteEvidence(model, 'the misaligned access'),
    ];
    return [
      {
        confidence: 'certain',
        messageId: 'misaligned',
        data: {
          subject: exceptionSubject(model),
          name: e.name ?? e.code,
          at: place ? ` at ${place}` : '',
          address: param && param !== '0x0' ? ` (data address ${param})` : '',
        },
        evidence,
      },
    ];
  },
});
