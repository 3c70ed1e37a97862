// Real PE files built by a real toolchain (mingw-w64 GCC + GNU ld), checked against what
// x86_64-w64-mingw32-objdump -x prints for them (see fixtures/pe/README.md).
import { listExports } from '../../../src/engine/pe/exports.ts';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { IMAGE_FILE_MACHINE_AMD64 } from '../../../src/engine/pe/pe-headers.ts';
import { loadPeFile, type PeImage } from '../../../src/engine/pe/pe-image.ts';

async function load(path: string, name: string): Promise<PeImage> {
  const bytes = new Uint8Array(await readFile(new URL(`../../../fixtures/${path}`, import.meta.url)));
  return loadPeFile(new Uint8ArraySource(bytes, name));
}

describe('nullptr.exe (mingw x64 program from the Wine corpus)', () => {
  it('has the headers objdump reports', async () => {
    const img = await load('corpus/wine/nullptr.exe', 'nullptr.exe');
    expect(img.headers.machine).toBe(IMAGE_FILE_MACHINE_AMD64);
    expect(img.headers.format).toBe('pe32+');
    expect(img.headers.imageBase).toBe(0x140000000n);
    expect(img.headers.entryPoint).toBe(0x14d0);
    expect(img.headers.sizeOfImage).toBe(0x40000);
    expect(img.headers.sizeOfHeaders).toBe(0x600);
    expect(img.headers.checksum).toBe(0x46544);
    expect(img.headers.sections).toHaveLength(19);
    expect(img.headers.sections.slice(0, 5).map((s) => [s.name, s.virtualAddress, s.rawOffset])).toEqual([
      ['.text', 0x1000, 0x600],
      ['.data', 0x8000, 0x7600],
      ['.rdata', 0x9000, 0x7800],
      ['.pdata', 0xa000, 0x8600],
      ['.xdata', 0xb000, 0x8c00],
    ]);
    // Long section names live in the COFF string table; the header holds "/4"-style names.
    expect(img.headers.sections[18]!.virtualAddress).toBe(0x3f000);
    expect(img.headers.dataDirectories[1]).toEqual({ rva: 0xd000, size: 0x828 });
    expect(img.headers.dataDirectories[3]).toEqual({ rva: 0xa000, size: 0x498 });
    expect(img.headers.dataDirectories[9]).toEqual({ rva: 0x9060, size: 0x28 });
    expect(await img.exports()).toBeNull();
    expect(await img.codeView()).toBeNull();
    expect(img.warnings).toEqual([]);
  });

  it('has the .pdata entries and unwind info objdump decodes', async () => {
    const img = await load('corpus/wine/nullptr.exe', 'nullptr.exe');
    expect((await img.functionTable())!.count).toBe(0x498 / 12);
    const writeField = await img.functionEntry(0x1683);
    expect(writeField).toEqual({ begin: 0x1677, end: 0x168c, unwindInfo: 0xb090 });
    const info = await img.unwindInfo(writeField!);
    expect(info.ok && info.info).toMatchObject({ version: 1, sizeOfProlog: 4, frameRegister: 5, frameOffset: 0 });
    expect(info.ok && info.info.codes).toEqual([
      { op: 'UWOP_SET_FPREG', codeOffset: 4 },
      { op: 'UWOP_PUSH_NONVOL', codeOffset: 1, register: 5 },
    ]);
    // filter(): rbp = rsp + 0x60, alloc 0x68, push rbx, push rbp.
    const filter = await img.functionEntry(0x1600);
    expect(filter).toEqual({ begin: 0x1573, end: 0x1677, unwindInfo: 0xb084 });
    const f = await img.unwindInfo(filter!);
    expect(f.ok && f.info).toMatchObject({ sizeOfProlog: 0x0b, frameRegister: 5, frameOffset: 0x60 });
    expect(f.ok && f.info.codes.map((c) => c.op)).toEqual(['UWOP_SET_FPREG', 'UWOP_ALLOC_SMALL', 'UWOP_PUSH_NONVOL', 'UWOP_PUSH_NONVOL']);
    // __tmainCRTStartup: alloc large 0x90 and five pushes.
    const crt = await img.functionEntry(0x13ae);
    expect(crt).toEqual({ begin: 0x1180, end: 0x14ae, unwindInfo: 0xb014 });
    const c = await img.unwindInfo(crt!);
    expect(c.ok && c.info.codes[0]).toEqual({ op: 'UWOP_ALLOC_LARGE', codeOffset: 0x0d, size: 0x90 });
    expect(c.ok && c.info.codes.slice(1).map((x) => (x.op === 'UWOP_PUSH_NONVOL' ? x.register : -1))).toEqual([3, 6, 7, 5, 12]);
    // mainCRTStartup has an exception handler.
    const start = await img.functionEntry(0x14d0);
    const s = await img.unwindInfo(start!);
    expect(s.ok && s.info).toMatchObject({ flags: 1, handler: 0x7c60 });
    // Between functions (0x14ae..0x14b0) there is no entry.
    expect(await img.findFunction(0x14af)).toEqual({ kind: 'leaf' });
    // The last entry.
    expect(await img.functionEntry(0x7e02)).toEqual({ begin: 0x7e00, end: 0x7e05, unwindInfo: 0xb44c });
  });
});

describe('atlas.dll (exports, forwarder, CodeView)', () => {
  it('reads the export table objdump prints', async () => {
    const img = await load('pe/atlas.dll', 'atlas.dll');
    expect(img.headers.imageBase).toBe(0x35ba50000n);
    expect(img.headers.sizeOfImage).toBe(0xe000);
    expect(img.headers.checksum).toBe(0x10439);
    const table = await img.exports();
    expect(table!.dllName).toBe('atlas.dll');
    expect(table!.ordinalBase).toBe(1);
    expect((await listExports(table!)).map((e) => [e.ordinal, e.rva, e.name, e.forwarder])).toEqual([
      [1, 0x1370, 'atlas_add', null],
      [2, 0x1374, 'atlas_sum', null],
      [5, 0x13c9, null, null],
      [3, 0x3010, 'atlas_counter', null],
      [4, 0x905e, 'AtlasForward', 'kernel32.GetTickCount'],
    ]);
    expect(await img.exportFor(0x1380)).toEqual({ name: 'atlas_sum', offset: 0xc });
    expect(await img.exportFor(0x13cc)).toEqual({ name: 'Ordinal5', offset: 3 });
    expect(await img.exportFor(0x3014)).toEqual({ name: 'atlas_counter', offset: 4 });
    expect(await img.exportFor(0x1300)).toBeNull();
  });

  it('reads the RSDS record objdump prints', async () => {
    const img = await load('pe/atlas.dll', 'atlas.dll');
    // objdump: "format RSDS signature 69ef45d672ba67161ba158323175d806 age 1 pdb atlas.pdb": the GUID
    // with its first three fields byte-swapped from the file's little-endian bytes (d6 45 ef 69 …).
    expect(await img.codeView()).toEqual({
      format: 'RSDS',
      pdbName: 'atlas.pdb',
      guid: '69EF45D6-72BA-6716-1BA1-58323175D806',
      signature: null,
      age: 1,
      debugId: '69EF45D672BA67161BA158323175D8061',
    });
    // atlas_sum: alloc large 0x120, push rbx, push rsi, push rdi.
    const fn = await img.functionEntry(0x1380);
    expect(fn).toEqual({ begin: 0x1374, end: 0x13c9, unwindInfo: 0x703c });
  });
});
