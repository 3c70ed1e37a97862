import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'corpus/breakpad/tiny-exe-fastfail.dmp',
      confidence: 'certain',
      why: 'real Windows 10 dump: __fastfail(FAST_FAIL_FATAL_APP_EXIT)',
      check: (finding) => expect(finding.summary).toMatch(/fail-fast exit \(FAST_FAIL_FATAL_APP_EXIT\)/),
    },
    {
      fixture: 'dumps/fail-fast.dmp',
      confidence: 'certain',
      why: 'real Wine dump: fail-fast with FAST_FAIL_INVALID_ARG',
      check: (finding) => expect(finding.summary).toMatch(/FAST_FAIL_INVALID_ARG/),
    },
    {
      fixture: 'windbg/self-diagnosis-gs-cookie.txt',
      confidence: 'certain',
      why: 'a /GS stack cookie check failed',
      check: (finding) => expect(finding.summary).toMatch(/FAST_FAIL_STACK_COOKIE_CHECK_FAILURE\) at Importer!__report_gsfailure\+0x1a\./),
    },
    { fixture: 'corpus/breakpad/linux_raise_sigabrt.dmp', confidence: 'likely', why: 'Linux SIGABRT: abort(), or a signal sent from outside' },
  ],
  silent: [
    { fixture: 'dumps/null-data-read.dmp', why: 'a fault, not a decision' },
    { fixture: 'dumps/stack-overflow.dmp', why: 'stack overflow' },
    { fixture: 'windbg/cpp-exception-cdb-session.txt', why: 'a C++ exception without abort' },
  ],
});
