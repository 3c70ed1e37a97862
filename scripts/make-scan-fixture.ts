// Writes fixtures/synth/x64-scan.dmp from its description in test/synth/scan-stacks-fixture.ts.
// Run from the repository root:
//   node scripts/make-scan-fixture.ts        (Node 24; or node_modules/.bin/node …)
// The output is deterministic; test/engine/unwind/scan-without-code.test.ts rebuilds the dump
// and fails when the committed file no longer matches its description.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { x64ScanDump } from '../test/synth/scan-stacks-fixture.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'fixtures', 'synth', 'x64-scan.dmp');

const bytes = x64ScanDump().build().bytes;
await mkdir(dirname(out), { recursive: true });
await writeFile(out, bytes);
console.log(`fixtures/synth/x64-scan.dmp: ${bytes.length} bytes`);
