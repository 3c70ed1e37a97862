// The catalog's pairing rules: page ↔ detector ↔ cases, related ids and examples exist,
// frontmatter valid. The same check fails `astro build`.
import { describe, expect, it } from 'vitest';
import { checkCatalog } from '../src/catalog/check.ts';
import { parseFrontmatter } from '../src/catalog/frontmatter.ts';
import { catalogFacts, loadDetectors } from '../src/catalog/load-node.ts';

describe('pattern catalog', () => {
  it('pairs every page with a detector and cases, and every link resolves', () => {
    expect(checkCatalog(catalogFacts())).toEqual([]);
  });

  it('loads every detector with an id equal to its file name', async () => {
    const detectors = await loadDetectors();
    expect(detectors.length).toBe(Object.keys(catalogFacts().catalog).length);
  });

  it('reports each kind of broken pairing', () => {
    const meta = parseFrontmatter(
      '---\ntitle: A\ncategory: Exceptions\nsummary: a pattern used to test the checker\ninputs: [minidump]\nrelated: [ghost]\nexamples: [missing.txt]\n---\nbody\n',
      'a.mdx',
    );
    const problems = checkCatalog({
      catalog: { a: meta },
      detectorIds: ['b'],
      caseIds: [],
      fixtureExists: () => false,
    });
    expect(problems).toEqual([
      'pattern page "a" has no detector: add src/detectors/a.ts',
      'pattern "a" has no cases: add test/patterns/a.cases.ts',
      'pattern page "a" lists related pattern "ghost", which has no page',
      'pattern page "a" names example fixture "missing.txt", which is not in fixtures/',
      'detector "b" has no page: add src/content/patterns/b.mdx',
    ]);
  });

  it('rejects invalid frontmatter with the field named', () => {
    expect(() => parseFrontmatter('---\ntitle: A\ncategory: Nonsense\n---\n', 'x.mdx')).toThrow(/x\.mdx: invalid frontmatter: .*category/);
    expect(() => parseFrontmatter('no frontmatter', 'y.mdx')).toThrow(/no frontmatter/);
  });
});
