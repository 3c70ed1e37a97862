import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { namedStacksDump } from '../synth/scan-stacks-fixture.ts';

export default defineCases({
  fire: [
    {
      fixture: 'windbg/virtualized-process-seed.txt',
      confidence: 'certain',
      why: 'the seed: ~*k of 5 threads in both views',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'collection',
          data: { threads: '5 threads', distinct: '5 distinct stacks', states: '1 faulting or handling an exception, 4 idle', shared: '', look: '; read first: ~0 (id 0x2fe4)' },
        });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'frames', threadId: 0x2fe4, view: 'x86', frames: [0, 1, 2] }));
      },
    },
    {
      fixture: 'dumps/deadlock-critical-sections.dmp',
      images: ['dumps/deadlock-critical-sections.exe'],
      confidence: 'certain',
      why: 'real Wine dump: two workers stopped at the same place',
      check: (finding) => {
        // Their callers were found by scanning: the group and its words rest on frame 0 alone.
        expect(finding).toMatchObject({ messageId: 'collection', data: { shared: '; the largest group, 2 threads, shares ntdll+0xeb84', look: '' } });
      },
    },
    {
      fixture: 'dumps/deadlock-critical-sections.dmp',
      why: 'the same dump without images: the two workers’ stacks differ only in stale values a scan took, and still group',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'collection',
          data: { threads: '3 threads', distinct: '2 distinct stacks', shared: '; the largest group, 2 threads, shares ntdll+0xeb84', look: '' },
        }),
    },
    {
      fixture: 'windbg/manual-dump-taskmgr.txt',
      confidence: 'certain',
      why: 'a hang dump: the odd threads are the blocked ones',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'collection',
          data: {
            states: '2 blocked, 2 idle',
            shared: '; the largest group, 2 threads, shares ntdll!NtWaitForWorkViaWorkerFactory+0x14 ← ntdll!TppWorkerThread+0x2ee',
            look: '; read first: ~0 (id 0x2a08), ~1 (id 0x2b54)',
          },
        }),
    },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'one thread' },
    { fixture: 'windbg/x86-access-violation-kb.txt', why: 'a single kb' },
    { fixture: 'dumps/divide-by-zero.dmp', why: 'one thread' },
  ],
});
