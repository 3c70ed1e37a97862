import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/suspended-thread.dmp',
      images: [...WINE_IMAGES, 'dumps/suspended-thread.exe'],
      confidence: 'certain',
      why: "real Wine dump: one thread suspended mid-work, one created suspended (Wine's dbghelp leaves its own suspension out of the count)",
      check: (finding, report) => {
        const [main, compressor, reporter] = report.threads;
        expect(finding).toMatchObject({ messageId: 'suspended', data: { count: 2, usual: 0 } });
        expect(finding.evidence.map((e) => (e.kind === 'thread' ? e.threadId : null))).toEqual([compressor!.id, reporter!.id]);
        expect(finding.data['list']).toContain('created suspended and never run');
        expect(finding.evidence).not.toContainEqual(expect.objectContaining({ threadId: main!.id }));
      },
    },
    { fixture: 'dumps/suspended-thread.dmp', confidence: 'certain', why: 'the same dump without images: counts need no names', check: (f) => expect(f.data).toMatchObject({ count: 2 }) },
    {
      fixture: 'windbg/real/gh-nohuto-windbg-notes-cpustres-suspended-x86.txt',
      confidence: 'certain',
      why: "real debugger output: CPU Stress's three inactive workers at Suspend: 2 beside the debugger's 1",
      check: (finding) => expect(finding).toMatchObject({ data: { count: 3, usual: 1 } }),
    },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'a process that dumped itself: the writing thread is the exception thread, not a suspended one' },
    { fixture: 'windbg/cpp-exception-cdb-session.txt', why: 'a thread the debugger froze (~f) is the debugger\'s doing' },
    { fixture: 'dumps/blocked-threads.dmp', why: 'twelve threads with the same count' },
    { fixture: 'windbg/x64-access-violation.txt', why: 'a live session: every thread at Suspend: 1' },
  ],
});
