import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { handleDataCase } from '../lib/handle-data-dumps.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/handle-data/wait-chain-mutex-objects-full.dmp',
      confidence: 'certain',
      why: 'full-memory Wine dump with its HandleData stream, no images (the page’s example): the same chain, named from the dump alone',
      check: (finding, report) => {
        const [, backup] = report.threads;
        expect(finding.data).toMatchObject({ threads: '3 threads', links: 2, headThreadId: backup!.id });
        expect(String(finding.data.chain)).toMatch(/waits for mutex 0x34 \(dumpatlas-config\), owned by ~2 .*waits for mutex 0x38 \(dumpatlas-database\), owned by ~1 /);
      },
    },
    {
      ...handleDataCase('wait-chain-mutex-objects'),
      confidence: 'certain',
      why: 'real Wine dump + the HandleData stream Windows writes: #3 waits on dumpatlas-config owned by #2, which waits on dumpatlas-database owned by #1, asleep',
      check: (finding, report) => {
        const [, backup, reload, request] = report.threads;
        expect(finding.data).toMatchObject({ threads: '3 threads', links: 2, headThreadId: backup!.id });
        expect(finding.data.chain).toBe(
          `~3 (id 0x${request!.id.toString(16)}) waits for mutex 0x34 (dumpatlas-config), owned by ~2 (id 0x${reload!.id.toString(16)}); ` +
            `~2 (id 0x${reload!.id.toString(16)}) waits for mutex 0x38 (dumpatlas-database), owned by ~1 (id 0x${backup!.id.toString(16)})`,
        );
        expect(String(finding.data.head)).toMatch(/which waits in kernelbase!Sleep\+0x2c called from wait_chain_mutex_objects\+/);
        const fields = finding.evidence.filter((e) => e.kind === 'field').map((e) => e.kind === 'field' && e.path);
        expect(fields).toEqual(['handles.12', 'handles.13', 'waitGraph.head']);
        expect(report.handles?.[12]).toMatchObject({ value: '0x34', type: 'Mutant', mutant: { ownerThreadId: reload!.id, ownerKnown: true, currentCount: 0 } });
      },
    },
  ],
  silent: [
    { fixture: 'dumps/handle-data/deadlock-mixed-objects-user-space-full.dmp', why: 'mutex owners in a ring: a deadlock, not a chain' },
    { ...handleDataCase('deadlock-mixed-objects-user-space'), why: 'the two mutexes’ owners wait for each other: a ring (Deadlock, mixed objects), not a chain' },
    { fixture: 'dumps/wait-chain-mutex-objects.dmp', images: [...WINE_IMAGES, 'dumps/wait-chain-mutex-objects.exe'], why: 'Wine’s own dump, without the HandleData stream: who owns a mutex is not in it' },
    { ...handleDataCase('wait-chain-mutex-objects', false), why: 'no images: the small dump holds no code, the waits cannot be named (silence, not a guess)' },
    { ...handleDataCase('wait-chain-thread-objects'), why: 'a chain through thread handles, no mutex in it' },
  ],
});
