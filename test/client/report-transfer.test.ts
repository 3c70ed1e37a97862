// The report in pieces: every message small, the pieces put back in order give the same report.
import { expect, it } from 'vitest';
import type { Report } from '../../src/engine/report/schema.ts';
import { applyPart, INLINE_ITEMS, PART_CHARS, PART_ITEMS, splitReport } from '../../src/client/report-transfer.ts';
import { jsonSize } from '../../src/engine/report/report-size.ts';

function bigReport(): Report {
  const frame = (i: number) => ({ index: i, address: '0x401000', sp: null, retAddr: null, module: 'm', symbol: `s${i}`, offset: null, trust: 'text' });
  return {
    schemaVersion: 2,
    threads: [
      { id: 1, frames: Array.from({ length: 70_000 }, (_, i) => frame(i)), x86Frames: Array.from({ length: 300 }, (_, i) => frame(i)) },
      { id: 2, frames: [frame(0)] },
      ...Array.from({ length: 3000 }, (_, i) => ({ id: 10 + i, frames: Array.from({ length: i % 400 }, (_, j) => frame(j)) })),
    ],
    modules: Array.from({ length: 100_000 }, (_, i) => ({ name: `m${i}.dll`, path: i % 1000 === 0 ? 'p'.repeat(30_000) : null })),
    handles: null,
    annotations: { A: 'b' },
    findings: [{ evidence: [{ frames: Array.from({ length: 1000 }, (_, i) => i) }] }],
  } as unknown as Report;
}

it('splits a big report into small messages that rebuild it exactly', () => {
  const report = bigReport();
  const { head, parts } = splitReport(report);
  expect(jsonSize(head)).toBeLessThan(64 * 1024);
  expect(parts.length).toBeGreaterThan(50);
  for (const p of parts) {
    expect(p.items.length).toBeLessThanOrEqual(PART_ITEMS);
    // One item may be over the characters on its own (a 30 K path); never two.
    if (p.items.length > 1) expect(jsonSize(p.items)).toBeLessThanOrEqual(PART_CHARS + 32 * 1024);
  }
  const rebuilt = structuredClone(head);
  for (const p of parts) applyPart(rebuilt, structuredClone(p));
  expect(rebuilt).toEqual(report);
});

it('leaves a small report whole', () => {
  const report = { schemaVersion: 2, threads: [{ id: 1, frames: Array.from({ length: INLINE_ITEMS }, (_, i) => ({ index: i })) }], modules: [] } as unknown as Report;
  const { head, parts } = splitReport(report);
  expect(parts).toEqual([]);
  expect(head).toEqual(report);
});

it('refuses a part whose place does not exist', () => {
  const report = { threads: [] } as unknown as Report;
  expect(() => applyPart(report, { path: ['threads', 3, 'frames'], items: [1] })).toThrow(/missing place/);
  expect(() => applyPart(report, { path: ['schemaVersion'], items: [1] })).toThrow(/not a list/);
});
