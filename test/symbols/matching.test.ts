// Matching symbol files to modules, never silently wrong (issue 10, item 3 and its third
// done-when): a PDB of another build (its GUID changed in a copy, as a rebuild changes it) is
// refused with a warning naming both identities, and used only when forced; a file for a module
// that records no identity (a Wine dump without its image) cannot be checked and is refused the
// same way; the module list's own CodeView record (minidump2) is enough without an image; the
// symbol-store layout is searched per module.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMinidumpModel } from '../../src/engine/model/from-minidump.ts';
import { Uint8ArraySource } from '../../src/engine/io/uint8array-source.ts';
import type { ByteSource } from '../../src/engine/io/byte-source.ts';
import type { SymbolLocator, SymbolRequest } from '../../src/engine/symbols/symbol-locator.ts';
import { storeCandidates } from '../../src/engine/symbols/store-layout.ts';
import { symbolFileKind } from '../../src/engine/symbols/symbol-kind.ts';

const DIR = join(import.meta.dirname, '../../fixtures/symbols');
const file = (name: string, as = name): Uint8ArraySource => new Uint8ArraySource(new Uint8Array(readFileSync(join(DIR, name))), as);

/** A copy of a PDB whose PDB info stream carries another GUID: what a rebuild of the program writes. */
export function otherBuild(pdb: Uint8Array): Uint8Array {
  const copy = pdb.slice();
  const view = new DataView(copy.buffer);
  // The PDB info stream starts with its version, 20000404 (VC70), then signature, age, GUID.
  for (let at = 0; at + 28 <= copy.length; at += 4) {
    if (view.getUint32(at, true) === 20000404) {
      copy[at + 12]! ^= 0xff;
      return copy;
    }
  }
  throw new Error('no PDB info stream');
}

const frameNames = (model: Awaited<ReturnType<typeof readMinidumpModel>>): (string | null)[] => model.threads[0]!.frames.map((f) => f.symbol);

describe('a PDB of another build', () => {
  const dump = () => file('inline-crash.dmp');
  const image = () => file('inline-crash.exe');
  const wrong = () => new Uint8ArraySource(otherBuild(new Uint8Array(readFileSync(join(DIR, 'inline-crash.pdb')))), 'inline-crash.pdb');

  it('is refused, with a warning naming both identities', async () => {
    const model = await readMinidumpModel(dump(), { images: [image()], symbols: [wrong()] });
    const warning = model.warnings.find((w) => w.kind === 'symbols-mismatch');
    expect(warning?.message).toMatch(/^inline-crash\.pdb \(inline-crash\.pdb, id 8966F225B0D96BC04C4C44205044422E1\) does not match: inline-crash\.exe wants inline-crash\.pdb id 8966F2DAB0D96BC04C4C44205044422E1 \(from its image\); not used/);
    // Nothing from the PDB: the image has no exports, so module+offset.
    expect(frameNames(model).slice(0, 2)).toEqual([null, null]);
    expect(model.modules[0]!.symbols).toBeUndefined();
  });

  it('is used when forced, and the warning says so', async () => {
    const model = await readMinidumpModel(dump(), { images: [image()], symbols: [wrong()], forceSymbols: true });
    expect(model.warnings.find((w) => w.kind === 'symbols-mismatch')?.message).toMatch(/used anyway because symbols were forced/);
    expect(frameNames(model).slice(0, 3)).toEqual(['store_total', 'apply_discount', 'process_orders']);
    expect(model.modules[0]!.symbols).toMatchObject({ file: 'inline-crash.pdb', forced: true });
  });

  it('the right build beside the wrong one: the right one is used, silently', async () => {
    const model = await readMinidumpModel(dump(), { images: [image()], symbols: [wrong(), file('inline-crash.pdb', 'right/inline-crash.pdb')] });
    expect(frameNames(model).slice(0, 3)).toEqual(['store_total', 'apply_discount', 'process_orders']);
    expect(model.warnings.filter((w) => w.kind.startsWith('symbols-'))).toEqual([
      expect.objectContaining({ kind: 'symbols-mismatch', message: expect.stringMatching(/matches no module of this dump/) }),
    ]);
  });
});

