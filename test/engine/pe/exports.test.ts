import { listExports } from '../../../src/engine/pe/exports.ts';
import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { MAX_EXPORTS } from '../../../src/engine/pe/exports.ts';
import { loadMappedPeImage, loadPeFile } from '../../../src/engine/pe/pe-image.ts';
import { SyntheticAddressSpace } from '../../synth/memory-space.ts';
import {
  buildPeFromSections,
  exportDirectory,
  flatImage,
  SCN_CODE_EXECUTE_READ,
  SCN_INITIALIZED_READ,
  SCN_INITIALIZED_READ_WRITE,
  type ExportSpec,
} from '../../synth/pe-builder.ts';

// By ordinal, from 1.
const EXPORTS: (ExportSpec | null)[] = [
  { name: 'CreateThing', rva: 0x1010 },
  { name: 'DestroyThing', rva: 0x1080 },
  { rva: 0x10c0 }, // 3: by ordinal only
  { name: 'HeapAllocForwarded', rva: 0, forwarder: 'NTDLL.RtlAllocateHeap' },
  { name: 'g_table', rva: 0x2000 }, // 5: data
  null, // ordinal 6 is a gap
  { name: 'AliasOfCreate', rva: 0x1010 }, // 7: same address as 1
];

function image(exports = EXPORTS) {
  const ed = exportDirectory(0x3000, { dllName: 'thing.dll', functions: exports, ordinalBase: 1 });
  return buildPeFromSections({
    machine: 'x86',
    imageBase: 0x10000000n,
    sections: [
      { name: '.text', rva: 0x1000, bytes: new Uint8Array(0x200).fill(0xcc), characteristics: SCN_CODE_EXECUTE_READ },
      { name: '.data', rva: 0x2000, bytes: new Uint8Array(0x40), characteristics: SCN_INITIALIZED_READ_WRITE },
      { name: '.edata', rva: 0x3000, bytes: ed, characteristics: SCN_INITIALIZED_READ },
    ],
    directories: { 0: { rva: 0x3000, size: ed.length } },
  });
}

describe('export table', () => {
  it('reads names, ordinals and forwarders, from memory and from a file alike', async () => {
    const built = image();
    const fromFile = await loadPeFile(new Uint8ArraySource(built.file, 'thing.dll'));
    const fromMemory = await loadMappedPeImage(new SyntheticAddressSpace().add(0x10000000n, flatImage(built)), 0x10000000n, 'thing.dll');
    for (const img of [fromFile, fromMemory]) {
      const table = await img.exports();
      expect(table).not.toBeNull();
      expect(table!.dllName).toBe('thing.dll');
      expect(table!.ordinalBase).toBe(1);
      const entries = await listExports(table!);
      expect(entries.map((e) => [e.ordinal, e.rva, e.name, e.forwarder])).toEqual([
        [1, 0x1010, 'CreateThing', null],
        [7, 0x1010, 'AliasOfCreate', null],
        [2, 0x1080, 'DestroyThing', null],
        [3, 0x10c0, null, null],
        [5, 0x2000, 'g_table', null],
        [4, entries.find((e) => e.ordinal === 4)!.rva, 'HeapAllocForwarded', 'NTDLL.RtlAllocateHeap'],
      ]);
      expect(img.warnings).toEqual([]);
    }
  });

  it('names an address by the nearest preceding export, as WinDbg does without symbols', async () => {
    const img = await loadPeFile(new Uint8ArraySource(image().file, 'thing.dll'));
    expect(await img.exportFor(0x1010)).toEqual({ name: 'CreateThing', offset: 0 });
    expect(await img.exportFor(0x102d)).toEqual({ name: 'CreateThing', offset: 0x1d });
    expect(await img.exportFor(0x10a0)).toEqual({ name: 'DestroyThing', offset: 0x20 });
    expect(await img.exportFor(0x10c4)).toEqual({ name: 'Ordinal3', offset: 4 });
    expect(await img.exportFor(0x11f0)).toEqual({ name: 'Ordinal3', offset: 0x130 });
    // Before the first export, outside any section, in another section than the nearest
    // export, past the image: none.
    expect(await img.exportFor(0x1000)).toBeNull();
    expect(await img.exportFor(0x1f00)).toBeNull();
    expect(await img.exportFor(0x2010)).toEqual({ name: 'g_table', offset: 0x10 });
    expect(await img.exportFor(0x3004)).toBeNull(); // .edata: forwarder strings are not code
    expect(await img.exportFor(0x99999)).toBeNull();
  });

  it('caps an absurd function count instead of allocating it', async () => {
    const built = image();
    // NumberOfFunctions (directory offset 20) = 0xffffffff in the file image.
    const dirRaw = built.file.length - 0x200; // .edata is the last section
    built.file.set([0xff, 0xff, 0xff, 0xff], dirRaw + 20);
    const img = await loadPeFile(new Uint8ArraySource(built.file, 'big.dll'));
    const table = await img.exports();
    // The capped table runs off the section, so it cannot be read: a warning, no crash.
    expect(table).toBeNull();
    expect(img.warnings.map((w) => w.message).join('\n')).toMatch(new RegExp(`claims 4294967295 functions; reading the first ${MAX_EXPORTS}`));
  });

  it('keeps the exports whose names are readable when a name pointer is wild', async () => {
    const built = image();
    const dirRaw = built.file.length - 0x200;
    const namesRva = built.file[dirRaw + 32]! | (built.file[dirRaw + 33]! << 8);
    const at = dirRaw + (namesRva - 0x3000);
    built.file.set([0x00, 0x00, 0xff, 0x7f], at); // first name pointer → far outside the image
    const img = await loadPeFile(new Uint8ArraySource(built.file, 'wild.dll'));
    const table = await img.exports();
    // Names are read when an address is named by them; the wild one then costs only itself.
    expect((await listExports(table!)).filter((e) => e.name !== null)).toHaveLength(4);
    // The wild one (the first name pointer: AliasOfCreate, ordinal 7) reads as no name.
    expect((await listExports(table!)).find((e) => e.ordinal === 7)?.name).toBeNull();
  });
});
