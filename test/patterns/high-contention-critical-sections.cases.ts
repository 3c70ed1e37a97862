import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/high-contention-critical-sections.dmp',
      confidence: 'certain',
      why: 'real full-memory Wine dump: six threads wait for pool_lock, owned by a thread asleep in flush_pool; LockCount 6 in memory',
      check: (finding, report) => {
        const owner = report.threads[1]!;
        expect(finding.messageId).toBe('seen');
        expect(finding.data).toMatchObject({ waiters: '6 threads', waitersSeen: 6, ownerThreadId: owner.id });
        expect(String(finding.data.section)).toBe('the critical section 0x140007040 (high_contention_critical_sections+0x7040)');
        expect(String(finding.data.owner)).toMatch(/^~1 \(id 0x[0-9a-f]+\), which waits in kernelbase!Sleep\+0x2c/);
        expect(report.locks).toEqual([expect.objectContaining({ address: '0x140007040', ownerThreadId: owner.id, lockCount: 6, recursionCount: 1, source: 'memory' })]);
        expect(finding.evidence.filter((e) => e.kind === 'frames')).toHaveLength(7);
      },
    },
    {
      fixture: 'dumps/high-contention-critical-sections.dmp',
      images: [...WINE_IMAGES, 'dumps/high-contention-critical-sections.exe'],
      confidence: 'certain',
      why: 'the same with the images',
    },
    {
      fixture: 'windbg/real/04-msdocs-cs-timeout-winsrv-x86.txt',
      confidence: 'likely',
      why: 'real (Microsoft docs): !locks gives winsrv!_gcsUserSrv LockCount 8 (ContentionCount 0x1d47), owned by the running ~6; one waiter’s stack is shown',
      check: (finding) => {
        expect(finding.messageId).toBe('counted');
        expect(finding.data).toMatchObject({ waiters: '8 threads', lockCount: 8, ownerThreadId: 0x6d, waitersSeen: 1 });
      },
    },
    {
      fixture: 'windbg/real/16-gh-perl5-11221-cs-kv-markdown-escaped-x64.txt',
      confidence: 'likely',
      why: 'real (Perl issue 11221, Markdown-escaped): !cs 3d9730 says LOCKED, LockCount 0x3, owned by 1ff8, which itself waits to enter another section; no waiter’s stack is shown (x64 kv arguments name no section)',
      check: (finding) => {
        expect(finding.messageId).toBe('counted');
        expect(finding.data).toMatchObject({ waiters: '3 threads', lockCount: 3, ownerThreadId: 0x1ff8, waitersSeen: 0 });
      },
    },
  ],
  silent: [
    { fixture: 'dumps/wait-chain-critical-sections.dmp', why: 'one waiter per section' },
    { fixture: 'windbg/real/03-msdocs-deadlock-ftpsvc2-x86.txt', why: 'real log: the section with six waiters is part of the deadlock ring, whose queue it is' },
    { fixture: 'windbg/deadlock-critical-sections-kb.txt', why: 'two threads on one section: a queue, not high contention' },
    { fixture: 'dumps/blocked-threads.dmp', images: [...WINE_IMAGES, 'dumps/blocked-threads.exe'], why: 'two threads wait for a section main holds, but the small dump holds no section to read' },
  ],
});
