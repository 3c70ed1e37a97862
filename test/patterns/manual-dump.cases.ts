import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { namedStacksDump } from '../synth/scan-stacks-fixture.ts';
import { LONE_BREAK_IN } from './breakpoint.cases.ts';

export default defineCases({
  fire: [
    {
      text: LONE_BREAK_IN,
      name: 'lone-break-in.txt',
      confidence: 'likely',
      why: 'a debugger break-in whose paste kept only DbgBreakPoint: the debugger attaching, but who called it is not shown',
      check: (finding) => expect(finding.messageId).toBe('debuggerBreakIn'),
    },
    {
      bytes: () => namedStacksDump('unwind').build().bytes,
      name: 'named-stacks-unwind.dmp',
      confidence: 'certain',
      why: 'synthetic x64: DbgBreakPoint ← DbgUiRemoteBreakin by unwind info',
      check: (finding) => expect(finding.messageId).toBe('debuggerBreakIn'),
    },
    {
      bytes: () => namedStacksDump('scan').build().bytes,
      name: 'named-stacks-scan.dmp',
      confidence: 'likely',
      why: 'the same break-in with DbgUiRemoteBreakin found by scanning: a stale return address could say the same',
      check: (finding) => expect(finding.messageId).toBe('debuggerBreakIn'),
    },
    {
      fixture: 'dumps/manual-dump.dmp',
      confidence: 'certain',
      why: 'real Wine dump written by a watchdog thread with no exception',
      check: (finding, report) => {
        expect(report.exception).toBeNull();
        expect(finding).toMatchObject({ messageId: 'noException', data: { writer: ' (writer: Wine dbghelp)', why: 'the dump holds no exception record', threads: '2 threads' } });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'field', path: 'dump.streams' }));
      },
    },
    {
      fixture: 'corpus/lldb/linux-x86_64_not_crashed.dmp',
      confidence: 'certain',
      why: "real Breakpad dump: DUMP_REQUESTED instead of a signal",
      check: (finding) => expect(finding).toMatchObject({ messageId: 'dumpRequested', data: { code: '0xffffffff', askedBy: ', asked for by thread ~0 (id 0x74f3)' } }),
    },
    {
      fixture: 'windbg/manual-dump-breakin.txt',
      confidence: 'certain',
      why: 'the stored event is the debugger break-in',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'debuggerBreakIn', data: { code: '0x80000003', thread: '~2 (id 0xd2c)' } });
        expect(finding.evidence).toContainEqual({
          kind: 'frames',
          threadId: 0xd2c,
          view: 'native',
          frames: [0, 1],
          note: expect.stringMatching(/DbgUiRemoteBreakin/),
        });
      },
    },
    {
      fixture: 'windbg/manual-dump-taskmgr.txt',
      confidence: 'likely',
      why: 'debugger text: a banner with no stored exception is only a strong hint',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'noException', data: { writer: '', why: 'the banner shows no stored exception', threads: '4 threads' } }),
    },
  ],
  silent: [
    { fixture: 'windbg/real/05-msdocs-pageheap-verifier-stop-x86.txt', why: 'the verifier broke in through DbgBreakPoint: a heap report, not a debugger attaching' },
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'a crash dump written by the exception filter' },
    { fixture: 'dumps/breakpoint.dmp', why: 'a breakpoint in the program itself, not a debugger break-in' },
    { fixture: 'windbg/x64-access-violation.txt', why: 'a live session stopped at an access violation' },
    { fixture: 'windbg/virtualized-process-seed.txt', why: 'userdump in Exception Monitor mode caught an exception' },
    {
      text: [
        '0:000> ~*k',
        '',
        '.  0  Id: 1f3c.2a08 Suspend: 0 Teb: 00000097`7c6b1000 Unfrozen',
        'Child-SP          RetAddr           Call Site',
        '00000097`7c8fe6e8 00007ffd`6f9d30ce ntdll!NtWaitForSingleObject+0x14',
        '00000097`7c8fe6f0 00007ff7`1c2b3c41 KERNELBASE!WaitForSingleObjectEx+0x8e',
        '00000097`7c8fe790 00007ff7`1c2b18a5 InvoiceDesk!ExportQueue::WaitForJob+0x49',
        '',
      ].join('\n'),
      name: 'pasted-stacks-only.txt',
      why: 'stacks pasted without the banner cannot tell whether an exception was stored',
    },
  ],
});
