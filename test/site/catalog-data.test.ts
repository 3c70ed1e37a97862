// The data behind the site's pages, computed at build time: related patterns both ways,
// co-firing pairs, the cooperation graph's geometry, and the example stack a pattern page
// shows (run here on the real catalog and fixture, as the build runs it).
import { describe, expect, it } from 'vitest';
import type { PatternCatalog, PatternMeta } from '../../src/catalog/schema.ts';
import { loadCatalog } from '../../src/catalog/load-node.ts';
import { circleLayout } from '../../src/components/catalog/cooperation-graph.ts';
import { analyzeFixture, detectors, exampleFixtures, firingsByFixture } from '../../src/components/catalog/example-reports.ts';
import { chooseStack, describeEvidence, fieldValue, MAX_ROWS, renderExampleStack } from '../../src/components/catalog/example-stack.ts';
import { coFiringPairs, firesWith, relatedBothWays, relatedEdges } from '../../src/components/catalog/pattern-links.ts';

function meta(title: string, related: string[], category: PatternMeta['category'] = 'Exceptions'): PatternMeta {
  return { title, aliases: [], category, summary: `${title} in one line`, inputs: ['minidump'], related, examples: [`windbg/${title}.txt`] };
}

const small: PatternCatalog = {
  a: meta('A', ['b']),
  b: meta('B', ['a', 'c']),
  c: meta('C', [], 'Memory'),
  d: meta('D', ['c', 'ghost'], 'Stacks'),
};

describe('related patterns', () => {
  it('reads the related lists in both directions', () => {
    expect(relatedBothWays('c', small)).toEqual({ listed: [], linkedFrom: ['b', 'd'] });
    expect(relatedBothWays('a', small)).toEqual({ listed: ['b'], linkedFrom: [] });
    expect(relatedBothWays('d', small)).toEqual({ listed: ['c'], linkedFrom: [] });
  });

  it('makes one undirected edge per linked pair, marking mutual links', () => {
    expect(relatedEdges(small)).toEqual([
      { a: 'a', b: 'b', mutual: true },
      { a: 'b', b: 'c', mutual: false },
      { a: 'c', b: 'd', mutual: false },
    ]);
  });
});

describe('co-firing', () => {
  const firings = [
    { fixture: 'x.txt', patterns: ['a', 'b', 'c'] },
    { fixture: 'y.dmp', patterns: ['b', 'a'] },
    { fixture: 'z.dmp', patterns: ['d'] },
  ];
  it('lists every pair that fired on one fixture, most fixtures first', () => {
    expect(coFiringPairs(firings, small)).toEqual([
      { a: 'a', b: 'b', fixtures: ['x.txt', 'y.dmp'], related: true },
      { a: 'a', b: 'c', fixtures: ['x.txt'], related: false },
      { a: 'b', b: 'c', fixtures: ['x.txt'], related: true },
    ]);
  });
  it('tells one pattern its companions', () => {
    expect(firesWith('c', coFiringPairs(firings, small))).toEqual([
      { id: 'a', fixtures: ['x.txt'] },
      { id: 'b', fixtures: ['x.txt'] },
    ]);
    expect(firesWith('d', coFiringPairs(firings, small))).toEqual([]);
  });
});

