import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { handleDataCase } from '../lib/handle-data-dumps.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/handle-data/wait-chain-thread-objects-full.dmp',
      confidence: 'certain',
      why: 'full-memory Wine dump with its HandleData stream, no images (the page’s example)',
      check: (finding, report) => {
        expect(finding.data).toMatchObject({ threads: '3 threads', links: 2, headThreadId: report.threads[1]!.id });
        expect(String(finding.data.head)).toMatch(/which waits in kernelbase!ReadFile\+0x148/);
      },
    },
    {
      ...handleDataCase('wait-chain-thread-objects'),
      confidence: 'certain',
      why: 'real Wine dump + HandleData: main waits for "shutdown" to end, which waits for "flush", blocked reading a pipe',
      check: (finding, report) => {
        const [main, flush, shutdown] = report.threads;
        expect(finding.data).toMatchObject({ threads: '3 threads', links: 2, headThreadId: flush!.id });
        expect(finding.data.chain).toBe(
          `~0 (id 0x${main!.id.toString(16)}) waits for the thread ~2 (id 0x${shutdown!.id.toString(16)}) to end (thread handle 0x3c); ` +
            `~2 (id 0x${shutdown!.id.toString(16)}) waits for the thread ~1 (id 0x${flush!.id.toString(16)}) to end (thread handle 0x38)`,
        );
        expect(String(finding.data.head)).toMatch(/which waits in kernelbase!ReadFile\+0x148 called from wait_chain_thread_objects\+/);
      },
    },
  ],
  silent: [
    { fixture: 'dumps/handle-data/wait-chain-process-objects-full.dmp', why: 'waits for a process, not a thread' },
    { ...handleDataCase('wait-chain-mutex-objects'), why: 'a chain through mutexes; main’s wait on several handles is not resolved' },
    { fixture: 'dumps/wait-chain-thread-objects.dmp', images: [...WINE_IMAGES, 'dumps/wait-chain-thread-objects.exe'], why: 'without the HandleData stream nothing says which thread a handle is' },
    { fixture: 'dumps/deadlock-critical-sections-full.dmp', why: 'main waits on both tellers with WaitForMultipleObjects: a count and wait-all the stack does not keep, so no link' },
  ],
});
