// The structure-aware mode (`npm run fuzz -- --shapes`): instead of mutating a fixture, each case
// builds one of the hostile shapes of issue 15 (test/synth/hostile/catalog.ts) with randomly
// drawn parameters — how many aliases, how big an export table, which line reader and unit,
// how long the lines, how many handles name one string — from tiny to past the probe's sizes.
// A mutation fuzzer rarely stumbles on aliasing, bombs or a reader's worst line; here every
// case is one, so the next member of each class shows up as a failure with its parameters.
import { HOSTILE_SHAPES, type HostileShape } from '../test/synth/hostile/catalog.ts';
import type { FuzzCase } from './cases.ts';
import { caseSeed, createRng } from './rng.ts';

/** The shapes a run draws from: all, or those named (`--shape id,id`). */
export function shapesNamed(ids: readonly string[] | null): HostileShape<object>[] {
  if (!ids || ids.length === 0) return [...HOSTILE_SHAPES];
  const unknown = ids.filter((id) => !HOSTILE_SHAPES.some((s) => s.id === id));
  if (unknown.length > 0) throw new Error(`no shape ${unknown.join(', ')} (shapes: ${HOSTILE_SHAPES.map((s) => s.id).join(', ')})`);
  return HOSTILE_SHAPES.filter((s) => ids.includes(s.id));
}

/** The shape and parameters of case `index` of a --shapes run seeded `runSeed` (cheap: nothing built). */
export function drawShape(runSeed: number, index: number, ids: readonly string[] | null = null): { shape: HostileShape<object>; params: object } {
  const rng = createRng(caseSeed(runSeed, index) ^ 0x5a5a5a5a);
  const shape = rng.pick(shapesNamed(ids));
  return { shape, params: shape.random(rng) };
}

/** Case `index` of a --shapes run seeded `runSeed`: a shape and its parameters, reproducible alone. */
export function makeShapeCase(runSeed: number, index: number, ids: readonly string[] | null = null): FuzzCase {
  const { shape, params } = drawShape(runSeed, index, ids);
  const input = shape.build(params);
  const c: FuzzCase = {
    index,
    from: `shape ${shape.id} (${shape.finding})`,
    name: input.name,
    bytes: input.bytes,
    mutations: [describeParams(params)],
  };
  if (input.images) c.images = input.images;
  return c;
}

export function describeParams(params: object): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
}
