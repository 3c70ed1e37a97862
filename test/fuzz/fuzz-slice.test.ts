// A fixed slice of the mutation fuzzer (fuzz/), run with every `npm test`: 500 light cases over
// the committed seed list, each through analyze() with every detector on a worker thread. A
// failure prints the line that reproduces it: `npm run fuzz -- --seed S --case N --slice --light`.
import { describe, expect, it } from 'vitest';
import { SLICE_SEEDS } from '../../fuzz/corpus.ts';
import { runFuzz } from '../../fuzz/harness.ts';

const SEED = 20240611;
const COUNT = 800;

describe('fuzz slice', () => {
  it(`${COUNT} mutated dumps and logs: a valid report or a one-line DumpError, each within the limit`, async () => {
    const summary = await runFuzz({ count: COUNT, seed: SEED, seeds: SLICE_SEEDS, heavy: false, jobs: 1 });
    const failures = summary.failures.map(
      (o) => `seed ${SEED} case ${o.index} --slice --light [${o.from}; ${o.mutations.join(' + ')}]: ${o.reason}`,
    );
    expect(failures).toEqual([]);
    expect(summary.cases).toBe(COUNT);
    // The mutants must exercise both outcomes, or the slice tests nothing.
    expect(summary.verdicts.report).toBeGreaterThan(COUNT / 2);
    expect(summary.verdicts.refused).toBeGreaterThan(10);
    expect(Object.keys(summary.refusals).sort()).toEqual(expect.arrayContaining(['not-a-dump', 'truncated']));
    expect(summary.slowest!.ms).toBeLessThan(5000);
  }, 60_000);
});
