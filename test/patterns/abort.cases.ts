import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/abort.dmp',
      confidence: 'certain',
      why: "real Wine dump written by the SIGABRT handler with STATUS_FATAL_APP_EXIT, as crash reporters do (Wine's abort raises nothing)",
      check: (finding) => expect(finding).toMatchObject({ messageId: 'aborted', data: { how: ' (STATUS_FATAL_APP_EXIT, as the C runtime reports an abort)' } }),
    },
    {
      fixture: 'dumps/abort-pure-virtual.dmp',
      confidence: 'certain',
      why: "real Wine dump: libstdc++'s pure-virtual handler ends in std::terminate and abort",
    },
    {
      fixture: 'corpus/breakpad/tiny-exe-fastfail.dmp',
      confidence: 'certain',
      why: 'real Windows 10 dump: __fastfail(FAST_FAIL_FATAL_APP_EXIT), how the Universal CRT ends an abort',
      check: (finding) => expect(finding.data['how']).toMatch(/FAST_FAIL_FATAL_APP_EXIT/),
    },
    {
      fixture: 'corpus/breakpad/linux_raise_sigabrt.dmp',
      confidence: 'likely',
      why: 'real Linux dump: SIGABRT with no abort frame named, so it may have come from outside',
      check: (finding) => expect(finding.messageId).toBe('sigabrt'),
    },
    {
      fixture: 'windbg/pure-virtual-function-call.txt',
      confidence: 'certain',
      why: 'ucrtbase!abort after VCRUNTIME140!_purecall',
      check: (finding) => expect(finding.data['via']).toBe(' via ucrtbase!abort'),
    },
  ],
  silent: [
    { fixture: 'dumps/self-diagnosis-fail-fast.dmp', why: 'fail-fast with FAST_FAIL_INVALID_ARG, not an abort' },
    { fixture: 'dumps/invalid-parameter-runtime-function.dmp', why: 'the invalid-parameter report' },
    { fixture: 'windbg/self-diagnosis-gs-cookie.txt', why: 'a stack cookie failure' },
    { fixture: 'corpus/breakpad/linux_null_dereference.dmp', why: 'SIGSEGV, not SIGABRT' },
  ],
});
