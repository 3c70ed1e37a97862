// A fixed slice of the fuzzer's --shapes mode, run with every `npm test`: hostile shapes of
// issue 15 built from drawn parameters at small sizes (--small), each through analyze() with
// every detector on a worker thread. The shapes are those whose class is fixed; the export-bomb
// shapes (walk-bomb, walk-bomb-images, thread-bomb) join when their fix lands. A failure prints
// the line that reproduces it.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../fuzz/harness.ts';
import { SMALL_SHAPES } from '../../fuzz/shapes.ts';

const SEED = 15;
const COUNT = 60;
export const SLICE_SHAPES = ['long-lines', 'pdb-rows', 'dotted-frames', 'big-stack', 'module-rows', 'shared-name-handles', 'bidi-strings', 'many-images'];

describe('fuzz slice, --shapes', () => {
  it(`${COUNT} small hostile shapes: a valid report or a one-line DumpError, each within the limit`, async () => {
    const summary = await runFuzz({ count: COUNT, seed: SEED, shapes: true, shapeIds: SLICE_SHAPES, shapeScale: SMALL_SHAPES, jobs: 1 });
    const failures = summary.failures.map((o) => `seed ${SEED} case ${o.index} --shape ${SLICE_SHAPES.join(',')} --small [${o.from}; ${o.mutations.join(' ')}]: ${o.reason}`);
    expect(failures).toEqual([]);
    expect(summary.cases).toBe(COUNT);
    expect(summary.verdicts.report).toBeGreaterThan(COUNT / 2);
  }, 60_000);
});
