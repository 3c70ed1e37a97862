// Writes fixtures/synth/*.dmp made of a real Wine dump plus the stream Wine does not write
// (test/synth/augmented-dumps.ts). Run from the repository root:
//   node scripts/make-augmented-fixtures.ts    (Node 24; or node_modules/.bin/node …)
// Deterministic; test/fixtures/augmented-fixtures.test.ts checks the committed files match.
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUGMENTED_FIXTURES } from '../test/synth/augmented-dumps.ts';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'synth');
for (const [file, make] of Object.entries(AUGMENTED_FIXTURES)) {
  const bytes = make();
  await writeFile(join(outDir, file), bytes);
  console.log(`${file}: ${bytes.length} bytes`);
}
