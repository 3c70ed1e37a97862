// The catalog's pairing rules, one place for the build and the tests: every page has a
// detector, every detector a page, every related id a page, every example a fixture file.
import type { PatternCatalog } from './schema.ts';

export interface CatalogFacts {
  catalog: PatternCatalog;
  detectorIds: string[];
  /** Detector ids that have a cases file (test/patterns/<id>.cases.ts). */
  caseIds: string[];
  fixtureExists: (relativePath: string) => boolean;
}

export function checkCatalog(facts: CatalogFacts): string[] {
  const problems: string[] = [];
  const pages = new Set(Object.keys(facts.catalog));
  const detectors = new Set(facts.detectorIds);
  const cases = new Set(facts.caseIds);
  for (const id of pages) {
    if (!detectors.has(id)) problems.push(`pattern page "${id}" has no detector: add src/detectors/${id}.ts`);
    if (!cases.has(id)) problems.push(`pattern "${id}" has no cases: add test/patterns/${id}.cases.ts`);
    const meta = facts.catalog[id]!;
    for (const rel of meta.related) {
      if (!pages.has(rel)) problems.push(`pattern page "${id}" lists related pattern "${rel}", which has no page`);
      if (rel === id) problems.push(`pattern page "${id}" lists itself as related`);
    }
    for (const ex of meta.examples) {
      if (!facts.fixtureExists(ex)) problems.push(`pattern page "${id}" names example fixture "${ex}", which is not in fixtures/`);
    }
  }
  for (const id of detectors) {
    if (!pages.has(id)) problems.push(`detector "${id}" has no page: add src/content/patterns/${id}.mdx`);
  }
  for (const id of cases) {
    if (!pages.has(id)) problems.push(`cases file "${id}.cases.ts" has no pattern page`);
  }
  return problems;
}
