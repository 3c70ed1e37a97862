// Truncated and garbage symbol files (issue 10's third done-when): a warning naming the file and
// the rest of the report, never a crash, never a name the file did not give. Each damaged copy
// goes through the whole read with the dump and its image; the model must validate, keep its
// threads and frames, and carry no internal-error warning.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DumpModel } from '../../src/engine/core/dump-model.ts';
import { Uint8ArraySource } from '../../src/engine/io/uint8array-source.ts';
import { readMinidumpModel } from '../../src/engine/model/from-minidump.ts';
import { runCli } from '../lib/run-cli.ts';

const DIR = join(import.meta.dirname, '../../fixtures/symbols');
const bytes = (name: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, name)));
const PDB = bytes('inline-crash.pdb');
const SYM_PATH = 'breakpad/test_app.pdb/5A9832E5287241C1838ED98914E9B7FF1/test_app.sym';
const SYM = bytes(SYM_PATH);
const MINIDUMP2 = new Uint8Array(readFileSync(join(DIR, '../corpus/breakpad/minidump2.dmp')));

/** The refs of the fixture: the real names, so a damaged file can be caught naming something else. */
const REAL = new Set(['store_total', 'apply_discount', 'process_orders', 'main', 'mainCRTStartup']);

async function withPdb(pdb: Uint8Array, name = 'inline-crash.pdb') {
  const model = await readMinidumpModel(new Uint8ArraySource(bytes('inline-crash.dmp'), 'inline-crash.dmp'), {
    images: [new Uint8ArraySource(bytes('inline-crash.exe'), 'inline-crash.exe')],
    symbols: [new Uint8ArraySource(pdb, name)],
  });
  expect(() => DumpModel.parse(model)).not.toThrow();
  expect(model.warnings.filter((w) => w.kind.endsWith('internal-error'))).toEqual([]);
  const frames = model.threads.find((t) => t.faulting)!.frames;
  expect(frames.length).toBeGreaterThanOrEqual(5); // the walk does not depend on the PDB on x64
  for (const f of frames) if (f.module === 'inline_crash' && f.symbol !== null) expect(REAL.has(f.symbol), f.symbol).toBe(true);
  return model;
}

async function withSym(sym: Uint8Array) {
  const model = await readMinidumpModel(new Uint8ArraySource(MINIDUMP2, 'minidump2.dmp'), { symbols: [new Uint8ArraySource(sym, 'test_app.sym')] });
  expect(() => DumpModel.parse(model)).not.toThrow();
  expect(model.warnings.filter((w) => w.kind.endsWith('internal-error'))).toEqual([]);
  expect(model.threads.find((t) => t.faulting)!.frames.length).toBeGreaterThanOrEqual(1);
  return model;
}

const symbolWarnings = (model: DumpModel): string[] => model.warnings.filter((w) => w.kind.startsWith('symbols-')).map((w) => `${w.kind}: ${w.message}`);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('damaged PDBs', () => {
  it('garbage that is no symbol file', async () => {
    const garbage = Uint8Array.from({ length: 5000 }, (_, i) => (i * 131 + 7) & 0xff);
    const model = await withPdb(garbage);
    expect(symbolWarnings(model)).toEqual(['symbols-unreadable: inline-crash.pdb is neither a PDB nor a Breakpad symbol file; not used']);
  });

  it('an MSF 2.0 program database', async () => {
    const old = new TextEncoder().encode('Microsoft C/C++ program database 2.00\r\n\x1aJG\0\0' + '\0'.repeat(200));
    const model = await withPdb(old);
    expect(symbolWarnings(model)).toEqual([expect.stringMatching(/^symbols-unreadable: inline-crash\.pdb: .*MSF 2\.0/)]);
  });

  it.each([100, 4096, 40_000, 120_000, PDB.length / 2, PDB.length - 4096])('cut to %i bytes', async (length) => {
    const model = await withPdb(PDB.subarray(0, Math.floor(length)));
    expect(symbolWarnings(model).length).toBeGreaterThan(0);
    expect(symbolWarnings(model).every((w) => w.includes('inline-crash.pdb'))).toBe(true);
  });

  it('the MSF signature and nothing usable after it', async () => {
    const fake = new Uint8Array(8192);
    fake.set(PDB.subarray(0, 32));
    const model = await withPdb(fake);
    expect(symbolWarnings(model)).toEqual([expect.stringMatching(/^symbols-unreadable: inline-crash\.pdb: /)]);
  });

  it('seeded byte corruption: 40 copies, each a warning or the right names', async () => {
    const random = rng(10);
    for (let round = 0; round < 40; round++) {
      const copy = PDB.slice();
      const hits = 1 + Math.floor(random() * 64);
      for (let i = 0; i < hits; i++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
      await withPdb(copy);
    }
  }, 60_000);
});

describe('damaged .sym files', () => {
  it('cut in the middle of its records', async () => {
    for (const fraction of [0.1, 0.5, 0.9]) {
      const model = await withSym(SYM.subarray(0, Math.floor(SYM.length * fraction)));
      const top = model.threads.find((t) => t.faulting)!.frames[0]!;
      // Either the cut left the function's records (named as Breakpad names it) or not (unnamed).
      expect([null, "`anonymous namespace'::CrashFunction"]).toContain(top.symbol);
    }
  });

  it('garbage after the MODULE line', async () => {
    const head = SYM.subarray(0, SYM.indexOf(0x0a) + 1);
    const junk = Uint8Array.from({ length: 20_000 }, (_, i) => ((i * 7919) % 251) + 1);
    const model = await withSym(Uint8Array.from([...head, ...junk]));
    expect(model.threads.find((t) => t.faulting)!.frames[0]!.symbol).toBeNull();
  });

  it('a malformed MODULE line', async () => {
    const model = await withSym(new TextEncoder().encode('MODULE windows\nFUNC 1000 10 0 f\n'));
    expect(symbolWarnings(model)).toEqual([expect.stringMatching(/^symbols-unreadable: test_app\.sym is not a Breakpad symbol file/)]);
  });

  it('seeded line corruption: 40 copies', async () => {
    const random = rng(11);
    const lines = new TextDecoder().decode(SYM).split('\n');
    for (let round = 0; round < 40; round++) {
      const copy = [...lines];
      for (let i = 0; i < 20; i++) {
        const at = 1 + Math.floor(random() * (copy.length - 1));
        const line = copy[at]!;
        const cut = Math.floor(random() * line.length);
        copy[at] = random() < 0.5 ? line.slice(0, cut) : `${line.slice(0, cut)}${String.fromCharCode(32 + Math.floor(random() * 90))}${line.slice(cut + 1)}`;
      }
      await withSym(new TextEncoder().encode(copy.join('\n')));
    }
  }, 60_000);
});

describe('through the CLI', () => {
  it('a garbage file given with --symbols: exit 0, the report, and the warning', async () => {
    const { code, err, text } = await runCli(['analyze', join(DIR, 'inline-crash.dmp'), '--symbols', join(DIR, 'inline-crash.refs.tsv')]);
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(text).toContain('inline-crash.refs.tsv is neither a PDB nor a Breakpad symbol file; not used');
    expect(text).toContain('Thread ~0');
  });
});
