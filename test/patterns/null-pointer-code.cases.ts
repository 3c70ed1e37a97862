import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/null-pointer-code.dmp',
      confidence: 'certain',
      why: 'real Wine dump: DEP reports execution at 0',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'nullCall', data: { target: '0x0', from: '; the call came from null_pointer_code+0x1849 (found by stack scanning, verify it)' } });
        expect(finding.evidence.some((e) => e.kind === 'frames' && e.frames.includes(0))).toBe(true);
      },
    },
    {
      fixture: 'corpus/breakpad/linux_jmp_to_0.dmp',
      confidence: 'certain',
      why: 'Linux: SIGSEGV whose fault address is the instruction pointer 0',
    },
    {
      fixture: 'windbg/null-pointer-code-callback.txt',
      confidence: 'certain',
      why: 'WinDbg log: the caller frame after the 0x0 frame is named',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'nullCall', data: { target: '0x0', from: '; the call came from Plugins!PluginHost::Notify+0x47' } }),
    },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'NULL data, not code' },
    { fixture: 'corpus/breakpad/linux_null_dereference.dmp', why: 'Linux NULL data read: the instruction pointer is in the program' },
    { fixture: 'dumps/wild-code-pointer.dmp', why: 'execution far from NULL' },
  ],
});
