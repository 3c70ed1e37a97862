import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/divide-by-zero.dmp',
      confidence: 'certain',
      why: 'real Wine dump: STATUS_INTEGER_DIVIDE_BY_ZERO',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'division', data: { kind: 'an integer', at: 'divide_by_zero+0x183c' } }),
    },
    {
      fixture: 'corpus/breakpad/linux_divide_by_zero.dmp',
      confidence: 'likely',
      why: 'Linux SIGFPE: also raised by INT_MIN / -1',
    },
    {
      fixture: 'windbg/divide-by-zero-live.txt',
      confidence: 'likely',
      why: 'live first-chance event in a debugger: a handler may yet have taken it, so never certain',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'division', data: { kind: 'an integer', at: 'Stats!Histogram::BucketOf+0x1c' } }),
    },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'an access violation' },
    { fixture: 'corpus/breakpad/linux_raise_sigabrt.dmp', why: 'Linux SIGABRT, not SIGFPE' },
    { fixture: 'corpus/breakpad/tiny-exe-fastfail.dmp', why: 'fail-fast' },
  ],
});
