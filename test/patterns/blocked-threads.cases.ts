import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    {
      fixture: 'windbg/real/04-msdocs-cs-timeout-winsrv-x86.txt',
      confidence: 'likely',
      why: 'real (Microsoft docs): ~24 broke in its timed-out critical-section wait, ~21 waits for the section ~6 owns (a wait chain, until a Wait Chain pattern exists)',
      check: (finding) => {
        const frames = finding.evidence.filter((e) => e.kind === 'frames');
        expect(frames.map((e) => e.kind === 'frames' && e.threadId)).toEqual([0xbd, 0x88]);
        expect(finding.data).toMatchObject({ threads: '2 threads' });
      },
    },
    {
      fixture: 'windbg/real/16-gh-perl5-11221-cs-kv-markdown-escaped-x64.txt',
      confidence: 'likely',
      why: 'real (Perl issue 11221, Markdown-escaped, kv lines wrapped): thread 1ff8 owns the locked section 3d9730 and waits for another',
      check: (finding) => {
        expect(finding.evidence[0]).toMatchObject({ kind: 'frames', threadId: 0x1ff8 });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'field', path: 'locks.0' }));
        expect(String(finding.data?.['list'])).toContain('while owning 0x3d9730');
      },
    },
    {
      fixture: 'windbg/real/17-gh-mono-18827-cs-wait-no-hash-header-x64.txt',
      confidence: 'likely',
      why: 'real (mono issue 18827): `k` under 0:013 with a header without #, in RtlEnterCriticalSection',
      check: (finding) => expect(finding.evidence[0]).toMatchObject({ kind: 'frames', frames: [0, 1, 2, 3, 4, 5, 6] }),
    },
    { fixture: 'dumps/blocked-threads.dmp', images: [...WINE_IMAGES, 'dumps/blocked-threads.exe'], confidence: 'likely', why: "eight threads waiting under Wine, with Wine's DLLs as images" },
    {
      fixture: 'windbg/deadlock-critical-sections-kb.txt',
      confidence: 'likely',
      why: 'hang dump: three threads wait for critical sections',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'blocked',
          data: { threads: '3 threads', besideCrash: '', list: expect.stringMatching(/^~0 \(id 0x1614\) waits for a critical section in ntdll!RtlEnterCriticalSection\+0x150 from LedgerSync!CJournal::Append\+0x1e; ~1/) },
        });
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
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'blocked',
          data: {
            threads: '2 threads',
            list: '~0 (id 0x2a08) waits for the user (modal dialog) in user32!MessageBoxW+0x4e from InvoiceDesk!ExportDialog::OnExportFailed+0x91; ~1 (id 0x2b54) waits for a kernel object in KERNELBASE!WaitForSingleObjectEx+0x8e from InvoiceDesk!ExportQueue::WaitForJob+0x49',
            more: '',
          },
        }),
    },
    {
      fixture: 'windbg/coupled-processes-alpc.txt',
      confidence: 'likely',
      why: 'the main thread waits for an RPC reply',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'blocked',
          data: { threads: '1 thread', list: '~0 (id 0x2f4c) waits for an RPC/LPC reply in RPCRT4!NdrClientCall2+0x6b2 from LicClient!LicCheckoutSeat+0x3c', more: '' },
        }),
    },
  ],
  silent: [
    { fixture: 'windbg/virtualized-process-seed.txt', why: 'the other threads idle: ETW pump, message loop, timer, completion port' },
    { fixture: 'windbg/x64-access-violation.txt', why: 'idle thread-pool workers beside a crash' },
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'a crash, one thread' },
  ],
});
