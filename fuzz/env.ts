// The detectors and catalog a case runs with: all of them, loaded the way the CLI does. A
// detector or page that does not load (someone is halfway through writing it) is left out
// with a note instead of stopping the run: the fuzzer tests the engine, not the catalog.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Detector } from '../src/engine/report/detector.ts';
import type { PatternCatalog } from '../src/catalog/schema.ts';
import { DETECTORS_DIR, detectorIds, loadCatalog } from '../src/catalog/load-node.ts';

export interface FuzzEnv {
  detectors: Detector[];
  catalog: PatternCatalog;
  /** What could not be loaded, one line each. */
  notes: string[];
}

export async function loadFuzzEnv(): Promise<FuzzEnv> {
  const notes: string[] = [];
  const detectors: Detector[] = [];
  for (const id of detectorIds()) {
    try {
      const mod = (await import(pathToFileURL(join(DETECTORS_DIR, `${id}.ts`)).href)) as { default?: Detector };
      if (mod.default && typeof mod.default.detect === 'function') detectors.push(mod.default);
      else notes.push(`detector ${id}: no default export`);
    } catch (err) {
      notes.push(`detector ${id}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  let catalog: PatternCatalog = {};
  try {
    catalog = loadCatalog();
  } catch (err) {
    notes.push(`catalog: ${(err as Error).message.split('\n')[0]} (titles fall back to ids)`);
  }
  return { detectors, catalog, notes };
}
