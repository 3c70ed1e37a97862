import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    { fixture: 'dumps/nested-exceptions.dmp', images: [...WINE_IMAGES, 'dumps/nested-exceptions.exe'], why: "a fault inside a vectored handler under Wine, with Wine's DLLs as images" },
    {
      fixture: 'windbg/nested-exceptions-filter-x86.txt',
      confidence: 'certain',
      why: 'an access violation inside an exception filter: two dispatches and EXCEPTION_NESTED_CALL',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'nestedDispatch',
          data: {
            subject: 'Thread ~0 (id 0x1e24) had the stored exception at Billing!LogFilter::Describe+0x1f while an earlier one, from Billing!Invoice::Total+0x33, was still being dispatched',
            flagged: ' (the record is flagged EXCEPTION_NESTED_CALL)',
          },
        });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'exception' }));
      },
    },
    {
      text: [
        '(1780.1e24): Access violation - code c0000005 (first/second chance not available)',
        '0:000> .exr -1',
        'ExceptionAddress: 0113c4af (Billing!LogFilter::Describe+0x0000001f)',
        '   ExceptionCode: c0000005 (Access violation)',
        '  ExceptionFlags: 00000010',
        'NumberParameters: 2',
        '   Parameter[0]: 00000000',
        '   Parameter[1]: 0000000c',
        'Attempt to read from address 0000000c',
      ].join('\n'),
      name: 'pasted .exr -1',
      confidence: 'likely',
      why: 'only the record, flagged EXCEPTION_NESTED_CALL',
    },
  ],
  silent: [
    { fixture: 'windbg/multiple-exceptions-wer-x64.txt', why: 'two exceptions, but on two threads' },
    { fixture: 'windbg/cpp-exception-cdb-session.txt', why: 'one throw' },
    { fixture: 'windbg/invalid-handle-double-close.txt', why: 'KiRaiseUserExceptionDispatcher at the top is the stored exception\'s own raise' },
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'a single fault' },
  ],
});
