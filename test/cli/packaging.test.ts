// `npx dumpatlas` as users get it: from a clone (the prebuilt CLI that `npm install` made), on
// the system's own Node 20 as well as the project's Node 24, and from a tarball made by
// `npm pack` (its `prepare` builds the CLI) and installed elsewhere, offline, with nothing else.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { codeCacheFile } from '../../src/cli/script-loader.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SYSTEM_NODE = '/usr/bin/node';
const DUMP = join(ROOT, 'fixtures/corpus/lldb/sigsegv.dmp');

/** PATH without this project's node_modules/.bin, so `node` and `npx` are the machine's own. */
const systemPath = (process.env['PATH'] ?? '')
  .split(delimiter)
  .filter((p) => !p.includes('node_modules'))
  .join(delimiter);

function systemNodeMajor(): number | null {
  if (!existsSync(SYSTEM_NODE)) return null;
  return Number(execFileSync(SYSTEM_NODE, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim());
}

describe('from a clone', () => {
  it('npx dumpatlas runs the prebuilt CLI', () => {
    expect(existsSync(join(ROOT, 'dist-cli/dumpatlas.mjs'))).toBe(true);
    const r = spawnSync('npx', ['dumpatlas', '--version'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect([r.status, r.stdout.trim(), r.stderr]).toEqual([0, '0.1.0', '']);
  });

  it('the analyze command runs with the code cache the build made (V8 takes it, so it is not made again)', () => {
    const cache = codeCacheFile(join(ROOT, 'dist-cli/analyze.cjs'), 'analyze');
    expect(existsSync(cache)).toBe(true);
    const past = new Date(Date.now() - 3600_000);
    utimesSync(cache, past, past);
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/dumpatlas.js'), 'analyze', DUMP], { encoding: 'utf8', timeout: 60_000 });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('Bucket: c0000005 @ sigsegv+0x10d9 (null-pointer-data)');
    // A refused cache (another V8, other flags than the build's run had) would have been written anew.
    expect(statSync(cache).mtimeMs).toBe(past.getTime());
  });

  it.skipIf(systemNodeMajor() === null || systemNodeMajor()! >= 22)('runs on the system’s Node 20: one dump, and a parallel folder run', () => {
    const env = { ...process.env, PATH: systemPath };
    const one = spawnSync(SYSTEM_NODE, [join(ROOT, 'bin/dumpatlas.js'), 'analyze', DUMP], { encoding: 'utf8', env, timeout: 60_000 });
    expect([one.status, one.stderr]).toEqual([0, '']);
    expect(one.stdout).toContain('Bucket: c0000005 @ sigsegv+0x10d9 (null-pointer-data)');
    const many = spawnSync(SYSTEM_NODE, [join(ROOT, 'bin/dumpatlas.js'), 'analyze', join(ROOT, 'fixtures/corpus/lldb'), '--summary', '--json'], { encoding: 'utf8', env, timeout: 120_000 });
    expect(many.stderr).toMatch(/^(dumpatlas: \d+ files? in the folders .* skipped\n)?$/);
    expect(JSON.parse(many.stdout)).toMatchObject({ kind: 'dumpatlas-summary', analysed: 5 });
  });
});

describe('the launcher', () => {
  it('stops quietly when the reader of its output goes away (| head)', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/dumpatlas.js'), 'analyze', join(ROOT, 'fixtures/corpus'), '--json', '--jobs', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect([code, stderr.replace(/^dumpatlas: \d+ files? in the folders .*skipped\n/m, '')]).toEqual([0, '']);
  }, 60_000);
});

describe('the launcher in a checkout', () => {
  it('runs the prebuilt CLI while it is current, and the sources once src/ is newer', () => {
    const clone = mkdtempSync(join(tmpdir(), 'dumpatlas-launcher-'));
    for (const f of ['bin', 'src', 'dist-cli']) cpSync(join(ROOT, f), join(clone, f), { recursive: true });
    mkdirSync(join(clone, '.git'));
    // Tell the two apart by the version each prints.
    // --version is answered by the ES modules; analyze.cjs has the version too, for its reports.
    const versionChunk = readdirSync(join(clone, 'dist-cli')).find((f) => f.endsWith('.mjs') && readFileSync(join(clone, 'dist-cli', f), 'utf8').includes('"0.1.0"'))!;
    const chunk = join(clone, 'dist-cli', versionChunk);
    writeFileSync(chunk, readFileSync(chunk, 'utf8').replace('"0.1.0"', '"built"'));
    const version = join(clone, 'src/engine/core/version.ts');
    writeFileSync(version, readFileSync(version, 'utf8').replace("'0.1.0'", "'source'"));
    const past = new Date(Date.now() - 3600_000);
    utimesSync(version, past, past);
    const run = (): string => execFileSync(process.execPath, [join(clone, 'bin/dumpatlas.js'), '--version'], { encoding: 'utf8' }).trim();
    writeFileSync(join(clone, 'dist-cli/build-info.json'), JSON.stringify({ sourceTime: Date.now() }));
    expect(run()).toBe('built');
    utimesSync(version, new Date(), new Date(Date.now() + 60_000));
    expect(run()).toBe('source');
  });
});

describe('from a packed tarball installed elsewhere', () => {
  let tarball: string;
  let installed: string;

  beforeAll(() => {
    // A clone of the sources (npm pack runs `prepare` there, which builds its own dist-cli/).
    const clone = mkdtempSync(join(tmpdir(), 'dumpatlas-clone-'));
    for (const f of ['package.json', 'package-lock.json', 'README.md', 'LICENSE', 'bin', 'scripts', 'src', 'docs']) cpSync(join(ROOT, f), join(clone, f), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    // The build analyses a few fixtures to make the analyze command's code cache.
    symlinkSync(join(ROOT, 'fixtures'), join(clone, 'fixtures'));
    const out = mkdtempSync(join(tmpdir(), 'dumpatlas-pack-'));
    execFileSync('npm', ['pack', '--pack-destination', out], { cwd: clone, encoding: 'utf8', stdio: 'pipe', timeout: 120_000 });
    tarball = join(out, readdirSync(out).find((f) => f.endsWith('.tgz'))!);
    installed = mkdtempSync(join(tmpdir(), 'dumpatlas-installed-'));
    writeFileSync(join(installed, 'package.json'), '{ "name": "triage-user", "private": true }\n');
    mkdirSync(join(installed, 'node_modules'), { recursive: true });
    execFileSync('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund'], {
      cwd: installed,
      encoding: 'utf8',
      stdio: 'pipe',
      timeout: 120_000,
      env: { ...process.env, PATH: systemPath },
    });
  }, 300_000);

  it('carries the prebuilt CLI, not the sources', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
    expect(files).toContain('package/dist-cli/dumpatlas.mjs');
    expect(files).toContain('package/dist-cli/worker.mjs');
    expect(files).toContain('package/dist-cli/analyze.cjs');
    expect(files).toContain('package/dist-cli/schema.cjs');
    // The analyze command's code cache, made by the build for the Node that built it.
    expect(files.some((f) => /^package\/dist-cli\/analyze\.cjs\.analyze\.v8-.+\.cache$/.test(f))).toBe(true);
    expect(files).toContain('package/dist-cli/report-page.js');
    expect(files).toContain('package/bin/dumpatlas.js');
    expect(files.some((f) => f.startsWith('package/src/'))).toBe(false);
  });

  it('npx dumpatlas works there with the machine’s own Node', () => {
    const env = { ...process.env, PATH: systemPath };
    const version = spawnSync('npx', ['dumpatlas', '--version'], { cwd: installed, encoding: 'utf8', env, timeout: 60_000 });
    expect([version.status, version.stdout.trim(), version.stderr]).toEqual([0, '0.1.0', '']);
    const page = join(installed, 'crash.html');
    const r = spawnSync('npx', ['dumpatlas', 'analyze', DUMP, '--html', page], { cwd: installed, encoding: 'utf8', env, timeout: 60_000 });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('Bucket: c0000005 @ sigsegv+0x10d9 (null-pointer-data)');
    expect(existsSync(page)).toBe(true);
  });
});
