// Node-side catalog loading (CLI, tests, the build check): the pattern pages' frontmatter,
// the detector modules and the case files, found by listing their folders, so adding a
// pattern never means editing a list.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Detector } from '../engine/report/detector.ts';
import { parseFrontmatter } from './frontmatter.ts';
import type { PatternCatalog } from './schema.ts';
import type { CatalogFacts } from './check.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PATTERNS_DIR = join(ROOT, 'src/content/patterns');
export const DETECTORS_DIR = join(ROOT, 'src/detectors');
export const CASES_DIR = join(ROOT, 'test/patterns');
export const FIXTURES_DIR = join(ROOT, 'fixtures');

function idsIn(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix) && !f.startsWith('_'))
    .map((f) => f.slice(0, -suffix.length))
    .sort();
}

export function loadCatalog(): PatternCatalog {
  const catalog: PatternCatalog = {};
  for (const id of idsIn(PATTERNS_DIR, '.mdx')) {
    const file = join(PATTERNS_DIR, `${id}.mdx`);
    catalog[id] = parseFrontmatter(readFileSync(file, 'utf8'), `src/content/patterns/${id}.mdx`);
  }
  return catalog;
}

export function detectorIds(): string[] {
  return idsIn(DETECTORS_DIR, '.ts');
}

export async function loadDetectors(): Promise<Detector[]> {
  const detectors: Detector[] = [];
  for (const id of detectorIds()) {
    const mod = (await import(pathToFileURL(join(DETECTORS_DIR, `${id}.ts`)).href)) as { default?: Detector };
    const d = mod.default;
    if (!d || typeof d.detect !== 'function') throw new Error(`src/detectors/${id}.ts has no default-exported detector`);
    if (d.id !== id) throw new Error(`src/detectors/${id}.ts declares id "${d.id}"; it must equal the file name`);
    detectors.push(d);
  }
  return detectors;
}

export function catalogFacts(): CatalogFacts {
  return {
    catalog: loadCatalog(),
    detectorIds: detectorIds(),
    caseIds: idsIn(CASES_DIR, '.cases.ts'),
    fixtureExists: (p) => !p.includes('..') && existsSync(join(FIXTURES_DIR, p)),
  };
}
