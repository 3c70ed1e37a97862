// The cooperation paragraph: hubs of the related-pattern graph, not every pair.
import { describe, expect, it } from 'vitest';
import type { PatternCatalog, PatternMeta } from '../../../src/catalog/schema.ts';
import { describeCooperation } from '../../../src/engine/report/cooperation.ts';
import type { Finding } from '../../../src/engine/report/schema.ts';

const meta = (title: string, related: string[]): PatternMeta => ({
  title,
  aliases: [],
  category: 'Exceptions',
  summary: 'a pattern for the cooperation test',
  inputs: ['minidump'],
  related,
  examples: ['x.txt'],
});
const catalog: PatternCatalog = {
  vp: meta('Virtualized Process', ['me', 'cpp']),
  me: meta('Multiple Exceptions', ['vp']),
  cpp: meta('C++ Exception', []),
  lone: meta('Breakpoint', []),
};
const finding = (pattern: string): Finding => ({ pattern, title: pattern, confidence: 'certain', messageId: 'm', data: {}, summary: 's', evidence: [] });

describe('describeCooperation', () => {
  it('is null when fewer than two patterns fire', () => {
    expect(describeCooperation([finding('vp')], catalog)).toBeNull();
  });

  it('names the hub and its linked patterns, and the ones left alone', () => {
    const c = describeCooperation(['vp', 'me', 'cpp', 'lone'].map(finding), catalog)!;
    expect(c.patterns).toEqual(['vp', 'me', 'cpp', 'lone']);
    expect(c.text).toBe(
      '4 patterns fire together. Virtualized Process is linked in the catalog to Multiple Exceptions and C++ Exception. ' +
        'Read the linked ones as one story, not separate faults. Breakpoint has no catalogued link to the rest: check it on its own.',
    );
  });

  it('names at most three hubs and counts the links left over', () => {
    // Two disjoint stars with 2 leaves each and two lone links: five hubs' worth of links.
    const star: PatternCatalog = {
      a: meta('A', ['a1', 'a2']),
      a1: meta('A1', []),
      a2: meta('A2', []),
      b: meta('B', ['b1', 'b2']),
      b1: meta('B1', []),
      b2: meta('B2', []),
      c: meta('C', ['c1']),
      c1: meta('C1', []),
      d: meta('D', ['d1']),
      d1: meta('D1', []),
    };
    const c = describeCooperation(Object.keys(star).map(finding), star)!;
    expect(c.text).toBe(
      '10 patterns fire together. A is linked in the catalog to A1 and A2. B is linked in the catalog to B1 and B2. ' +
        'C is linked in the catalog to C1. 1 more link joins them. Read the linked ones as one story, not separate faults. ' +
        'D and D1 have no catalogued link to the rest: check them on their own.',
    );
  });

  it('says so when nothing is linked', () => {
    expect(describeCooperation(['cpp', 'lone'].map(finding), catalog)!.text).toBe(
      '2 patterns fire together. The catalog records no link between C++ Exception and Breakpoint: check each on its own.',
    );
  });
});
