// Writes fixtures/synth/spiking-thread.dmp from its description in
// test/synth/spiking-thread-fixture.ts. Run from the repository root:
//   node scripts/make-spiking-thread-fixture.ts        (Node 24; or node_modules/.bin/node …)
// The output is deterministic; the Spiking Thread cases rebuild the dump and fail when the
// committed file no longer matches its description.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spikingThreadDump } from '../test/synth/spiking-thread-fixture.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'fixtures', 'synth', 'spiking-thread.dmp');

const { builder, busy } = spikingThreadDump('spinning');
const bytes = builder.build().bytes;
await mkdir(dirname(out), { recursive: true });
await writeFile(out, bytes);
console.log(`fixtures/synth/spiking-thread.dmp: ${bytes.length} bytes; busy thread 0x${busy.id.toString(16)}: ${busy.userSeconds} s user, ${busy.kernelSeconds} s kernel`);
