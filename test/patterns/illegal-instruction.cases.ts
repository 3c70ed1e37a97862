import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/illegal-instruction.dmp',
      confidence: 'certain',
      why: 'real Wine dump: STATUS_ILLEGAL_INSTRUCTION on the ud2 that __builtin_trap() compiled to',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'trap', data: { instruction: 'ud2', at: 'illegal_instruction+0x184e' } }),
    },
    {
      fixture: 'dumps/illegal-instruction-privileged.dmp',
      confidence: 'certain',
      why: 'real Wine dump: STATUS_PRIVILEGED_INSTRUCTION on hlt in user code',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'privileged', data: { instruction: 'hlt', at: 'illegal_instruction_privileged+0x182f' } }),
    },
    {
      fixture: 'corpus/breakpad/linux_inline.dmp',
      confidence: 'likely',
      why: 'Linux SIGILL: raise(SIGILL) sends it too, and this dump holds no bytes at the address',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'sigill' }),
    },
  ],
  silent: [
    { fixture: 'dumps/wild-code-pointer.dmp', why: 'execution at a wild address faults as an access violation, not an invalid opcode' },
    { fixture: 'dumps/divide-by-zero.dmp', why: 'another CPU fault of an instruction: a zero divisor' },
    { fixture: 'corpus/breakpad/linux_raise_sigabrt.dmp', why: 'Linux SIGABRT, not SIGILL' },
  ],
});