describe('the cooperation graph', () => {
  it('places every pattern, labels outside the oval, never two labels on one line of a side', () => {
    const catalog = loadCatalog();
    const layout = circleLayout(catalog);
    expect(layout.nodes.map((n) => n.id).sort()).toEqual(Object.keys(catalog).sort());
    for (const side of ['start', 'end'] as const) {
      const ys = layout.nodes
        .filter((n) => n.anchor === side)
        .map((n) => n.labelY)
        .sort((p, q) => p - q);
      for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(16);
    }
    for (const n of layout.nodes) {
      expect(n.x).toBeGreaterThan(0);
      expect(n.x).toBeLessThan(layout.width);
      expect(n.anchor === 'start' ? n.labelX > n.x : n.labelX < n.x).toBe(true);
    }
    const [p, q] = layout.nodes;
    expect(layout.curve(p!.id, q!.id)).toMatch(new RegExp(`^M${p!.x} ${p!.y} Q[\\d.]+ [\\d.]+ ${q!.x} ${q!.y}$`));
    expect(layout.curve(p!.id, 'no-such-pattern')).toBeNull();
  });

  it('groups a category together, in the schema’s category order', () => {
    const layout = circleLayout(small);
    expect(layout.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(layout.nodes.map((n) => n.category)).toEqual([0, 0, 1, 2]);
  });
});

describe('a pattern page’s example', () => {
  const catalog = loadCatalog();

  it('runs every detector on the examples the pages name', async () => {
    expect(detectors.map((d) => d.id).sort()).toEqual(Object.keys(catalog).sort());
    expect(exampleFixtures(catalog)).toContain(catalog['virtualized-process']!.examples[0]);
    const firings = await firingsByFixture(catalog);
    const seed = firings.find((f) => f.fixture === 'windbg/virtualized-process-seed.txt');
    expect(seed?.patterns).toContain('virtualized-process');
  });

  it('says why a fixture could not be analysed instead of throwing', async () => {
    expect(await analyzeFixture('windbg/no-such-file.txt', catalog)).toMatchObject({ ok: false, fixture: 'windbg/no-such-file.txt' });
    expect(await analyzeFixture('../package.json', catalog)).toMatchObject({ ok: false, message: expect.stringMatching(/not a path inside fixtures/) });
  });

  it('shows the stack the finding points at, coloured, its evidence rows marked once per note', async () => {
    const outcome = await analyzeFixture('windbg/virtualized-process-seed.txt', catalog);
    if (!outcome.ok) throw new Error(outcome.message);
    const finding = outcome.report.findings.find((f) => f.pattern === 'virtualized-process')!;
    const choice = chooseStack(outcome.report, finding)!;
    expect(choice.thread.id).toBe(0x2fe4);
    const stack = await renderExampleStack(outcome.report, finding, choice);
    expect(stack.prompt).toBe(choice.view === 'x86' ? '0:000:x86> kn' : '0:000> kn');
    expect(stack.marked).toBeGreaterThan(0);
    expect(stack.lines.length).toBeLessThanOrEqual(MAX_ROWS);
    const marked = [...stack.html.matchAll(/<span class="line ev" data-frame="(\d+)">/g)].map((m) => Number(m[1]));
    expect(marked).toHaveLength(stack.marked);
    // One note per run of rows with the same note, not one per row.
    const notes = stack.html.match(/class="ev-note"/g) ?? [];
    expect(notes.length).toBeGreaterThanOrEqual(1);
    expect(notes.length).toBeLessThanOrEqual(stack.marked);
    expect(stack.html).toContain('Wow64NotifyDebugger');
    expect(stack.html).toMatch(/color:light-dark\(#[0-9A-Fa-f]{6}, ?#[0-9A-Fa-f]{6}\)/);
  });

  it('falls back to the faulting thread when a finding points at no frame', async () => {
    const outcome = await analyzeFixture('windbg/virtualized-process-seed.txt', catalog);
    if (!outcome.ok) throw new Error(outcome.message);
    const finding = { pattern: 'x', title: 'X', confidence: 'possible' as const, messageId: 'm', data: {}, summary: 's', evidence: [{ kind: 'field' as const, path: 'system.arch', note: 'the arch' }] };
    const choice = chooseStack(outcome.report, finding);
    expect(choice?.thread.faulting).toBe(true);
    expect(describeEvidence(finding.evidence[0]!, outcome.report)).toBe(`system.arch = ${outcome.report.system.arch}: the arch`);
    expect(fieldValue(outcome.report, 'system.nothing.here')).toBeNull();
  });
});
