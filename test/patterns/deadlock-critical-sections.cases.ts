import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

const oneSection = `0:000> ~*kb

.  0  Id: 15a8.1614 Suspend: 0 Teb: 7ffdf000 Unfrozen
ChildEBP RetAddr  Args to Child              
0012fb9c 77c66a24 77c82264 000000f8 00000000 ntdll!KiFastSystemCallRet
0012fba0 77c82264 000000f8 00000000 00000000 ntdll!NtWaitForSingleObject+0xc
0012fc04 77c82148 0042f4a0 00000002 0012fc40 ntdll!RtlpWaitOnCriticalSection+0x13e
0012fc2c 00401b3e 0042f4a0 0012fc70 00000000 ntdll!RtlEnterCriticalSection+0x150
0012fc40 00401c92 0012fc70 00000001 0012fd0c LedgerSync!CJournal::Append+0x1e

   1  Id: 15a8.1a3c Suspend: 0 Teb: 7ffde000 Unfrozen
ChildEBP RetAddr  Args to Child              
0237f9cc 77c66a24 77c82264 00000104 00000000 ntdll!KiFastSystemCallRet
0237f9d0 77c82264 00000104 00000000 00000000 ntdll!NtWaitForSingleObject+0xc
0237fa34 77c82148 0042f4a0 00000001 0237fa70 ntdll!RtlpWaitOnCriticalSection+0x13e
0237fa5c 00402a17 0042f4a0 00328c40 0237fa9c ntdll!RtlEnterCriticalSection+0x150
0237fa70 00402b80 00328c40 0237fab4 00000000 LedgerSync!CJournal::Flush+0x17
`;

export default defineCases({
  fire: [
    { fixture: 'dumps/deadlock-critical-sections.dmp', images: [...['wine-images/ntdll.dll', 'wine-images/kernelbase.dll', 'wine-images/kernel32.dll'], 'dumps/deadlock-critical-sections.exe'], why: "two threads take two critical sections in opposite order under Wine" },
    {
      fixture: 'windbg/deadlock-critical-sections-kb.txt',
      confidence: 'likely',
      why: 'three waiters on two sections, nobody else running',
      check: (finding) => {
        expect(finding.summary).toMatch(/^3 threads wait for 2 different critical sections and no other thread is running: ~0 \(id 0x1614\) waits for 0x42f4a0 from LedgerSync!CJournal::Append\+0x1e; ~1 \(id 0x1a3c\) waits for 0x42f4c0 from LedgerSync!CIndex::Update\+0x17; ~2 \(id 0x1b20\) waits for 0x42f4a0/);
        expect(finding.evidence.map((e) => (e.kind === 'frames' ? e.threadId : null))).toEqual([0x1614, 0x1a3c, 0x1b20]);
      },
    },
  ],
  silent: [
    { text: oneSection, name: 'two-waiters-one-section.txt', why: 'both wait for the same section: a held lock, not a cycle' },
    { fixture: 'windbg/manual-dump-taskmgr.txt', why: 'blocked, but not on critical sections' },
    { fixture: 'windbg/virtualized-process-seed.txt', why: 'no lock waits' },
    { fixture: 'dumps/deadlock-critical-sections.dmp', why: 'real deadlock, but without ntdll symbols the waits cannot be named: silence, not a guess' },
  ],
});
