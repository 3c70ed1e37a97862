// The README's scale-out command, run as written: a folder of dumps split into shards by
// `find | xargs -P`, each shard analysed by its own `npx dumpatlas analyze --json`, the shard
// files merged by `npx dumpatlas merge`. Its table must be the one a single run prints.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bucketDump, RUN_A, RUN_B, RUN_OTHER } from '../synth/bucket-dumps.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The first ```sh block after the README's scale-out marker. */
function readmeCommand(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('<!-- scale-out');
  const block = /```sh\n([^]*?)```/.exec(readme.slice(at));
  if (at < 0 || !block) throw new Error('README.md has no scale-out command block');
  return block[1]!;
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dumpatlas-scale-out-'));
  // More dumps than one shard holds (the command puts 100 in each), from three "machines".
  for (let i = 0; i < 230; i++) {
    const machine = `machine-${i % 3}`;
    mkdirSync(join(dir, 'crashes', machine), { recursive: true });
    const run = i % 7 === 0 ? RUN_OTHER : i % 2 === 0 ? RUN_A : RUN_B;
    writeFileSync(join(dir, 'crashes', machine, `crash-${String(i).padStart(3, '0')}.dmp`), bucketDump({ ...run, threadId: 0x100 + i * 4, time: run.time + i * 60 }));
  }
  writeFileSync(join(dir, 'crashes', 'machine-1', 'broken.dmp'), Uint8Array.from([0x4d, 0x44, 0x4d, 0x50, 1, 2, 3]));
  // Where `npx dumpatlas` works: a folder with the package installed.
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'dumpatlas'));
  symlinkSync(join(ROOT, 'bin', 'dumpatlas.js'), join(dir, 'node_modules', '.bin', 'dumpatlas'));
});

describe('the README scale-out command', () => {
  it('runs as written and prints the table of a single run', () => {
    const command = readmeCommand();
    expect(command).toContain('xargs');
    const sharded = spawnSync('sh', ['-c', command], { cwd: dir, encoding: 'utf8', timeout: 240_000 });
    const single = spawnSync('npx', ['dumpatlas', 'analyze', 'crashes', '--summary'], { cwd: dir, encoding: 'utf8', timeout: 240_000 });
    expect(single.stdout).toMatch(/^2 failure buckets in 230 dumps \(231 files: 230 analysed, 1 unreadable\)/);
    // Three shards of up to 100 files each.
    expect(readdirSync(dir).filter((f) => f.startsWith('shard.'))).toHaveLength(3);
    expect(sharded.stdout).toBe(single.stdout);
  }, 300_000);
});
