import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

const ICP = [...WINE_IMAGES, 'wine-images/ucrtbase.dll', 'dumps/invalid-parameter-runtime-function.exe'];

export default defineCases({
  fire: [
    {
      fixture: 'dumps/invalid-parameter-runtime-function.dmp',
      confidence: 'certain',
      why: "real Wine dump: ucrtbase's strcpy_s(NULL, …) raises STATUS_INVALID_CRUNTIME_PARAMETER",
      check: (finding) => expect(finding).toMatchObject({ messageId: 'stopped', data: { how: 'STATUS_INVALID_CRUNTIME_PARAMETER' } }),
    },
    {
      fixture: 'dumps/invalid-parameter-runtime-function.dmp',
      images: ICP,
      confidence: 'certain',
      why: "the same with Wine's DLLs: raised through kernelbase!RaiseException",
      check: (finding) => expect(finding.data['at']).toMatch(/kernelbase!RaiseException\+0x4e/),
    },
    {
      fixture: 'corpus/rust-minidump/invalid-parameter.dmp',
      confidence: 'certain',
      why: "real Windows dump from Breakpad's client: its invalid-parameter handler wrote the assertion record",
      check: (finding) => expect(finding.messageId).toBe('reported'),
    },
    {
      fixture: 'windbg/invalid-parameter-runtime-function.txt',
      confidence: 'certain',
      why: 'hand-written log (no public one): c0000417 in MSVCR120!_invalid_parameter for strcpy_s',
      check: (finding) =>
        expect(finding).toMatchObject({ messageId: 'stopped', data: { api: ' (MSVCR120!strcpy_s+0x58, called from ReportGen!ReportHeader::SetTitle+0x27)' } }),
    },
    {
      fixture: 'dumps/self-diagnosis-fail-fast.dmp',
      confidence: 'possible',
      why: 'FAST_FAIL_INVALID_ARG called by the program itself: the Universal CRT’s way to stop, but no runtime frame says so',
      check: (finding) => expect(finding.messageId).toBe('fastFailOnly'),
    },
  ],
  silent: [
    { fixture: 'dumps/abort.dmp', why: 'an abort, not an invalid parameter' },
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'an access violation' },
    { fixture: 'corpus/breakpad/tiny-exe-fastfail.dmp', why: 'fail-fast with FAST_FAIL_FATAL_APP_EXIT' },
    { fixture: 'windbg/self-diagnosis-gs-cookie.txt', why: 'a stack cookie failure' },
  ],
});
