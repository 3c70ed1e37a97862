import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { handleDataCase } from '../lib/handle-data-dumps.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/handle-data/deadlock-mixed-objects-user-space-full.dmp',
      confidence: 'certain',
      why: 'full-memory Wine dump with its HandleData stream, no images (the page’s example): both links named',
      check: (finding, report) => {
        const [, posting, audit] = report.threads;
        expect(finding.data).toMatchObject({ threads: '2 threads', objects: '2 mutexes' });
        expect(finding.evidence.filter((e) => e.kind === 'frames').map((e) => e.kind === 'frames' && e.threadId)).toEqual([posting!.id, audit!.id]);
        expect(report.waitGraph?.cycles).toEqual([[0, 1]]);
      },
    },
    {
      ...handleDataCase('deadlock-mixed-objects-user-space'),
      confidence: 'certain',
      why: 'real Wine dump + HandleData: "posting" owns dumpatlas-ledger and waits for dumpatlas-journal, which "audit" owns while it waits for the ledger',
      check: (finding, report) => {
        const [, posting, audit] = report.threads;
        expect(finding.messageId).toBe('cycle');
        expect(finding.data).toMatchObject({ threads: '2 threads', objects: '2 mutexes', links: 2 });
        expect(finding.data.chain).toBe(
          `~1 (id 0x${posting!.id.toString(16)}) waits for mutex 0x38 (dumpatlas-journal), owned by ~2 (id 0x${audit!.id.toString(16)}); ` +
            `~2 (id 0x${audit!.id.toString(16)}) waits for mutex 0x34 (dumpatlas-ledger), owned by ~1 (id 0x${posting!.id.toString(16)})`,
        );
        expect(finding.evidence.map((e) => (e.kind === 'frames' ? `${e.threadId}:${e.frames.join(',')}` : e.kind === 'field' ? e.path : e.kind))).toEqual([
          `${posting!.id}:0,1,2,3`,
          'handles.13',
          `${audit!.id}:0,1,2,3`,
          'handles.12',
        ]);
      },
    },
  ],
  silent: [
    { fixture: 'dumps/handle-data/wait-chain-mutex-objects-full.dmp', why: 'mutex owners in a chain that ends at a sleeping thread' },
    { fixture: 'dumps/deadlock-critical-sections-full.dmp', why: 'a ring of critical sections alone: Deadlock (Critical Sections)' },
    { ...handleDataCase('wait-chain-mutex-objects'), why: 'mutex owners form a chain, not a ring' },
    { fixture: 'dumps/deadlock-mixed-objects-user-space.dmp', images: [...WINE_IMAGES, 'dumps/deadlock-mixed-objects-user-space.exe'], why: 'Wine’s own dump has no HandleData stream: who owns the mutexes is not in it (silence, not a guess)' },
  ],
});
