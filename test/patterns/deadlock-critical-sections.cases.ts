import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

// The three-waiter log without its `!locks` answer: the stacks alone, so the owners are unknown.
const kbOnly = readFileSync(new URL('../../fixtures/windbg/deadlock-critical-sections-kb.txt', import.meta.url), 'utf8').replace(/0:000> !locks[\s\S]*?(?=0:000> lm)/, '');

// Two threads wait for two sections that `!cs -l -o` says a third thread owns, and that thread
// is running its own code: contention, not a cycle.
const ownerRunning = `0:000> ~*kb

.  0  Id: 0d2c.0f44 Suspend: 0 Teb: 7ffdf000 Unfrozen
ChildEBP RetAddr  Args to Child              
0226f8ec 77c66a24 77c82264 0000010c 00000000 ntdll!KiFastSystemCallRet
0226f8f0 77c82264 0000010c 00000000 00000000 ntdll!NtWaitForSingleObject+0xc
0226f954 77c82148 0044b100 00000001 0226f990 ntdll!RtlpWaitOnCriticalSection+0x13e
0226f97c 0040516c 0044b100 00331a08 0226f9b8 ntdll!RtlEnterCriticalSection+0x150
0226f990 00404d81 00331a08 00000400 0226f9d4 TileCache!CDiskCache::Write+0x2c

   1  Id: 0d2c.1108 Suspend: 0 Teb: 7ffde000 Unfrozen
ChildEBP RetAddr  Args to Child              
0236f70c 77c66a24 77c82264 00000110 00000000 ntdll!KiFastSystemCallRet
0236f710 77c82264 00000110 00000000 00000000 ntdll!NtWaitForSingleObject+0xc
0236f774 77c82148 0044b0e8 00000001 0236f7b0 ntdll!RtlpWaitOnCriticalSection+0x13e
0236f79c 00404a2f 0044b0e8 00331b40 0236f7d8 ntdll!RtlEnterCriticalSection+0x150
0236f7b0 004052ea 00331b40 0236f800 00000000 TileCache!CTileCache::Insert+0x1f

   2  Id: 0d2c.1230 Suspend: 0 Teb: 7ffdd000 Unfrozen
ChildEBP RetAddr  Args to Child              
0246f5a0 00406d3e 00331c70 00000200 00000000 TileCache!CTileCache::Compact+0x9e
0246f5c4 7628ed6c 00330e68 0246f610 77c8377b TileCache!CompactWorker+0x2e
0246f5d0 77c8377b 00330e68 75f3a3d5 00000000 kernel32!BaseThreadInitThunk+0xe
0:000> !cs -l -o
-----------------------------------------
DebugInfo          = 0x00152a40
Critical section   = 0x0044b0e8 (TileCache!g_cacheLock+0x0)
LOCKED
LockCount          = 0x1
WaiterWoken        = No
OwningThread       = 0x00001230
RecursionCount     = 0x1
LockSemaphore      = 0x110
SpinCount          = 0x00000000
OwningThread DbgId = ~2s
OwningThread Stack =
	ChildEBP RetAddr  Args to Child              
	0246f5a0 00406d3e 00331c70 00000200 00000000 TileCache!CTileCache::Compact+0x9e
	0246f5c4 7628ed6c 00330e68 0246f610 77c8377b TileCache!CompactWorker+0x2e
-----------------------------------------
DebugInfo          = 0x00152a68
Critical section   = 0x0044b100 (TileCache!g_diskLock+0x0)
LOCKED
LockCount          = 0x1
WaiterWoken        = No
OwningThread       = 0x00001230
RecursionCount     = 0x1
LockSemaphore      = 0x10C
SpinCount          = 0x00000000
OwningThread DbgId = ~2s
OwningThread Stack =
	ChildEBP RetAddr  Args to Child              
	0246f5a0 00406d3e 00331c70 00000200 00000000 TileCache!CTileCache::Compact+0x9e
	0246f5c4 7628ed6c 00330e68 0246f610 77c8377b TileCache!CompactWorker+0x2e
`;

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
    {
      fixture: 'windbg/real/03-msdocs-deadlock-ftpsvc2-x86.txt',
      confidence: 'certain',
      why: 'real (Microsoft docs): !locks names the owners; ~4 and ~6 wait for each other',
      check: (finding) => {
        expect(finding.messageId).toBe('cycle');
        expect(finding.evidence.filter((e) => e.kind === 'frames').map((e) => e.kind === 'frames' && e.threadId)).toEqual([0xa3, 0xa9]);
      },
    },
    {
      fixture: 'dumps/deadlock-critical-sections-full.dmp',
      confidence: 'certain',
      why: 'real full-memory Wine dump, no images: both sections read from memory and checked, each owned by the other waiter',
      check: (finding, report) => {
        expect(finding.messageId).toBe('cycle');
        const [t1, t2] = [report.threads[1]!, report.threads[2]!];
        const savings = report.locks!.find((l) => l.name === 'deadlock_critical_sections_full+0x3020')!;
        const checking = report.locks!.find((l) => l.name === null)!;
        expect(savings).toMatchObject({ ownerThreadId: t1.id, lockCount: 1, recursionCount: 1, source: 'memory' });
        expect(checking).toMatchObject({ ownerThreadId: t2.id, lockCount: 1, recursionCount: 1, source: 'memory' });
        // both links named: ~1 waits for the heap section ~2 owns, ~2 for the global ~1 owns
        expect(finding.data.chain).toBe(
          `~1 (id 0x${t1.id.toString(16)}) waits for ${checking.address}, owned by ~2 (id 0x${t2.id.toString(16)}); ~2 (id 0x${t2.id.toString(16)}) waits for ${savings.address} (deadlock_critical_sections_full+0x3020), owned by ~1 (id 0x${t1.id.toString(16)})`,
        );
        expect(finding.evidence.filter((e) => e.kind === 'frames')).toEqual([
          expect.objectContaining({ threadId: t1.id, frames: [0, 1, 2, 3, 4] }),
          expect.objectContaining({ threadId: t2.id, frames: [0, 1, 2, 3, 4] }),
        ]);
      },
    },
    {
      fixture: 'dumps/deadlock-critical-sections-full.dmp',
      images: [...WINE_IMAGES, 'dumps/deadlock-critical-sections-full.exe'],
      confidence: 'certain',
      why: 'the same dump with the images beside it: the same proof',
    },
    { fixture: 'dumps/deadlock-critical-sections.dmp', images: [...WINE_IMAGES, 'dumps/deadlock-critical-sections.exe'], why: "two threads take two critical sections in opposite order under Wine" },
    {
      fixture: 'windbg/deadlock-critical-sections-locks.txt',
      confidence: 'certain',
      why: '!locks shows each of two sections owned by the thread waiting for the other',
      check: (finding, report) => {
        expect(finding).toMatchObject({
          messageId: 'cycle',
          data: {
            threads: '2 threads',
            chain: '~1 (id 0xf44) waits for 0x44b100 (TileCache!g_diskLock), owned by ~2 (id 0x1108); ~2 (id 0x1108) waits for 0x44b0e8 (TileCache!g_cacheLock), owned by ~1 (id 0xf44)',
            behind: '',
          },
        });
        expect(finding.evidence.map((e) => (e.kind === 'frames' ? `${e.threadId}:${e.frames.join(',')}` : e.kind === 'field' ? e.path : e.kind))).toEqual([
          '3908:1,2,3,4',
          '4360:1,2,3,4',
          'locks.1',
          'locks.0',
        ]);
        expect(report.locks?.[1]).toEqual({ address: '0x44b100', name: 'TileCache!g_diskLock', ownerThreadId: 0x1108, lockCount: 1, recursionCount: 1, contention: 1 });
      },
    },
    {
      fixture: 'windbg/deadlock-critical-sections-kb.txt',
      confidence: 'certain',
      why: 'three waiters on two sections; !locks closes the cycle between ~1 and ~2, ~0 waits behind it',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'cycle',
          data: {
            threads: '2 threads',
            chain: '~1 (id 0x1a3c) waits for 0x42f4c0 (LedgerSync!g_indexLock), owned by ~2 (id 0x1b20); ~2 (id 0x1b20) waits for 0x42f4a0 (LedgerSync!g_journalLock), owned by ~1 (id 0x1a3c)',
            behind: ' 1 more thread waits behind them.',
          },
        });
      },
    },
    {
      text: kbOnly,
      name: 'deadlock-critical-sections-kb-without-locks.txt',
      confidence: 'likely',
      why: 'the same log without !locks: three waiters on two sections, nobody else running',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'waiting',
          data: {
            threads: '3 threads',
            why: '2 different critical sections',
            rest: 'no other thread is running',
            list: '~0 (id 0x1614) waits for 0x42f4a0 from LedgerSync!CJournal::Append+0x1e; ~1 (id 0x1a3c) waits for 0x42f4c0 from LedgerSync!CIndex::Update+0x17; ~2 (id 0x1b20) waits for 0x42f4a0 from LedgerSync!CJournal::Lookup+0x1b',
            more: '',
          },
        });
        expect(finding.evidence.map((e) => (e.kind === 'frames' ? e.threadId : null))).toEqual([0x1614, 0x1a3c, 0x1b20]);
      },
    },
  ],
  silent: [
    { fixture: 'windbg/real/04-msdocs-cs-timeout-winsrv-x86.txt', why: 'real (Microsoft docs): a wait chain ~24 → ~21 → ~6 that ends at a running thread, not a cycle' },
    { fixture: 'windbg/real/16-gh-perl5-11221-cs-kv-markdown-escaped-x64.txt', why: 'real (Perl issue 11221): one owner blocked on another section; x64 kv arguments do not name the section' },
    { fixture: 'windbg/real/17-gh-mono-18827-cs-wait-no-hash-header-x64.txt', why: 'real (mono issue 18827): one thread entering a section, no owner named: a blocked thread, not a ring' },
    {
      text: ownerRunning,
      name: 'two-waiters-owner-running.txt',
      why: '!cs -l -o names a running thread as both sections’ owner: the owners are known and form no cycle, so this is contention (Blocked Threads), not a deadlock',
    },
    { text: oneSection, name: 'two-waiters-one-section.txt', why: 'both wait for the same section: a held lock, not a cycle' },
    { fixture: 'windbg/manual-dump-taskmgr.txt', why: 'blocked, but not on critical sections' },
    { fixture: 'windbg/virtualized-process-seed.txt', why: 'no lock waits' },
    { fixture: 'dumps/deadlock-critical-sections.dmp', why: 'real deadlock, but without ntdll symbols the waits cannot be named: silence, not a guess' },
    { fixture: 'dumps/wait-chain-critical-sections.dmp', why: 'real full-memory dump: the owners read from memory form a chain ending at a thread waiting for an event, not a cycle' },
    { fixture: 'dumps/high-contention-critical-sections.dmp', why: 'real full-memory dump: six threads queue for one section whose owner sleeps: contention, not a cycle' },
    { fixture: 'dumps/deadlock-mixed-objects-user-space.dmp', images: [...WINE_IMAGES, 'dumps/deadlock-mixed-objects-user-space.exe'], why: 'a deadlock on mutexes, not critical sections (and without the handle table, nothing to prove)' },
  ],
});
