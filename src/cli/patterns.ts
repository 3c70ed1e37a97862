// The detectors and each pattern's title and related ids, for the CLI. Run from source, they are
// found by listing src/detectors and reading the pages' frontmatter; the prebuilt CLI
// (scripts/build-cli.ts) replaces this module with one that imports every detector and holds
// the titles, generated from the same folders when it is built.
import type { Detector, PatternIndex } from '../engine/report/detector.ts';

export interface Patterns {
  detectors: Detector[];
  catalog: PatternIndex;
}

export async function loadPatterns(): Promise<Patterns> {
  const { loadCatalog, loadDetectors } = await import('../catalog/load-node.ts');
  return { detectors: await loadDetectors(), catalog: loadCatalog() };
}
