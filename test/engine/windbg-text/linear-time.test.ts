// Every pattern in the text reader must take time linear in its line: a paste can hold any line,
// and a quadratic pattern on 64 Ki characters costs a second or more. The lines below are the
// hostile shapes that made the old patterns backtrack (the event line, the banner's dump type,
// the OS line, `pdbOf`, the stack warning), each given to its parser directly at up to 64 Ki
// characters. What is asserted is how the cost grows, not how long it takes (the growth meter of
// test/robustness/growth.ts), so a slow or busy machine does not fail the test and a quadratic
// pattern does. The reader itself cuts lines to DEFAULT_LIMITS.maxLineLength before any parser
// sees them, and polls its time budget by characters read; both are asserted on the work done.
import { describe, expect, it } from 'vitest';
import { Budget } from '../../../src/engine/core/budget.ts';
import { parseBannerLine } from '../../../src/engine/windbg-text/banner.ts';
import { parseExceptionLine, parseSymbolLabel } from '../../../src/engine/windbg-text/exception-line.ts';
import { parseExrLine } from '../../../src/engine/windbg-text/exr.ts';
import { parseHeapLine } from '../../../src/engine/windbg-text/heap-reports.ts';
import { memoryAccess } from '../../../src/engine/windbg-text/instruction-operands.ts';
import { DEFAULT_LIMITS, normaliseLine, splitLines } from '../../../src/engine/windbg-text/lines.ts';
import { parseLockLine } from '../../../src/engine/windbg-text/locks.ts';
import { pdbOf, type ModuleRow } from '../../../src/engine/windbg-text/module-list.ts';
import { readWindbgText } from '../../../src/engine/windbg-text/reader.ts';
import { parseLastEvent } from '../../../src/engine/windbg-text/session-lines.ts';
import { parseStackWarning } from '../../../src/engine/windbg-text/stack-line.ts';
import { parseFrameLine } from '../../../src/engine/windbg-text/frame-line.ts';
import { POLL_CHARS, WorkMeter } from '../../../src/engine/windbg-text/work-meter.ts';
import { superLinearAt } from '../../robustness/growth.ts';

const LONG = 64 * 1024;

/**
 * `line(n)` builds a hostile line of about n characters; the parser's cost must grow linearly
 * with n, as the shared growth meter judges it (4× longer lines may cost at most 8× as much once
 * a step costs over its floor, and no step may cost more than any linear reader could).
 */
function expectLinear(label: string, parse: (line: string) => unknown, line: (n: number) => string): void {
  expect(line(LONG).length, label).toBeGreaterThanOrEqual(LONG - 64);
  const found = superLinearAt((n) => {
    const text = line(n);
    parse(text);
  });
  expect(found?.why ?? null, label).toBeNull();
}

const repeat = (unit: string, n: number, prefix = '') => prefix + unit.repeat(Math.ceil((n - prefix.length) / unit.length));

