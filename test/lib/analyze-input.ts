// Analyses a case input with the whole catalog, the way the CLI does, caching reports so the
// many cases that share a fixture read it once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR, loadCatalog, loadDetectors } from '../../src/catalog/load-node.ts';
import { analyze, analyzeText } from '../../src/engine/analyze.ts';
import { Uint8ArraySource } from '../../src/engine/io/uint8array-source.ts';
import type { Report } from '../../src/engine/report/schema.ts';
import type { CaseInput } from './cases.ts';

let setup: Promise<{ detectors: Awaited<ReturnType<typeof loadDetectors>>; catalog: ReturnType<typeof loadCatalog> }> | null = null;
const cache = new Map<string, Promise<Report>>();

function context() {
  setup ??= loadDetectors().then((detectors) => ({ detectors, catalog: loadCatalog() }));
  return setup;
}

export function fixtureBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES_DIR, path)));
}

export async function analyzeInput(input: CaseInput): Promise<Report> {
  const key = 'fixture' in input ? `f:${input.fixture}:${(input.images ?? []).join(',')}` : null;
  if (key && cache.has(key)) return cache.get(key)!;
  const run = (async () => {
    const { detectors, catalog } = await context();
    const now = () => 0;
    if ('text' in input) return analyzeText(input.text, input.name, { detectors, catalog, now });
    const images = (input.images ?? []).map((p) => new Uint8ArraySource(fixtureBytes(p), p.split('/').pop()!));
    if ('bytes' in input) {
      return analyze(new Uint8ArraySource(await input.bytes(), input.name), { detectors, catalog, images, now });
    }
    return analyze(new Uint8ArraySource(fixtureBytes(input.fixture), input.fixture.split('/').pop()!), {
      detectors,
      catalog,
      images,
      now,
    });
  })();
  if (key) cache.set(key, run);
  return run;
}
