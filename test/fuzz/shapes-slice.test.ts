// A fixed slice of the fuzzer's --shapes mode, run with every `npm test`: every hostile shape of
// issue 15 built from drawn parameters at small sizes (--small), each through analyze() with
// every detector on a worker thread. A failure prints the line that reproduces it.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../fuzz/harness.ts';
import { SMALL_SHAPES } from '../../fuzz/shapes.ts';
import { HOSTILE_SHAPES } from '../synth/hostile/catalog.ts';

const SEED = 15;
const COUNT = 60;

describe('fuzz slice, --shapes', () => {
  it(`${COUNT} small hostile shapes: a valid report or a one-line DumpError, each within the limit`, async () => {
    const summary = await runFuzz({ count: COUNT, seed: SEED, shapes: true, shapeScale: SMALL_SHAPES, jobs: 1 });
    const failures = summary.failures.map((o) => `seed ${SEED} case ${o.index} --shapes --small [${o.from}; ${o.mutations.join(' ')}]: ${o.reason}`);
    expect(failures).toEqual([]);
    expect(summary.cases).toBe(COUNT);
    expect(summary.verdicts.report).toBeGreaterThan(COUNT / 2);
  }, 60_000);

  it('reaches every shape of the catalog', async () => {
    const { drawShape } = await import('../../fuzz/shapes.ts');
    const seen = new Set(Array.from({ length: COUNT }, (_, i) => drawShape(SEED, i, null, SMALL_SHAPES).shape.id));
    expect([...seen].sort()).toEqual(HOSTILE_SHAPES.map((s) => s.id).sort());
  });
});
