import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    {
      fixture: 'windbg/real/20-gh-drmemory-1833-x64-wer-unhandled-bogus-frame.txt',
      confidence: 'certain',
      why: 'real (Dr. Memory issue 1833): UnhandledExceptionFilter and WER over an exception from ntdll; frame 00 is a bogus 0xc0972dc2',
      check: (finding) => {
        expect(finding.data?.['how']).toMatch(/^unhandled, in the last-chance filter and error reporting: .*it came from ntdll!RtlpMuiRegGetInstalledLanguageIndexByLangId\+0x322$/);
      },
    },
    { fixture: 'dumps/cpp-exception.dmp', images: [...WINE_IMAGES, 'dumps/cpp-exception.exe'], confidence: 'certain', why: "a real throw under Wine, with Wine's DLLs as images" },
    {
      fixture: 'windbg/multiple-exceptions-wer-x64.txt',
      confidence: 'certain',
      why: 'an unhandled access violation in the error-reporting path',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'processing', data: { subject: 'Thread ~7 (id 0x2b6c)' } });
        expect(finding.data['how']).toMatch(/^unhandled.*it came from OrderSvc!OrderCache::Lookup\+0x3a$/);
        expect(finding.data['others']).toMatch(/^; 1 more thread shows/);
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'frames', threadId: 0x2b6c, frames: [11] }));
      },
    },
    {
      fixture: 'windbg/virtualized-process-seed.txt',
      confidence: 'certain',
      why: 'the seed: RaiseException on the 32-bit stack of a WOW64 process',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'processing',
          data: { view: ' (x86 view)', how: 'being raised: RaiseException; it came from rpcrt4!RpcpRaiseException+0x24' },
        });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'frames', view: 'x86', frames: [1] }));
      },
    },
    {
      fixture: 'windbg/virtualized-process-seed-first-half.txt',
      confidence: 'certain',
      why: 'native view only: the raise passes through the WOW64 layer',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'processing',
          data: { view: '', how: 'being raised: Wow64KiRaiseException; raised by 32-bit code behind the WOW64 layer, read the x86 stack' },
        }),
    },
    { fixture: 'windbg/cpp-exception-cdb-session.txt', confidence: 'certain', why: 'a C++ throw' },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'the stack is walked from the exception context: no processing frames' },
    { fixture: 'windbg/x86-access-violation-kb.txt', why: '.ecxr-style stack of a plain access violation' },
    { fixture: 'windbg/divide-by-zero-live.txt', why: 'a live first-chance stop, before dispatching' },
    {
      text: [
        '0:000> ~*k',
        '',
        '.  0  Id: 2a40.1b8c Suspend: 0 Teb: 000000a1`5c2e1000 Unfrozen',
        ' # Child-SP          RetAddr               Call Site',
        '00 000000a1`5c4fe8c0 00007ffd`4ce4f1a2     KERNELBASE!RaiseException+0x69',
        '01 000000a1`5c4fe9a0 00007ff6`4d2a1c3e     KERNELBASE!OutputDebugStringA+0x122',
        '02 000000a1`5c4fec80 00007ff6`4d2a1d10     Indexer!Log::Write+0x4e',
        '03 000000a1`5c4fecc0 00007ffd`4e707374     Indexer!main+0x60',
        '04 000000a1`5c4fed10 00007ffd`4f5ecc91     KERNEL32!BaseThreadInitThunk+0x14',
        '05 000000a1`5c4fed40 00000000`00000000     ntdll!RtlUserThreadStart+0x21',
      ].join('\n'),
      name: 'pasted ~*k inside OutputDebugStringA',
      why: 'OutputDebugString raises an exception it handles itself: logging, not failing',
    },
  ],
});
