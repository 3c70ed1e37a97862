import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/wild-pointer-data.dmp',
      confidence: 'likely',
      why: 'real Wine dump: a read of 0xdeadbeef8, outside everything',
      check: (finding) =>
        expect(finding).toMatchObject({ messageId: 'wildAccess', data: { verb: 'read', why: '0xdeadbeef8, outside every loaded module', place: ' at wild_pointer_data+0x1808' } }),
    },
    {
      fixture: 'corpus/breakpad/write_av_non_canonical.dmp',
      confidence: 'certain',
      why: 'x64: a non-canonical address, reported as all ones',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'wildAccess',
          data: { verb: 'read', why: 'a non-canonical address (Windows reports it as 0xffffffffffffffff: read the operands of the faulting instruction for the real value)' },
        }),
    },
    { fixture: 'corpus/breakpad/read_av_non_null.dmp', confidence: 'likely', why: 'real x86 dump: a read of 0x4e3c9' },
    {
      fixture: 'windbg/wild-pointer-data-freed.txt',
      confidence: 'certain',
      why: 'a pointer read from freed memory (0xfeeefeee fill) plus a field offset',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'wildAccess',
          data: { verb: 'read', why: '0xfeeefef6, a fill pattern (Windows debug heap: already freed, HeapFree fill)', place: ' at Mailer!Recipient::Address+0x12' },
        }),
    },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'NULL + 8 is a NULL pointer' },
    { fixture: 'dumps/wild-code-pointer.dmp', why: 'the instruction fetch failed: a code pointer' },
    { fixture: 'corpus/breakpad/linux_write_to_nonwritable_module.dmp', why: 'a write into a loaded image: a valid pointer misused' },
    { fixture: 'corpus/breakpad/stack_exhaustion.dmp', why: 'stack overflow, not an access violation' },
  ],
});
