// The fuzzer's --shapes mode: a case is a hostile shape with drawn parameters, rebuilt bit for
// bit from (seed, index), and a run reaches every shape of the catalog.
import { describe, expect, it } from 'vitest';
import { makeCase } from '../../fuzz/cases.ts';
import { describeParams, drawShape } from '../../fuzz/shapes.ts';
import { HOSTILE_SHAPES } from '../../test/synth/hostile/catalog.ts';

describe('--shapes cases', () => {
  it('draw the same shape and parameters from the same seed and index', () => {
    for (const index of [0, 5, 77]) {
      const a = drawShape(3, index);
      const b = drawShape(3, index);
      expect(b.shape.id).toBe(a.shape.id);
      expect(b.params).toEqual(a.params);
    }
  });

  it('reach every shape of the catalog within a few hundred cases', () => {
    const seen = new Set(Array.from({ length: 300 }, (_, i) => drawShape(1, i).shape.id));
    expect([...seen].sort()).toEqual(HOSTILE_SHAPES.map((s) => s.id).sort());
  });

  it('are built by makeCase with --shapes, described by their parameters', () => {
    // The smallest case among the first 40, so the test builds little.
    const index = Array.from({ length: 40 }, (_, i) => i)
      .filter((i) => ['bidi-strings', 'dotted-frames'].includes(drawShape(1, i).shape.id))
      .at(0)!;
    const { shape, params } = drawShape(1, index);
    const a = makeCase([], 1, index, { shapes: true });
    const b = makeCase([], 1, index, { shapes: true });
    expect(a.from).toBe(`shape ${shape.id} (${shape.finding})`);
    expect(a.mutations).toEqual([describeParams(params)]);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
  });
});
