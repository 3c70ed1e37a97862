import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/message-box.dmp',
      confidence: 'certain',
      why: 'real Wine dump: main in MessageBoxA from report_error, waiting in the dialog loop',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'shown', data: { call: 'USER32!MessageBoxA+0x56', caller: ', called from message_box+0x15dd', count: 1 } });
        // the wait and the box's own frames (0–6) and the caller (7) are marked
        expect(finding.evidence[0]).toMatchObject({ kind: 'frames', frames: [0, 1, 2, 3, 4, 5, 6] });
        expect(finding.evidence[1]).toMatchObject({ kind: 'frames', frames: [7] });
      },
    },
    {
      fixture: 'windbg/manual-dump-taskmgr.txt',
      confidence: 'certain',
      why: 'debugger output: the main thread of a Task Manager dump in MessageBoxW',
      check: (finding) => expect(finding).toMatchObject({ data: { call: 'user32!MessageBoxW+0x4e', caller: ', called from InvoiceDesk!ExportDialog::OnExportFailed+0x91' } }),
    },
  ],
  silent: [
    { fixture: 'windbg/virtualized-process-seed.txt', why: 'a thread idle in its message loop (GetMessage) is not a message box' },
    { fixture: 'dumps/blocked-threads.dmp', why: 'ten threads blocked in waits, none in a message box' },
    { fixture: 'dumps/manual-dump.dmp', why: 'a healthy process dumped on request' },
  ],
});
