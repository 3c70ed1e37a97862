import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { namedStacksDump } from '../synth/scan-stacks-fixture.ts';

export default defineCases({
  fire: [
    {
      bytes: () => namedStacksDump('unwind').build().bytes,
      name: 'named-stacks-unwind.dmp',
      confidence: 'certain',
      why: 'synthetic x64: unwind info leads past ntdll!RtlUserThreadStart',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'wrongStacks',
          data: { verdict: 'Stack traces are wrong', threads: '1 thread', where: '~2 (id 0x1f08): 1 frames after ntdll!RtlUserThreadStart+0x21, where every thread begins' },
        }),
    },
    {
      bytes: () => namedStacksDump('scan').build().bytes,
      name: 'named-stacks-scan.dmp',
      confidence: 'likely',
      why: 'the same frame past the thread start, found by scanning: the walk was guessing there',
      check: (finding) => expect(finding.evidence[0]).toMatchObject({ threadId: 0x1f08, frames: [4, 5] }),
    },
    {
      fixture: 'windbg/virtualized-process-seed-first-half.txt',
      confidence: 'certain',
      why: 'the seed: WinDbg walks past BaseProcessStartThunk into zeros',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'wrongStacks',
          data: { verdict: 'Stack traces are wrong', threads: '5 threads', where: '~0 (id 0x2fe4): 10 frames after kernel32!BaseProcessStartThunk, where every thread begins' },
        });
        expect(finding.evidence[0]).toMatchObject({ threadId: 0x2fe4, view: 'native', frames: [9, 10] });
      },
    },
    {
      fixture: 'windbg/incorrect-stack-trace-x86.txt',
      confidence: 'likely',
      why: 'ChildEBP moves back up, then a frame outside every module',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'wrongStacks',
          data: { verdict: 'Stack traces are probably wrong', where: '~0 (id 0xe10): the stack pointer moves back up at user32!DispatchMessageWorker+0x306 (0x12f774 → 0x12f5d4)' },
        }),
    },
    {
      fixture: 'windbg/optimized-code-fpo.txt',
      confidence: 'possible',
      why: 'only the debugger’s "unwind information not available" warning',
    },
  ],
  silent: [
    { fixture: 'windbg/x64-access-violation.txt', why: 'sound stacks ending in RtlUserThreadStart' },
    { fixture: 'windbg/x86-access-violation-kb.txt', why: 'a sound x86 stack' },
    { fixture: 'dumps/manual-dump.dmp', images: ['dumps/manual-dump.exe'], why: 'frames found by scanning are not wrong by themselves' },
    { fixture: 'corpus/breakpad/minidump2.dmp', why: 'frame-pointer walk to kernel32' },
  ],
});
