// The reports behind the pattern pages and the cooperation page, computed while the site is
// built: the real engine and every detector run on the catalog's fixtures. They run the way
// "Try it" runs them in the browser (the file alone, no images beside it), so what a page shows
// is what a reader gets when they press the button. Build time only: it reads fixtures/ with
// node:fs, which is why it lives beside the pages and not in src/engine.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PatternCatalog } from '../../catalog/schema.ts';
import type { Detector } from '../../engine/report/detector.ts';
import { analyze } from '../../engine/analyze.ts';
import { describeError } from '../../engine/core/errors.ts';
import { Uint8ArraySource } from '../../engine/io/uint8array-source.ts';
import type { Report } from '../../engine/report/schema.ts';

const modules = import.meta.glob<{ default: Detector }>('../../detectors/*.ts', { eager: true });

/** Every detector, found by file name like the browser bundle finds them. */
export const detectors: Detector[] = Object.values(modules)
  .map((m) => m.default)
  .sort((a, b) => a.id.localeCompare(b.id));

/** A fixture's report, or why there is none (a missing file, an input the engine refused). */
export type FixtureOutcome = { ok: true; fixture: string; report: Report } | { ok: false; fixture: string; message: string };

// Pages are rendered in one process, so a fixture that several pages name is read once.
const cache = new Map<string, Promise<FixtureOutcome>>();

/** Analyses fixtures/<path> with every detector; `root` is the project folder (the build's cwd). */
export function analyzeFixture(path: string, catalog: PatternCatalog, root: string = process.cwd()): Promise<FixtureOutcome> {
  const key = `${root}\u0000${path}`;
  let outcome = cache.get(key);
  if (!outcome) {
    outcome = run(path, catalog, root);
    cache.set(key, outcome);
  }
  return outcome;
}

async function run(path: string, catalog: PatternCatalog, root: string): Promise<FixtureOutcome> {
  if (path.split(/[\\/]/).includes('..')) return { ok: false, fixture: path, message: `${path}: not a path inside fixtures/` };
  try {
    const bytes = new Uint8Array(await readFile(join(root, 'fixtures', path)));
    const name = path.split('/').pop() ?? path;
    // A fixed clock keeps the built pages byte-identical from build to build.
    const report = await analyze(new Uint8ArraySource(bytes, name), { detectors, catalog, now: () => 0 });
    return { ok: true, fixture: path, report };
  } catch (err) {
    return { ok: false, fixture: path, message: describeError(err).message };
  }
}

/** Every fixture the pages name as examples, each once, in catalog order. */
export function exampleFixtures(catalog: PatternCatalog): string[] {
  return [...new Set(Object.keys(catalog).sort().flatMap((id) => catalog[id]!.examples))];
}

/** The patterns that fire on each example fixture (fixtures the engine refused are left out). */
export async function firingsByFixture(catalog: PatternCatalog, root?: string): Promise<{ fixture: string; patterns: string[] }[]> {
  const outcomes = await Promise.all(exampleFixtures(catalog).map((f) => analyzeFixture(f, catalog, root)));
  return outcomes
    .filter((o) => o.ok)
    .map((o) => ({ fixture: o.fixture, patterns: [...new Set(o.report.findings.map((f) => f.pattern))].sort() }));
}
