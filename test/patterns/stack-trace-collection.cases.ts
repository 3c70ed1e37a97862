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
        expect(finding.summary).toMatch(/^Stacks of 5 threads \(5 distinct stacks\): 1 faulting or handling an exception, 4 idle; read first: ~0 \(id 0x2fe4\)/);
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
        expect(finding.summary).toMatch(/the largest group, 2 threads, shares ntdll\+0x[0-9a-f]+\.$/);
      },
    },
    {
      fixture: 'dumps/deadlock-critical-sections.dmp',
      why: 'the same dump without images: the two workers’ stacks differ only in stale values a scan took, and still group',
      check: (finding) => expect(finding.summary).toMatch(/^Stacks of 3 threads \(2 distinct stacks\): .* the largest group, 2 threads, shares ntdll\+0x[0-9a-f]+\.$/),
    },
    {
      fixture: 'windbg/manual-dump-taskmgr.txt',
      confidence: 'certain',
      why: 'a hang dump: the odd threads are the blocked ones',
      check: (finding) => expect(finding.summary).toMatch(/2 blocked, 2 idle; the largest group, 2 threads, shares ntdll!NtWaitForWorkViaWorkerFactory\+0x14 ← ntdll!TppWorkerThread\+0x2ee; read first: ~0 \(id 0x2a08\), ~1 \(id 0x2b54\)/),
    },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'one thread' },
    { fixture: 'windbg/x86-access-violation-kb.txt', why: 'a single kb' },
    { fixture: 'dumps/divide-by-zero.dmp', why: 'one thread' },
  ],
});