describe('identity from the dump or from the image', () => {
  it('a Wine dump without its image records no identity: the PDB cannot be checked and is not used', async () => {
    const model = await readMinidumpModel(file('inline-crash.dmp'), { symbols: [file('inline-crash.pdb')] });
    expect(model.warnings.find((w) => w.kind === 'symbols-mismatch')?.message).toMatch(/cannot be checked: inline-crash\.exe records no identity/);
    expect(frameNames(model)[0]).toBeNull();
    // Forced, it names.
    const forced = await readMinidumpModel(file('inline-crash.dmp'), { symbols: [file('inline-crash.pdb')], forceSymbols: true });
    expect(frameNames(forced)[0]).toBe('store_total');
  });

  it("minidump2's module list carries CodeView records: no image needed", async () => {
    const sym = file('breakpad/test_app.pdb/5A9832E5287241C1838ED98914E9B7FF1/test_app.sym', 'test_app.sym');
    const model = await readMinidumpModel(new Uint8ArraySource(new Uint8Array(readFileSync(join(DIR, '../corpus/breakpad/minidump2.dmp'))), 'minidump2.dmp'), { symbols: [sym] });
    expect(frameNames(model)[0]).toBe("`anonymous namespace'::CrashFunction");
  });

  it('a symbol file of a module not on any stack is reported once, by name and id', async () => {
    const model = await readMinidumpModel(file('inline-crash.dmp'), { images: [file('inline-crash.exe')], symbols: [file('inline-crash.pdb'), file('class-crash.pdb')] });
    const unused = model.warnings.filter((w) => /matches no module/.test(w.message));
    expect(unused.map((w) => w.message)).toEqual([expect.stringMatching(/^class-crash\.pdb \(class-crash\.pdb, id [0-9A-F]+\) matches no module/)]);
  });
});

describe('symbol stores', () => {
  it('names the places to look, most specific first, and nothing outside the folder', () => {
    const request: SymbolRequest = { debugFile: 'c:\\build\\test_app.pdb', debugId: '5A9832E5287241C1838ED98914E9B7FF1', codeFile: 'C:\\app\\test_app.exe' };
    expect(storeCandidates(request)).toEqual([
      'test_app.pdb/5A9832E5287241C1838ED98914E9B7FF1/test_app.pdb',
      'test_app.pdb/5A9832E5287241C1838ED98914E9B7FF1/test_app.sym',
      'test_app.pdb',
      'test_app.sym',
      'test_app.exe/5A9832E5287241C1838ED98914E9B7FF1/test_app.exe.sym',
    ]);
    expect(storeCandidates({ debugFile: '..', debugId: '../../etc', codeFile: 'a/../../b.dll' })).toEqual(['b.pdb', 'b.sym']);
  });

  it('a locator is asked only for the modules a stack reaches, and its files are matched by identity', async () => {
    const asked: SymbolRequest[] = [];
    const store = mkdtempSync(join(tmpdir(), 'symstore-'));
    const id = '5A9832E5287241C1838ED98914E9B7FF1';
    mkdirSync(join(store, 'test_app.pdb', id), { recursive: true });
    writeFileSync(join(store, 'test_app.pdb', id, 'test_app.sym'), readFileSync(join(DIR, 'breakpad/test_app.pdb', id, 'test_app.sym')));
    const locator: SymbolLocator = {
      async find(request) {
        asked.push(request);
        const out: ByteSource[] = [];
        for (const relative of storeCandidates(request)) {
          try {
            out.push(new Uint8ArraySource(new Uint8Array(readFileSync(join(store, relative))), relative.split('/').pop()));
          } catch {
            // not there
          }
        }
        return out;
      },
    };
    const model = await readMinidumpModel(new Uint8ArraySource(new Uint8Array(readFileSync(join(DIR, '../corpus/breakpad/minidump2.dmp'))), 'minidump2.dmp'), { symbolLocator: locator });
    expect(frameNames(model).slice(0, 3)).toEqual(["`anonymous namespace'::CrashFunction", 'main', '__tmainCRTStartup']);
    // test_app and kernel32 are on the crashed thread's stack, ntdll on the other thread's; the
    // other 10 modules are never looked up.
    expect(asked.map((r) => r.debugFile).sort()).toEqual(['kernel32.pdb', 'ntdll.pdb', 'test_app.pdb']);
    expect(model.modules).toHaveLength(13);
  });
});

describe('sorting files by content', () => {
  it('tells a PDB, an MSF 2.0 database and a .sym from each other and from anything else', () => {
    const text = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(symbolFileKind(new Uint8Array(readFileSync(join(DIR, 'inline-crash.pdb'))).subarray(0, 48))).toBe('pdb');
    expect(symbolFileKind(text('Microsoft C/C++ program database 2.00\r\n\x1aJG\0\0'))).toBe('pdb-msf2');
    expect(symbolFileKind(text('MODULE windows x86 5A98 test_app.pdb\n'))).toBe('breakpad-sym');
    expect(symbolFileKind(text('\ufeffMODULE Linux x86_64 0 a\n'))).toBe('breakpad-sym');
    expect(symbolFileKind(text('MZ\x90\0'))).toBeNull();
    expect(symbolFileKind(text('MODULES are great'))).toBeNull();
  });
});
