import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';
import type { Finding, Report } from '../../src/engine/report/schema.ts';

// wait-chain-critical-sections.dmp: #3 "ui" waits for render_lock (exe+0x7040), owned by #2
// "render", which waits for cache_lock (exe+0x7080), owned by #1 "loader", which waits for an
// event nobody sets (fixtures/dumps/README.md).
function uiRenderLoader(finding: Finding, report: Report): void {
  const [, loader, render, ui] = report.threads;
  expect(finding.data).toMatchObject({ threads: '3 threads', links: 2, headThreadId: loader!.id, headProcessId: -1 });
  expect(finding.data.chain).toBe(
    `~3 (id 0x${ui!.id.toString(16)}) waits for the critical section 0x140007040 (wait_chain_critical_sections+0x7040), owned by ~2 (id 0x${render!.id.toString(16)}); ` +
      `~2 (id 0x${render!.id.toString(16)}) waits for the critical section 0x140007080 (wait_chain_critical_sections+0x7080), owned by ~1 (id 0x${loader!.id.toString(16)})`,
  );
  expect(String(finding.data.head)).toMatch(/^~1 \(id 0x[0-9a-f]+\), which waits in kernelbase!WaitForSingleObject\+0x2e called from wait_chain_critical_sections\+0x[0-9a-f]+$/);
  // each link named on its waiter's stack, with the section's record; the head's own wait
  expect(finding.evidence.map((e) => (e.kind === 'frames' ? `${e.threadId}:${e.frames.join(',')}` : e.kind === 'field' ? e.path : e.kind))).toEqual([
    `${ui!.id}:0,1,2,3,4`,
    'locks.1',
    `${render!.id}:0,1,2,3,4`,
    'locks.0',
    'waitGraph.head',
    `${loader!.id}:0,1,2,3`,
  ]);
  expect(report.waitGraph?.head).toEqual({ threadId: loader!.id, processId: null, inDump: true, waitsOn: null });
}

export default defineCases({
  fire: [
    {
      fixture: 'dumps/wait-chain-critical-sections.dmp',
      confidence: 'certain',
      why: 'real full-memory Wine dump, no images: both sections read from memory and checked; the head is the loader',
      check: uiRenderLoader,
    },
    {
      fixture: 'dumps/wait-chain-critical-sections.dmp',
      images: [...WINE_IMAGES, 'dumps/wait-chain-critical-sections.exe'],
      confidence: 'certain',
      why: 'the same with the images beside it',
      check: uiRenderLoader,
    },
    {
      fixture: 'windbg/real/04-msdocs-cs-timeout-winsrv-x86.txt',
      confidence: 'certain',
      why: 'real (Microsoft docs): ~24 (timed out in its wait) waits for the section ~21 owns, ~21 for the one ~6 owns; ~6 runs: the head',
      check: (finding, report) => {
        expect(finding.data).toMatchObject({ threads: '3 threads', links: 2, headThreadId: 0x6d });
        expect(finding.data.chain).toBe(
          '~24 (id 0xbd) waits for the critical section 0x5ffa9f9c (winsrv!_ScrollBufferLock), owned by ~21 (id 0x88); ~21 (id 0x88) waits for the critical section 0x5ffa91b4 (winsrv!_gcsUserSrv), owned by ~6 (id 0x6d)',
        );
        expect(report.waitGraph?.head).toEqual({ threadId: 0x6d, processId: null, inDump: true, waitsOn: null });
      },
    },
  ],
  silent: [
    {
      fixture: 'windbg/real/16-gh-perl5-11221-cs-kv-markdown-escaped-x64.txt',
      why: 'real (Perl issue 11221): 1ff8 owns 3d9730 and waits to enter another section, but on x64 kv’s columns are home space, so which section (and its owner) is not proven: no link, no chain',
    },
    {
      fixture: 'windbg/real/17-gh-mono-18827-cs-wait-no-hash-header-x64.txt',
      why: 'real (mono issue 18827): one stack in RtlEnterCriticalSection and no !cs or !locks: nobody is named as the owner',
    },
    { fixture: 'dumps/deadlock-critical-sections-full.dmp', why: 'the owners form a ring, not a chain: Deadlock (Critical Sections)' },
    { fixture: 'dumps/high-contention-critical-sections.dmp', why: 'six threads behind one owner who waits for nothing: one link each, contention rather than a chain' },
    { fixture: 'dumps/custom-exception-handler.dmp', why: 'one thread waits for a section a sleeping thread owns: a single link, not a chain' },
    { fixture: 'windbg/deadlock-critical-sections-kb.txt', why: '!locks closes a ring; the third thread waits behind the ring, not in a chain' },
    { fixture: 'dumps/deadlock-critical-sections.dmp', images: [...WINE_IMAGES, 'dumps/deadlock-critical-sections.exe'], why: 'small dump: the sections’ debug records are not in it, so no owner is proven' },
  ],
});
