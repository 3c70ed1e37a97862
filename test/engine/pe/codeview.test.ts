import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { parseCodeView } from '../../../src/engine/pe/codeview.ts';
import { loadMappedPeImage, loadPeFile } from '../../../src/engine/pe/pe-image.ts';
import { Section } from '../../synth/section.ts';
import { SyntheticAddressSpace } from '../../synth/memory-space.ts';
import { buildPeFromSections, flatImage, SCN_CODE_EXECUTE_READ, SCN_INITIALIZED_READ } from '../../synth/pe-builder.ts';

// fizzbuzz.exe's record as LLDB prints it: 0F45B791-9A96-46F9-BF8F-2D6076EA421A, age 0x11.
function rsds(pdb: string): Uint8Array {
  return new Section()
    .ascii('RSDS', false)
    .u32(0x0f45b791)
    .u16(0x9a96)
    .u16(0x46f9)
    .bytes([0xbf, 0x8f, 0x2d, 0x60, 0x76, 0xea, 0x42, 0x1a])
    .u32(0x11)
    .ascii(pdb)
    .toBytes();
}

describe('CodeView record', () => {
  it('formats an RSDS id as Breakpad and the symbol server do', () => {
    expect(parseCodeView(rsds('C:\\fizzbuzz\\Debug\\fizzbuzz.pdb'))).toEqual({
      format: 'RSDS',
      pdbName: 'C:\\fizzbuzz\\Debug\\fizzbuzz.pdb',
      guid: '0F45B791-9A96-46F9-BF8F-2D6076EA421A',
      signature: null,
      age: 0x11,
      debugId: '0F45B7919A9646F9BF8F2D6076EA421A11',
    });
  });

  it('formats an NB10 id from its signature and age', () => {
    const nb10 = new Section().ascii('NB10', false).u32(0).u32(0x3a1b2c4d).u32(2).ascii('old.pdb').toBytes();
    expect(parseCodeView(nb10)).toMatchObject({ format: 'NB10', pdbName: 'old.pdb', guid: null, signature: 0x3a1b2c4d, age: 2, debugId: '3A1B2C4D2' });
    expect(parseCodeView(new Uint8Array([0x52, 0x53, 0x44]))).toBeNull();
    expect(parseCodeView(new TextEncoder().encode('XXXX0123456789012345678901234'))).toBeNull();
  });

  it('finds the record through the debug directory in both image layouts', async () => {
    const record = rsds('app.pdb');
    // .rdata at 0x2000: a POGO entry first (type 13), then CodeView (type 2) pointing at +0x40.
    const rdata = new Section(0x2000);
    rdata.u32(0).u32(0).u16(0).u16(0).u32(13).u32(8).u32(0x2038).u32(0);
    rdata.u32(0).u32(0).u16(0).u16(0).u32(2).u32(record.length).u32(0x2040).u32(0x600 + 0x40);
    rdata.padTo(0x40).bytes(record);
    const built = buildPeFromSections({
      machine: 'x86',
      imageBase: 0x400000n,
      sections: [
        { name: '.text', rva: 0x1000, bytes: new Uint8Array(0x10), characteristics: SCN_CODE_EXECUTE_READ },
        { name: '.rdata', rva: 0x2000, bytes: rdata.toBytes(), characteristics: SCN_INITIALIZED_READ },
      ],
      directories: { 6: { rva: 0x2000, size: 56 } },
    });
    const fromFile = await loadPeFile(new Uint8ArraySource(built.file, 'app.exe'));
    const fromMemory = await loadMappedPeImage(new SyntheticAddressSpace().add(0x400000n, flatImage(built)), 0x400000n, 'app.exe');
    for (const img of [fromFile, fromMemory]) {
      expect(await img.codeView()).toMatchObject({ pdbName: 'app.pdb', debugId: '0F45B7919A9646F9BF8F2D6076EA421A11' });
    }
    // Headers captured but not .rdata: null with a warning.
    const partial = await loadMappedPeImage(new SyntheticAddressSpace().add(0x400000n, flatImage(built).subarray(0, 0x1000)), 0x400000n, 'app.exe');
    expect(await partial.codeView()).toBeNull();
    expect(partial.warnings[0]?.message).toMatch(/debug directory not available/);
  });
});
