import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/null-data-read.dmp',
      confidence: 'certain',
      why: 'real Wine dump: a read of NULL + 8',
      check: (finding) => {
        expect(finding.summary).toMatch(/read 0x8 \(NULL \+ 0x8/);
        expect(finding.evidence.some((e) => e.kind === 'frames' && e.frames[0] === 0)).toBe(true);
      },
    },
    {
      fixture: 'corpus/breakpad/null_write_av.dmp',
      confidence: 'certain',
      why: 'real x86 dump written by Breakpad: a write to address 0',
      check: (finding) => expect(finding.summary).toMatch(/wrote address 0 at crashme\+0xa6cd/),
    },
    {
      fixture: 'corpus/breakpad/minidump_32bit_crash_addr.dmp',
      confidence: 'certain',
      why: '32-bit dump whose address field carries junk in its upper half',
      check: (finding) => expect(finding.summary).toMatch(/wrote 0x45 /),
    },
    {
      fixture: 'corpus/breakpad/linux_null_dereference.dmp',
      confidence: 'likely',
      why: 'Linux SIGSEGV at 0: a signal cannot tell NULL from a general-protection fault',
    },
    {
      fixture: 'windbg/nested-exceptions-filter-x86.txt',
      confidence: 'certain',
      why: 'WinDbg log: the fault site is found below the dispatcher frames',
      check: (finding) => expect(finding.summary).toMatch(/read 0xc .* at Billing!LogFilter::Describe\+0x1f/),
    },
  ],
  silent: [
    { fixture: 'dumps/null-code.dmp', why: 'a NULL code pointer: the fetch, not data, failed' },
    { fixture: 'corpus/breakpad/linux_jmp_to_0.dmp', why: 'Linux jump to 0: the fault address is the instruction pointer' },
    { fixture: 'corpus/breakpad/read_av_non_null.dmp', why: 'a read of 0x4e3c9, far from NULL' },
    { fixture: 'dumps/divide-by-zero.dmp', why: 'not an access violation' },
  ],
});
