// Spiking Thread: the inputs on which the detector must fire and those on which it must stay
// silent, run by test/patterns.test.ts. The synthetic dumps are the ones described in
// test/synth/spiking-thread-fixture.ts; the near misses keep the same process and change one
// fact (the busy thread waits, or nobody used much CPU).
import { expect } from 'vitest';
import { fixtureBytes } from '../lib/analyze-input.ts';
import { defineCases } from '../lib/cases.ts';
import { spikingThreadDump } from '../synth/spiking-thread-fixture.ts';

/** `!runaway` alone, pasted without any stack: the times say who, nothing says what it ran. */
const RUNAWAY_ONLY = `0:000> !runaway 3
 User Mode Time
  Thread       Time
   4:3a18      0 days 0:01:07.281
   0:2b40      0 days 0:00:02.953
   2:1c7c      0 days 0:00:00.437
 Kernel Mode Time
  Thread       Time
   4:3a18      0 days 0:00:01.015
   0:2b40      0 days 0:00:00.750
   2:1c7c      0 days 0:00:00.093
`;

/** A thread busy mostly in kernel mode: a directory scan that never ends, caught in the system call. */
const KERNEL_HEAVY = `0:000> !runaway 3
 User Mode Time
  Thread       Time
   1:2b40      0 days 0:00:09.953
   0:3a18      0 days 0:00:00.281
 Kernel Mode Time
  Thread       Time
   1:2b40      0 days 0:00:41.750
   0:3a18      0 days 0:00:00.015
0:000> ~*k

.  0  Id: 1234.3a18 Suspend: 0 Teb: 00000097\`7c6b1000 Unfrozen
 # Child-SP          RetAddr               Call Site
00 00000097\`7d1ff6f8 00007ffd\`6f9d30ce     ntdll!NtWaitForSingleObject+0x14
01 00000097\`7d1ff700 00007ff7\`1c2c12e9     KERNELBASE!WaitForSingleObjectEx+0x8e
02 00000097\`7d1ff7a0 00000000\`00000000     App!wmain+0x49

   1  Id: 1234.2b40 Suspend: 0 Teb: 00000097\`7c6b3000 Unfrozen
 # Child-SP          RetAddr               Call Site
00 00000097\`7d3ff6f8 00007ffd\`6f9d4a7e     ntdll!NtQueryDirectoryFileEx+0x14
01 00000097\`7d3ff700 00007ff7\`1c2c2a31     KERNELBASE!FindNextFileW+0x8e
02 00000097\`7d3ff7a0 00007ff7\`1c2c2b88     App!ScanFolder+0x61
03 00000097\`7d3ff7f0 00000000\`00000000     App!ScanWorker+0x58
`;

/** Two threads with about as much user time each: busy, but no single thread dominates. */
const RUNAWAY_SHARED = `0:000> !runaway
 User Mode Time
  Thread       Time
   3:2d10      0 days 0:00:41.312
   5:1f6c      0 days 0:00:39.875
   0:e24       0 days 0:00:05.140
   1:21a8      0 days 0:00:00.062
`;

export default defineCases({
  fire: [
    {
      fixture: 'synth/spiking-thread.dmp',
      confidence: 'likely',
      why: 'ThreadInfoList times: one worker holds 93% of the CPU, running in the program',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'spiking',
          data: {
            thread: '~1 (id 0x2a40)',
            cpu: '201 s of CPU (196 s user, 4.9 s kernel)',
            share: '93%',
            where: ', and was running in ReportHub!RuleIndex::FindMatch+0x4c, not waiting, when the dump was taken',
            kernel: '',
          },
        });
        expect(finding.evidence).toEqual([
          {
            kind: 'thread',
            threadId: 0x2a40,
            note: '201 s of CPU (196 s user, 4.9 s kernel): 93% of the 216 s the 4 threads used; created 40 min before the dump, so on average 8% of one CPU over its life',
          },
          { kind: 'frames', threadId: 0x2a40, view: 'native', frames: [0, 1, 2], note: 'running here, not in a wait, when the dump was taken' },
        ]);
      },
    },
    {
      bytes: () => spikingThreadDump('spinning').builder.build().bytes,
      name: 'spiking-thread-rebuilt.dmp',
      confidence: 'likely',
      why: 'the description rebuilds the committed fixture byte for byte',
      check: () => {
        // Re-run `node scripts/make-spiking-thread-fixture.ts` when this fails after a change
        // to the builder or the description.
        expect(Buffer.from(spikingThreadDump('spinning').builder.build().bytes).equals(Buffer.from(fixtureBytes('synth/spiking-thread.dmp')))).toBe(true);
      },
    },
    {
      fixture: 'windbg/spiking-thread-runaway.txt',
      confidence: 'likely',
      why: 'procdump -c dump: !runaway 7 and ~*k, the busy thread in the program',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'spiking',
          data: {
            thread: '~2 (id 0x2c58)',
            cpu: '304 s of CPU (292 s user, 12.6 s kernel)',
            share: '97%',
            where: ', and was running in IndexerSvc!PathTrie::Lookup+0x41, not waiting, when the dump was taken',
          },
        });
        expect(finding.evidence[1]).toMatchObject({ kind: 'frames', threadId: 0x2c58, frames: [0, 1, 2] });
      },
    },
    {
      text: RUNAWAY_ONLY,
      name: 'runaway-only.txt',
      confidence: 'possible',
      why: 'times without a stack: running or waiting is unknown',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'spiking',
          data: {
            thread: '~4 (id 0x3a18)',
            cpu: '68.3 s of CPU (67.3 s user, 1.0 s kernel)',
            share: '94%',
            where: '; its stack is not in the input, so it may as well have been waiting',
          },
        });
        expect(finding.evidence).toHaveLength(1);
      },
    },
    {
      text: KERNEL_HEAVY,
      name: 'kernel-heavy.txt',
      confidence: 'likely',
      why: 'mostly kernel time, frame 0 in a system call that is not a wait',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'spiking',
          data: {
            where: ', and was running in ntdll!NtQueryDirectoryFileEx+0x14 called from App!ScanFolder+0x61, not waiting, when the dump was taken',
            kernel: ' Most of it is kernel time.',
          },
        });
        expect(finding.evidence[1]).toMatchObject({ kind: 'frames', threadId: 0x2b40, frames: [0, 1, 2] });
      },
    },
  ],
  silent: [
    { bytes: () => spikingThreadDump('waiting').builder.build().bytes, name: 'spiking-thread-waiting.dmp', why: 'the same dominant thread, caught inside WaitForSingleObjectEx' },
    { bytes: () => spikingThreadDump('small-times').builder.build().bytes, name: 'spiking-thread-small-times.dmp', why: 'the same running thread with 2 s of CPU: ordinary work' },
    { fixture: 'windbg/variants/session-commands-x64.txt', why: '!runaway: the main thread holds 93% of the time but waits in its message loop' },
    { text: RUNAWAY_SHARED, name: 'runaway-shared.txt', why: 'two threads share the CPU about equally' },
    { fixture: 'corpus/breakpad/null_read_av.dmp', why: 'a real crash dump with no thread times' },
    { fixture: 'dumps/blocked-threads.dmp', why: 'a real hang dump with no thread times' },
  ],
});
