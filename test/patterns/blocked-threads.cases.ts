import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    { fixture: 'dumps/blocked-threads.dmp', images: [...WINE_IMAGES, 'dumps/blocked-threads.exe'], confidence: 'likely', why: "eight threads waiting under Wine, with Wine's DLLs as images" },
    {
      fixture: 'windbg/deadlock-critical-sections-kb.txt',
      confidence: 'likely',
      why: 'hang dump: three threads wait for critical sections',
      check: (finding) => {
        expect(finding.summary).toMatch(/^3 threads blocked: ~0 \(id 0x1614\) waits for a critical section in ntdll!RtlEnterCriticalSection\+0x150 from LedgerSync!CJournal::Append\+0x1e; ~1/);
        expect(finding.evidence.filter((e) => e.kind === 'frames')).toHaveLength(3);
        expect(finding.evidence[1]).toMatchObject({ threadId: 0x1a3c, frames: [1, 2, 3, 4], note: 'waits for a critical section at 0x42f4c0' });
        // !locks names ~1 and ~2 as owners of the sections the others wait for.
        expect(finding.evidence.filter((e) => e.kind === 'field').map((e) => e.kind === 'field' && e.path)).toEqual(['locks.0', 'locks.1']);
      },
    },
    {
      fixture: 'windbg/manual-dump-taskmgr.txt',
      confidence: 'likely',
      why: 'a message box on the main thread and a worker waiting for an event',
      check: (finding) => expect(finding.summary).toMatch(/^2 threads blocked: ~0 \(id 0x2a08\) waits for the user \(modal dialog\) in user32!MessageBoxW\+0x4e from InvoiceDesk!ExportDialog::OnExportFailed\+0x91; ~1 \(id 0x2b54\) waits for a kernel object in KERNELBASE!WaitForSingleObjectEx\+0x8e from InvoiceDesk!ExportQueue::WaitForJob\+0x49\.$/),
    },
    {
      fixture: 'windbg/coupled-processes-alpc.txt',
      confidence: 'likely',
      why: 'the main thread waits for an RPC reply',
      check: (finding) => expect(finding.summary).toMatch(/^1 thread blocked: ~0 \(id 0x2f4c\) waits for an RPC\/LPC reply in RPCRT4!NdrClientCall2\+0x6b2 from LicClient!LicCheckoutSeat\+0x3c\.$/),
    },
  ],
  silent: [
    { fixture: 'windbg/virtualized-process-seed.txt', why: 'the other threads idle: ETW pump, message loop, timer, completion port' },
    { fixture: 'windbg/x64-access-violation.txt', why: 'idle thread-pool workers beside a crash' },
    { fixture: 'dumps/null-data-read.dmp', why: 'a crash, one thread' },
  ],
});
