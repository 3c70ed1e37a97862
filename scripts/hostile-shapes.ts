// `node scripts/hostile-shapes.ts DIR [--small] [--only id,id…]`: writes every hostile shape of
// issue 15 (test/synth/hostile/catalog.ts) at the probe's full size (or the tests' small one)
// into DIR, module files into DIR/<id>.images/, and prints the CLI command to try each, for
// probing the CLI by hand or timing a fix: `/usr/bin/time -v` around the printed command.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOSTILE_SHAPES } from '../test/synth/hostile/catalog.ts';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--only');
if (!dir) {
  process.stderr.write('usage: node scripts/hostile-shapes.ts DIR [--small] [--only id,id…]\n');
  process.exit(2);
}
const small = args.includes('--small');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',')) : null;

mkdirSync(dir, { recursive: true });
for (const shape of HOSTILE_SHAPES) {
  if (only && !only.has(shape.id)) continue;
  const input = shape.build(small ? shape.small : shape.full);
  const ext = input.name.slice(input.name.lastIndexOf('.'));
  const file = join(dir, `${shape.id}${ext}`);
  writeFileSync(file, input.bytes);
  let images = '';
  if (input.images) {
    const folder = join(dir, `${shape.id}.images`);
    mkdirSync(folder, { recursive: true });
    for (const i of input.images) writeFileSync(join(folder, i.name), i.bytes);
    images = ` --images ${folder}`;
  }
  process.stdout.write(`${shape.finding} ${shape.id}: ${shape.what} (${input.bytes.length} bytes)\n  npx dumpatlas analyze --json ${file}${images}\n`);
}