describe('the patterns that were quadratic are linear on a 64 Ki-character line', () => {
  it('the event line: "(1.2): x" then " - code 1 (" again and again', () => {
    expectLinear('EVENT', parseExceptionLine, (n) => repeat(' - code 1 (', n, '(1.2): x'));
    expectLinear('EVENT without ids', parseExceptionLine, (n) => repeat(' - code 1 (first chance)', n, 'Access violation'));
    expectLinear('.lastevent', parseLastEvent, (n) => repeat(' - code 1 (', n, 'Last event: 1.2: x'));
  });

  it('the banner: "User" then " Dump File" again and again; the OS line with " Version 1 (" again and again', () => {
    expectLinear('dump type', parseBannerLine, (n) => repeat(' Dump File', n, 'User'));
    expectLinear('OS line', parseBannerLine, (n) => repeat(' Version 1 (', n, 'Windows'));
    expectLinear('OS line, no close', parseBannerLine, (n) => repeat(' Version 1 (x', n, 'Windows 10'));
  });

  it('pdbOf: a 64 Ki-character PDB path, with and without separators', () => {
    const row = (trailing: string): ModuleRow => ({ start: 0x400000n, end: 0x500000n, name: 'm', symbols: 'pdb symbols', trailing, details: {} });
    expectLinear('pdbOf', (t) => pdbOf(row(t)), (n) => `${'a'.repeat(n - 4)}.pdb`);
    expectLinear('pdbOf, many parts', (t) => pdbOf(row(t)), (n) => `${repeat('a.pdb\\', n - 4)}.pdb`);
  });

  it('the stack warning, the symbol label, the lock header and the heap messages', () => {
    expectLinear('stack warning', parseStackWarning, (n) => `WARNING: ${' x'.repeat((n - 9) / 2)}`);
    expectLinear('symbol label', parseSymbolLabel, (n) => repeat('-0', n));
    expectLinear('CritSec', parseLockLine, (n) => repeat(' at 1', n, 'CritSec x'));
    expectLinear('HEAP', parseHeapLine, (n) => repeat('[x]: ', n, 'HEAP'));
    expectLinear('VERIFIER STOP', parseHeapLine, (n) => repeat(': pid 0x1', n, 'VERIFIER STOP 1'));
    expectLinear('.exr Subcode', parseExrLine, (n) => repeat('/a', n, 'Subcode: '));
  });

  it('frames, instructions and whole-line clean-up', () => {
    expectLinear('frame', parseFrameLine, (n) => repeat('0012fe4c ', n));
    expectLinear('frame with groups', parseFrameLine, (n) => repeat(' (FPO: [', n, '0012fe4c 004011d3 a!b'));
    expectLinear('instruction', (t) => memoryAccess(t), (n) => repeat(' [eax+', n, 'mov'));
    expectLinear('backticks', normaliseLine, (n) => `a${'`'.repeat(n - 2)}b`);
    expectLinear('entities', normaliseLine, (n) => repeat('&#82', n));
    expectLinear('markdown escapes', (t) => normaliseLine(t, { markdownEscaped: true }), (n) => repeat('\\!', n));
  });
});

describe('the reader bounds its work by what it reads', () => {
  it('cuts every line to the bound before any parser sees it', () => {
    const { lines, warnings } = splitLines(`${repeat(' - code 1 (', 200_000, '(1.2): x')}\nshort\n`);
    expect(lines.map((l) => l.length <= DEFAULT_LIMITS.maxLineLength)).toEqual([true, true, true]);
    expect(warnings).toContainEqual({ kind: 'line-too-long', message: `1 line(s) longer than ${DEFAULT_LIMITS.maxLineLength} characters were cut` });
  });

  it('reads the clock by characters, not every 4096 lines: 1000 long lines are polled hundreds of times', () => {
    let reads = 0;
    const budget = new Budget({ budgetMs: 1e9, now: () => reads++ });
    const text = `0:000> k\n${Array.from({ length: 1000 }, () => repeat(' Version 1 (', DEFAULT_LIMITS.maxLineLength, 'Windows')).join('\n')}\n`;
    readWindbgText(text, 'long-lines.txt', { budget });
    const expected = (1000 * DEFAULT_LIMITS.maxLineLength) / POLL_CHARS;
    expect(reads).toBeGreaterThanOrEqual(expected * 0.8);
    expect(reads).toBeLessThanOrEqual(expected * 1.5 + 10);
  });

  it('the work meter polls once per POLL_CHARS of work, and only then', () => {
    let reads = 0;
    const meter = new WorkMeter(new Budget({ budgetMs: 1e9, now: () => reads++ }));
    const before = reads;
    for (let i = 0; i < 80; i++) meter.spend(POLL_CHARS / 8);
    expect(meter.done).toBe(10 * POLL_CHARS);
    expect(meter.polls).toBe(10);
    expect(reads - before).toBe(10);
  });

  it('keeps to its budget in model assembly: stacks and module rows past it are left out, with a warning', () => {
    // The clock passes the deadline after a set number of reads: enough for the line loop, not for assembly.
    const rows = Array.from({ length: 5000 }, (_, i) => `${(0x10000000 + i * 0x10000).toString(16)} ${(0x10000000 + i * 0x10000 + 0x1000).toString(16)}   m${i}   (pdb symbols)   ${'a'.repeat(4000)}.pdb`);
    const text = ['0:000> lm', 'start    end        module name', ...rows].join('\n');
    let reads = 0;
    const linePolls = Math.ceil((rows.length * 4100) / POLL_CHARS) + 2;
    const budget = new Budget({ budgetMs: linePolls, now: () => reads++ });
    const m = readWindbgText(text, 'many-rows.txt', { budget });
    expect(m.warnings.map((w) => w.kind)).toContain('cap-time');
    expect(m.modules.length).toBeGreaterThan(0);
    expect(m.modules.length).toBeLessThan(rows.length);
  });

  it('twenty lm rows with 65 000-character PDB paths (the old pdbOf hang) read at once', () => {
    const row = `00400000 00500000   m   (pdb symbols)   ${'a'.repeat(65_000)}.pdb`;
    const text = ['0:000> lm', 'start    end        module name', ...Array<string>(20).fill(row)].join('\n');
    const t0 = performance.now();
    const m = readWindbgText(text, 'pdb.txt');
    // A generous backstop on a small input: the quadratic pattern took 38 s here.
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(m.modules).toHaveLength(20);
  });
});
