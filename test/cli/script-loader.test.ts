// The prebuilt CLI's analyze command runs from a CommonJS bundle with a V8 code cache taken after
// a run (src/cli/script-loader.ts): made when missing, used when V8 takes it, made again when V8
// refuses it, never a failure when it cannot be written.
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeCacheFile, loadScript, runScript } from '../../src/cli/script-loader.ts';

function bundle(): { file: string; url: URL } {
  const dir = mkdtempSync(join(tmpdir(), 'dumpatlas-script-'));
  const file = join(dir, 'command.cjs');
  // A function compiled only when called: what a cache taken after the run adds.
  writeFileSync(file, 'exports.run = async (n) => { const square = (x) => x * x; return square(n) + require("node:path").basename(__filename).length; };\n');
  return { file, url: pathToFileURL(file) };
}

describe('script loader', () => {
  it('runs the bundle as CommonJS and makes its cache after the run', async () => {
    const { file, url } = bundle();
    expect(await runScript(url, 'analyze', (m) => (m['run'] as (n: number) => Promise<number>)(3))).toBe(9 + 'command.cjs'.length);
    expect(statSync(codeCacheFile(file, 'analyze')).size).toBeGreaterThan(0);
  });

  it('uses a cache V8 takes and leaves it as it is', async () => {
    const { file, url } = bundle();
    await runScript(url, 'analyze', async () => 0);
    const cache = codeCacheFile(file, 'analyze');
    const past = new Date(Date.now() - 3600_000);
    utimesSync(cache, past, past);
    const loaded = loadScript(url, 'analyze');
    loaded.keepCache();
    expect(statSync(cache).mtimeMs).toBe(past.getTime()); // not written again
    loaded.keepCache(true);
    expect(statSync(cache).mtimeMs).toBeGreaterThan(past.getTime());
  });

  it('refuses a damaged cache, runs all the same, and makes it again', async () => {
    const { file, url } = bundle();
    const cache = codeCacheFile(file, 'analyze');
    writeFileSync(cache, Buffer.from('not a code cache at all, just bytes'));
    expect(await runScript(url, 'analyze', (m) => (m['run'] as (n: number) => Promise<number>)(2))).toBe(4 + 'command.cjs'.length);
    expect(readFileSync(cache).toString('latin1')).not.toContain('not a code cache');
  });

  it('keeps one cache per command, and runs where none can be written', async () => {
    const { file, url } = bundle();
    await runScript(url, 'merge', async () => 0);
    expect(existsSync(codeCacheFile(file, 'merge'))).toBe(true);
    expect(existsSync(codeCacheFile(file, 'analyze'))).toBe(false);
    const dir = join(file, '..');
    chmodSync(dir, 0o555);
    try {
      // root ignores the mode bits; either way the run must not fail.
      expect(await runScript(url, 'analyze', (m) => (m['run'] as (n: number) => Promise<number>)(1))).toBe(1 + 'command.cjs'.length);
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});
