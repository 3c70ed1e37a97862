// The command line as a user runs it: `node bin/dumpatlas.js analyze …` on a mix of good, bad
// and missing files. Unreadable files cost one line on stderr each and exit status 2; the other
// files are still analysed; no stack trace ever reaches the terminal, even for a bug of ours.
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Report } from '../../src/engine/report/schema.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/dumpatlas.js');

let dir: string;
let good: string;
let dump: string;
let png: string;
let missing: string;
let empty: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dumpatlas-cli-'));
  good = join(dir, 'x64-access-violation.txt');
  dump = join(dir, 'x64-plain.dmp');
  png = join(dir, 'screenshot.png');
  missing = join(dir, 'missing.dmp');
  empty = join(dir, 'empty.dmp');
  copyFileSync(join(ROOT, 'fixtures/windbg/x64-access-violation.txt'), good);
  copyFileSync(join(ROOT, 'fixtures/synth/x64-plain.dmp'), dump);
  writeFileSync(png, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  writeFileSync(empty, new Uint8Array(0));
});

function cli(args: string[], nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, BIN, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, errLines: r.stderr.split('\n').filter(Boolean) };
}

function noStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at .+[:(]/m);
  expect(text).not.toMatch(/node:internal|\.ts:\d+:\d+/);
}

describe('dumpatlas analyze on good, bad and missing files', () => {
  it('reports the good ones, one line per bad one, exit status 2', () => {
    const r = cli(['analyze', good, png, missing, dump, empty]);
    expect(r.status).toBe(2);
    expect(r.errLines).toEqual([
      `dumpatlas: ${png}: this is a PNG image, not a dump`,
      `dumpatlas: ${missing}: cannot open: ENOENT: no such file or directory, open '${missing}'`,
      `dumpatlas: ${empty}: the file is empty`,
    ]);
    expect(r.stdout).toContain('== x64-access-violation.txt (windbg-text) ==');
    expect(r.stdout).toContain('== x64-plain.dmp (minidump) ==');
    noStackTrace(r.stderr);
    noStackTrace(r.stdout);
  });

  it('--json: one schema-valid report per good file and one error line per bad one, as each finishes', () => {
    const r = cli(['analyze', '--json', missing, good, dump]);
    expect(r.status).toBe(2);
    expect(r.errLines).toHaveLength(1);
    const lines = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const reports = lines.filter((l) => 'schemaVersion' in l).map((l) => Report.parse(l));
    expect(reports.map((x) => [x.input.name, x.input.format]).sort()).toEqual([
      ['x64-access-violation.txt', 'windbg-text'],
      ['x64-plain.dmp', 'minidump'],
    ]);
    expect(lines.filter((l) => 'error' in l)).toEqual([{ file: missing, error: { kind: 'io', message: expect.stringMatching(/^cannot open: ENOENT/) } }]);
  });

  it('exit status 0 when every file was read', () => {
    const r = cli(['analyze', good, dump]);
    expect([r.status, r.stderr]).toEqual([0, '']);
  });

  it('a bad option: one line, status 2', () => {
    const r = cli(['analyze', '--frobnicate', good]);
    expect(r.status).toBe(2);
    expect(r.errLines).toEqual(['dumpatlas: unknown option --frobnicate']);
  });
});

describe('a bug of ours still ends in one line', () => {
  it('an exception while printing one report: that file fails in one line, the next is still tried', () => {
    // Simulates a bug in the report printer: JSON.stringify of a report throws.
    const preload = join(dir, 'bug.mjs');
    writeFileSync(
      preload,
      `const real = JSON.stringify;
JSON.stringify = function (value, ...rest) {
  if (value && value.schemaVersion === 2 && value.input.name.endsWith('.txt')) throw new TypeError("Cannot read properties of undefined (reading 'frames')");
  return real.call(this, value, ...rest);
};`,
    );
    const r = cli(['analyze', '--json', good, dump], ['--import', preload]);
    expect(r.status).toBe(2);
    expect(r.errLines).toEqual([`dumpatlas: ${good}: internal error: TypeError: Cannot read properties of undefined (reading 'frames')`]);
    const lines = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => 'schemaVersion' in l)).toHaveLength(1);
    expect(lines.filter((l) => 'error' in l)).toEqual([{ file: good, error: { kind: 'internal', message: expect.stringContaining('Cannot read properties') } }]);
    noStackTrace(r.stderr);
  });

  it('an exception thrown outside any file (an uncaught one): one line, status 2', () => {
    const preload = join(dir, 'late-bug.mjs');
    writeFileSync(preload, `setTimeout(() => { throw new RangeError('Invalid array length'); }, 0);`);
    const r = cli(['analyze', good], ['--import', preload]);
    expect(r.status).toBe(2);
    expect(r.errLines).toEqual(['dumpatlas: internal error: Invalid array length']);
    noStackTrace(r.stderr);
  });
});
