import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/self-dump.dmp',
      confidence: 'certain',
      why: 'real Wine dump: main inside its own MiniDumpWriteDump, held in the progress callback',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'writing', data: { call: 'dbghelp!MiniDumpWriteDump+0x7bc', caller: ', called from self_dump+0x1698' } });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'module', name: expect.stringMatching(/dbghelp\.dll$/i) }));
      },
    },
    { fixture: 'dumps/self-dump.dmp', images: [...WINE_IMAGES, 'dumps/self-dump.exe'], confidence: 'certain', why: 'the same with the images' },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: "written by the process's own filter, but the stack shown is the exception's: no writer frame" },
    { fixture: 'dumps/manual-dump.dmp', why: 'a watchdog self-dump under Wine: the writing thread has no context at all' },
    { fixture: 'dumps/deadlock-critical-sections-full.dmp', why: 'dumped from outside' },
  ],
});
