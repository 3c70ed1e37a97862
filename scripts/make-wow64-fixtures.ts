// Writes the synthetic dumps of fixtures/synth/ from their descriptions in
// test/synth/wow64-fixtures.ts. Run from the repository root:
//   node scripts/make-wow64-fixtures.ts        (Node 24; or node_modules/.bin/node …)
// The output is deterministic: running it twice gives the same bytes, and a test checks that
// the committed files still match what the descriptions build.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYNTHETIC_FIXTURES } from '../test/synth/wow64-fixtures.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'fixtures', 'synth');

await mkdir(outDir, { recursive: true });
for (const [file, make] of Object.entries(SYNTHETIC_FIXTURES)) {
  const { builder, expected } = make();
  const built = builder.build();
  await writeFile(join(outDir, file), built.bytes);
  const frames = expected.threads.map((t) => t.x86Ips.length).join('/');
  console.log(`${file}: ${built.bytes.length} bytes, ${expected.threads.length} thread(s), ${expected.modules.length} modules, x86 frames ${frames || '-'}`);
}
