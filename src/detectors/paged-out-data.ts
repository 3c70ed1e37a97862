// Paged Out Data: memory the analysis needs is not in the dump. In a kernel or complete memory
// dump that is a page that sat in the paging file; in a process dump it is memory the writer
// did not include (a minidump callback that drops stacks, a dump type without them) or could
// not read, so stacks stop after their first frame and values read "????????". Its live
// counterpart is the in-page error (STATUS_IN_PAGE_ERROR, 0xc0000006): the process itself
// touched a page the memory manager could not bring in from its file (a network share that went
// away, a failing disk, a removed USB drive) and faulted.
import type { MemoryGap } from '../engine/core/dump-model.ts';
import type { Evidence } from '../engine/report/schema.ts';
import { describeCode } from '../engine/names/exception-codes.ts';
import { big } from '../engine/core/hex.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { faultPlace, STATUS, windowsCode } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultSiteEvidence, threadLabelById } from './lib/exception-evidence.ts';

/** Threads named in a summary; the rest are counted. */
const NAMED = 3;

function stateText(g: MemoryGap): string {
  return g.state === 'commit' ? ' (committed when the dump was written: the writer left it out)' : '';
}

export default defineDetector({
  id: 'paged-out-data',
  messages: {
    inPage: '{{subject}} touched {{address}}, whose page could not be read in from its file ({{status}}){{at}}: the backing file or device failed, not the code.',
    stacks: 'The stack of {{threads}}{{more}} is not in the dump{{state}}: the stack pointer falls in no captured memory, so {{those}} cannot be walked past the first frame.',
  },
  detect(model) {
    const e = model.exception;
    if (e && windowsCode(model) === STATUS.IN_PAGE_ERROR) {
      // ExceptionInformation: [0] read/write/execute, [1] the address, [2] the NTSTATUS of the failed I/O.
      const io = e.parameters[2];
      const ioCode = io === undefined ? null : Number(big(io) & 0xffffffffn);
      const ioName = ioCode === null ? null : describeCode(ioCode).name;
      const place = faultPlace(model);
      const evidence: Evidence[] = [
        ...exceptionEvidence(model, e.name ?? e.code, ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID']),
        ...faultSiteEvidence(model, 'the access whose page could not be read in'),
      ];
      const gap = model.memory?.gaps.find((g) => g.what === 'in-page');
      if (gap) evidence.push({ kind: 'field', path: 'memory.gaps', note: 'the page is not in the dump either' });
      return [
        {
          confidence: 'certain',
          messageId: 'inPage',
          data: {
            subject: exceptionSubject(model),
            address: e.access?.address ?? e.parameters[1] ?? 'an address',
            status: ioCode === null ? 'STATUS_IN_PAGE_ERROR' : `I/O status ${ioName ?? `0x${ioCode.toString(16).padStart(8, '0')}`}`,
            at: place ? ` at ${place}` : '',
          },
          evidence,
        },
      ];
    }
    // A stack pointer into memory MemoryInfoList calls free or reserved is a wrong register,
    // not missing memory: that is another story (a corrupt context, an incorrect stack trace).
    const stacks = (model.memory?.gaps ?? []).filter((g) => g.what === 'stack' && g.threadId !== null && (g.state === null || g.state === 'commit'));
    if (stacks.length === 0) return [];
    const faulting = stacks.find((g) => g.threadId === e?.threadId);
    const ordered = faulting ? [faulting, ...stacks.filter((g) => g !== faulting)] : stacks;
    const states = new Set(ordered.map((g) => g.state));
    const evidence: Evidence[] = [
      { kind: 'field', path: 'memory.gaps', note: 'stack pointers that fall in no captured memory range' },
      ...ordered.slice(0, NAMED).map((g): Evidence => ({ kind: 'thread', threadId: g.threadId!, note: `its stack at ${g.address} is not in the dump` })),
    ];
    return [
      {
        // The bytes are missing for certain; that they were there to be taken is certain only
        // when the dump's memory map says the page was committed (without one, the stack
        // pointer itself could be wrong).
        confidence: ordered.every((g) => g.state === 'commit') ? 'certain' : 'likely',
        messageId: 'stacks',
        data: {
          threads: ordered.slice(0, NAMED).map((g) => threadLabelById(model, g.threadId!)).join(', '),
          more: ordered.length > NAMED ? ` and ${ordered.length - NAMED} more threads` : '',
          state: states.size === 1 ? stateText(ordered[0]!) : '',
          those: ordered.length === 1 ? 'it' : 'they',
        },
        evidence,
      },
    ];
  },
});
