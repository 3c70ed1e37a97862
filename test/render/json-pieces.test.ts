// The report's JSON in pieces, for a page that must not stop for the seconds JSON.stringify of a
// big report takes: the same text, a value at a time.
import { expect, it } from 'vitest';
import { jsonPieces } from '../../src/render/json-pieces.ts';

it('joins to exactly what JSON.stringify(value, null, 2) writes', () => {
  const values: unknown[] = [
    { a: 1, b: [1, 'x', null, true, { c: [], d: {} }], e: undefined, f: 'q"\\\u2028', g: [undefined, () => 1], h: -0.5 },
    [],
    {},
    'text',
    42,
    null,
    [[[]], [{}], { x: [{ y: [1, 2] }] }],
    { threads: Array.from({ length: 300 }, (_, i) => ({ id: i, frames: Array.from({ length: 3 }, (_, j) => ({ index: j, symbol: `s${j}` })) })) },
  ];
  for (const v of values) {
    expect([...jsonPieces(v)].join('')).toBe(JSON.stringify(v, null, 2));
  }
});

it('yields a long list a piece at a time', () => {
  const pieces = [...jsonPieces({ list: Array.from({ length: 10_000 }, (_, i) => i) })];
  expect(pieces.length).toBeGreaterThan(10_000);
  expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(64);
});
