import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/custom-exception-handler.dmp',
      confidence: 'certain',
      why: "real Wine dump: main hangs in its own filter crash_filter, called by kernelbase's UnhandledExceptionFilter",
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'filter', data: { filter: 'custom_exception_handler+0x1640', lastChance: 'kernelbase!UnhandledExceptionFilter+0x59' } });
        expect(finding.evidence).toEqual([
          expect.objectContaining({ kind: 'frames', frames: [4] }),
          expect.objectContaining({ kind: 'frames', frames: [5] }),
        ]);
      },
    },
    {
      fixture: 'dumps/multiple-exceptions.dmp',
      images: [...WINE_IMAGES, 'dumps/multiple-exceptions.exe'],
      confidence: 'certain',
      why: 'real Wine dump: the second faulting thread parked in the program\'s filter',
      check: (finding, report) => expect(finding.data['subject']).toBe(`Thread ~2 (id 0x${report.threads[2]!.id.toString(16)})`),
    },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: "the filter wrote the dump with the exception's context: its own frames are not on the stack" },
    { fixture: 'windbg/multiple-exceptions-wer-x64.txt', why: "the last-chance filter calls Windows Error Reporting, the system's own" },
    { fixture: 'dumps/nested-exceptions.dmp', why: 'a vectored handler, not the unhandled-exception filter' },
  ],
});
