import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { namedStacksDump } from '../synth/scan-stacks-fixture.ts';

export default defineCases({
  fire: [
    {
      bytes: () => namedStacksDump('unwind').build().bytes,
      name: 'named-stacks-unwind.dmp',
      confidence: 'certain',
      why: 'synthetic x64: wWinMain on the stack, found by unwind info',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'mainThread',
          data: { thread: '~0 (id 0x1b5c)', doing: 'is idle in its message loop (user32!GetMessageW+0x2e called from App!wWinMain+0x9a)', context: 'in a dump taken at a debugger break-in' },
        }),
    },
    {
      bytes: () => namedStacksDump('scan').build().bytes,
      name: 'named-stacks-scan.dmp',
      confidence: 'likely',
      why: 'the same stacks found by scanning: a start function that may be a stale value is no proof',
      check: (finding) => expect(finding.evidence).toContainEqual({ kind: 'frames', threadId: 0x1b5c, view: 'native', frames: [2], note: 'where the program started' }),
    },
    {
      fixture: 'windbg/manual-dump-taskmgr.txt',
      confidence: 'certain',
      why: 'hang dump: the main thread (started in wWinMain) shows a message box',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'mainThread',
          data: {
            thread: '~0 (id 0x2a08)',
            doing: 'shows a modal message box or dialog and waits for the user (user32!MessageBoxW+0x4e called from InvoiceDesk!ExportDialog::OnExportFailed+0x91)',
            context: 'in a dump with no crash',
          },
        });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'frames', threadId: 0x2a08, frames: [11, 12, 13] }));
      },
    },
    {
      fixture: 'windbg/deadlock-critical-sections-kb.txt',
      confidence: 'certain',
      why: 'the main thread waits for a critical section',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'mainThread',
          data: { thread: '~0 (id 0x1614)', doing: 'is blocked entering a critical section (ntdll!RtlEnterCriticalSection+0x150 called from LedgerSync!CJournal::Append+0x1e)' },
        }),
    },
    {
      fixture: 'windbg/manual-dump-breakin.txt',
      confidence: 'certain',
      why: 'XP: the main thread is the one that starts in BaseProcessStart',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'mainThread',
          data: {
            thread: '~0 (id 0x9c8)',
            doing: 'waits for a kernel object (event, mutex, semaphore, thread or process) (kernel32!WaitForSingleObject+0x12 called from ReportSrv!CReportQueue::WaitForIdle+0x3e)',
            context: 'in a dump taken at a debugger break-in',
          },
        }),
    },
    {
      fixture: 'dumps/manual-dump.dmp',
      images: ['dumps/manual-dump.exe'],
      confidence: 'likely',
      why: 'real Wine dump: the first thread, without names for ntdll',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'mainThread',
          data: { thread: expect.stringMatching(/^~0 \(id 0x[0-9a-f]+\)$/), doing: 'is at ntdll+0xebe4, called from manual_dump+0x1899', context: 'in a dump with no crash' },
        }),
    },
  ],
  silent: [
    { fixture: 'windbg/virtualized-process-seed.txt', why: 'the main thread is the one that raised the exception' },
    { fixture: 'windbg/x64-access-violation.txt', why: 'the main thread crashed; the others idle' },
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'one thread' },
    { fixture: 'windbg/virtualized-system-vmware.txt', why: 'a crash on a pool thread; only that thread is in the log' },
  ],
});
