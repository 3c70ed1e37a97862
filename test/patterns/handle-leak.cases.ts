import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { handleLeakWithHandleData } from '../synth/augmented-dumps.ts';
import { addHandleData, parseHandleFacts } from '../synth/handle-data-augmenter.ts';

const DUMPS = new URL('../../fixtures/dumps/', import.meta.url);

/** A real dump with the HandleData stream of its dozen ordinary handles. */
function deadlockMutexesWithHandles(): Uint8Array {
  const facts = parseHandleFacts(readFileSync(new URL('deadlock-mixed-objects-user-space.handles.json', DUMPS), 'utf8'));
  return addHandleData(new Uint8Array(readFileSync(new URL('deadlock-mixed-objects-user-space.dmp', DUMPS))), facts);
}

export default defineCases({
  fire: [
    {
      bytes: handleLeakWithHandleData,
      name: 'handle-leak.dmp',
      confidence: 'likely',
      why: 'real Wine dump of a program that leaked 8000 events, with the HandleData stream it reported (Wine writes none)',
      check: (finding, report) => {
        expect(report.handles).toHaveLength(8012);
        expect(finding).toMatchObject({ messageId: 'many', data: { count: 8000, type: 'Event', total: 8012, unnamed: 8000, share: 100 } });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'field', path: 'handles' }));
      },
    },
    { fixture: 'synth/handle-leak-handle-data.dmp', confidence: 'likely', why: "the page's example: the same bytes, committed" },
  ],
  silent: [
    { bytes: deadlockMutexesWithHandles, name: 'deadlock-mixed-objects-user-space.dmp', why: 'a real dump with handle data: a handful of handles' },
    { fixture: 'dumps/handle-leak.dmp', why: 'the leaking process, but a dump without handle data: unknown, not a guess' },
    { fixture: 'dumps/manual-dump.dmp', why: 'no handle data' },
  ],
});
