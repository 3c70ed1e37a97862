import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { openPdb } from '../../../src/engine/pdb/open-pdb.ts';
import { buildPdb, MACHINE_AMD64, MACHINE_I386, type PdbSpec } from '../../synth/pdb-builder.ts';

const x86: PdbSpec = {
  machine: MACHINE_I386,
  sections: [{ name: '.text', rva: 0x1000, size: 0x1000 }],
  modules: [],
  fpo: [
    { rva: 0x1000, codeSize: 0x40, localsDwords: 3, paramsDwords: 2, prolog: 6, savedRegs: 2, useBP: true },
    { rva: 0x1100, codeSize: 0x10 },
  ],
  frameData: [
    { rva: 0x1200, codeSize: 0x30, params: 8, maxStack: 0x40, prolog: 1, program: '$T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + = ', functionStart: true },
    { rva: 0x1201, codeSize: 0x2f, locals: 0x10, params: 8, savedRegs: 4, program: '$T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + = $ebp $T0 4 - ^ = ' },
  ],
};

async function open(spec: PdbSpec) {
  return openPdb(new Uint8ArraySource(buildPdb(spec), 'x86.pdb'));
}

describe('x86 frame data', () => {
  it('reads FPO_DATA: sizes in dwords and registers scaled to bytes, fUseBP', async () => {
    const pdb = await open(x86);
    expect(await pdb.x86FrameInfo(0x1010)).toEqual({
      kind: 'fpo',
      startRva: 0x1000,
      codeSize: 0x40,
      localsSize: 12,
      paramsSize: 8,
      prologSize: 6,
      savedRegsSize: 8,
      maxStackSize: null,
      allocatesBasePointer: true,
      program: null,
    });
    expect((await pdb.x86FrameInfo(0x110f))?.startRva).toBe(0x1100);
    expect(await pdb.x86FrameInfo(0x1040)).toBeNull();
    expect(await pdb.x86FrameInfo(0x0fff)).toBeNull();
  });

  it('reads FRAMEDATA with its program, the record of the prolog step the address is in', async () => {
    const pdb = await open(x86);
    expect(await pdb.x86FrameInfo(0x1200)).toMatchObject({ kind: 'framedata', startRva: 0x1200, codeSize: 0x30, program: '$T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + =', maxStackSize: 0x40, prologSize: 1 });
    expect(await pdb.x86FrameInfo(0x1220)).toMatchObject({ startRva: 0x1201, localsSize: 0x10, savedRegsSize: 4, program: '$T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + = $ebp $T0 4 - ^ =' });
    expect(await pdb.x86FrameInfo(0x1230)).toBeNull();
    expect(pdb.warnings).toEqual([]);
  });

  it('gives nothing for a 64-bit PDB, whatever streams it has', async () => {
    const pdb = await open({ ...x86, machine: MACHINE_AMD64 });
    expect(await pdb.x86FrameInfo(0x1010)).toBeNull();
  });

  it('a FRAMEDATA program outside the string table is damage, not a guess', async () => {
    const pdb = await open({ ...x86, omit: { names: true } });
    expect(await pdb.x86FrameInfo(0x1200)).toBeNull();
    expect(pdb.warnings[0]?.message).toMatch(/^x86\.pdb: FRAMEDATA names its program in "\/names", but the PDB has no string table/);
    // FPO_DATA needs no strings.
    expect((await pdb.x86FrameInfo(0x1010))?.kind).toBe('fpo');
  });
});
