import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'windbg/real/18-gh-dotnet-runtime-112238-c0000409-failfast-exr.txt',
      confidence: 'certain',
      why: 'real (dotnet/runtime issue 112238): .NET FailFast through c0000409 with a fail-fast code: not a /GS cookie failure',
      check: (finding) => {
        expect(finding.messageId).toBe('selfReported');
        expect(finding.data?.['what']).toMatch(/^requested a fail-fast exit/);
        expect(finding.data?.['at']).toBe(' at AppName!S_P_CoreLib_System_RuntimeExceptionHelpers__FailFast_1 (0x7ff7185b322e)');
      },
    },
    {
      fixture: 'corpus/breakpad/tiny-exe-fastfail.dmp',
      confidence: 'certain',
      why: 'real Windows 10 dump: __fastfail(FAST_FAIL_FATAL_APP_EXIT)',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'selfReported', data: { what: 'requested a fail-fast exit (FAST_FAIL_FATAL_APP_EXIT)', at: ' at tiny+0x1af42', via: '' } }),
    },
    {
      fixture: 'dumps/self-diagnosis-fail-fast.dmp',
      confidence: 'certain',
      why: 'real Wine dump: fail-fast with FAST_FAIL_INVALID_ARG',
      check: (finding) =>
        expect(finding).toMatchObject({ messageId: 'selfReported', data: { what: 'requested a fail-fast exit (FAST_FAIL_INVALID_ARG)', at: ' at self_diagnosis_fail_fast+0x1837', via: '' } }),
    },
    {
      fixture: 'windbg/self-diagnosis-gs-cookie.txt',
      confidence: 'certain',
      why: 'a /GS stack cookie check failed',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'selfReported',
          data: { what: 'requested a fail-fast exit (FAST_FAIL_STACK_COOKIE_CHECK_FAILURE)', at: ' at Importer!__report_gsfailure+0x1a', via: '' },
        }),
    },
    { fixture: 'corpus/breakpad/linux_raise_sigabrt.dmp', confidence: 'likely', why: 'Linux SIGABRT: abort(), or a signal sent from outside' },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'a fault, not a decision' },
    { fixture: 'dumps/stack-overflow.dmp', why: 'stack overflow' },
    { fixture: 'windbg/cpp-exception-cdb-session.txt', why: 'a C++ exception without abort' },
  ],
});
