import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/wild-code-pointer.dmp',
      confidence: 'certain',
      why: 'real Wine dump: execution at 0x123456789a',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'executeOutside', data: { target: '0x123456789a', place: 'outside every loaded module' } }),
    },
    {
      fixture: 'corpus/breakpad/exec_av_on_stack.dmp',
      confidence: 'certain',
      why: 'real x86 dump: DEP stopped execution on the stack',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'executeOutside', data: { target: '0x3df944', place: "on the thread's own stack" } }),
    },
    { fixture: 'corpus/breakpad/linux_outside_module.dmp', confidence: 'certain', why: 'Linux: the fault address is the instruction pointer, in no module' },
    { fixture: 'windbg/wild-code-pointer-heap-x86.txt', confidence: 'certain', why: 'WinDbg log: a call through a freed object\'s vtable lands on the heap' },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-code.dmp', why: 'execution at NULL is NULL Pointer (code)' },
    { fixture: 'dumps/wild-pointer-data.dmp', why: 'a data access; the code is in the program' },
    { fixture: 'corpus/breakpad/linux_inline.dmp', why: 'SIGILL inside the program\'s own code' },
  ],
});
