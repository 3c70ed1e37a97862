import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/embedded-comments.dmp',
      confidence: 'certain',
      why: "real Wine dump: the application's CommentStreamA and CommentStreamW",
      check: (finding, report) => {
        expect(report.dump.comments).toEqual([
          { stream: 'CommentStreamA', text: 'Ledger 2.4.1 (build 7731): crashed while saving C:\\data\\march.ldg; autosave on' },
          { stream: 'CommentStreamW', text: 'User action: File > Save (Ctrl+S), 3 documents open' },
        ]);
        expect(finding).toMatchObject({ messageId: 'several', data: { count: 2 } });
      },
    },
    {
      fixture: 'windbg/virtualized-process-seed.txt',
      confidence: 'certain',
      why: "the seed's banner: Comment: 'Userdump generated complete user-mode minidump…'",
      check: (finding) =>
        expect(finding).toMatchObject({ messageId: 'one', data: { text: 'Userdump generated complete user-mode minidump with Exception Monitor function on SERVER01' } }),
    },
    { fixture: 'dumps/false-positive-dump.dmp', confidence: 'certain', why: "the dumping debugger's first-chance note", check: (f) => expect(f.data['text']).toMatch(/^debugdump: first-chance exception 0xc0000005/) },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'no comment stream' },
    { fixture: 'windbg/x64-access-violation.txt', why: 'a live session: no dump banner, no comment' },
  ],
});
