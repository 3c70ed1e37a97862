import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { loadPeFile } from '../../../src/engine/pe/pe-image.ts';
import { readUnwindInfo } from '../../../src/engine/pe/unwind-info.ts';
import { buildPe, type UnwindInfoSpec } from '../../synth/pe-builder.ts';

async function decode(spec: UnwindInfoSpec, fn = { begin: 0x1000, end: 0x1100 }) {
  const image = buildPe({ machine: 'amd64', imageBase: 0x180000000n, text: { size: 0x100 }, pdata: [{ ...fn, unwind: spec }] });
  const rva = image.layout.unwindRvas[0]!;
  const img = await loadPeFile(new Uint8ArraySource(image.file, 'u.dll'));
  return readUnwindInfo(img.reader, rva, { ...fn, unwindInfo: rva });
}

describe('UNWIND_INFO decoding', () => {
  it('decodes every version-1 unwind code with its operands', async () => {
    const r = await decode({
      prologSize: 0x30,
      frameRegister: 5,
      frameOffset: 0x20,
      codes: [
        { op: 'save-xmm128-far', at: 0x30, reg: 15, offset: 0x12340 },
        { op: 'save-xmm128', at: 0x2c, reg: 6, offset: 0x40 },
        { op: 'save-nonvol-far', at: 0x28, reg: 12, offset: 0x10008 },
        { op: 'save-nonvol', at: 0x24, reg: 6, offset: 0x58 },
        { op: 'set-fpreg', at: 0x20 },
        { op: 'alloc-large', at: 0x1c, size: 0x123458, wide: true },
        { op: 'alloc-large', at: 0x15, size: 0x7fff8 },
        { op: 'alloc-small', at: 0x0e, size: 0x80 },
        { op: 'push-nonvol', at: 0x0a, reg: 13 },
        { op: 'push-nonvol', at: 0x08, reg: 3 },
        { op: 'push-machframe', at: 0x00, errorCode: true },
      ],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.info).toMatchObject({ version: 1, flags: 0, sizeOfProlog: 0x30, frameRegister: 5, frameOffset: 0x20, chained: null, handler: null });
    expect(r.info.codes).toEqual([
      { op: 'UWOP_SAVE_XMM128_FAR', codeOffset: 0x30, register: 15, offset: 0x12340 },
      { op: 'UWOP_SAVE_XMM128', codeOffset: 0x2c, register: 6, offset: 0x40 },
      { op: 'UWOP_SAVE_NONVOL_FAR', codeOffset: 0x28, register: 12, offset: 0x10008 },
      { op: 'UWOP_SAVE_NONVOL', codeOffset: 0x24, register: 6, offset: 0x58 },
      { op: 'UWOP_SET_FPREG', codeOffset: 0x20 },
      { op: 'UWOP_ALLOC_LARGE', codeOffset: 0x1c, size: 0x123458 },
      { op: 'UWOP_ALLOC_LARGE', codeOffset: 0x15, size: 0x7fff8 },
      { op: 'UWOP_ALLOC_SMALL', codeOffset: 0x0e, size: 0x80 },
      { op: 'UWOP_PUSH_NONVOL', codeOffset: 0x0a, register: 13 },
      { op: 'UWOP_PUSH_NONVOL', codeOffset: 0x08, register: 3 },
      { op: 'UWOP_PUSH_MACHFRAME', codeOffset: 0x00, errorCode: true },
    ]);
  });

  it('reads version 1 op 6/7 as the old 64-bit XMM saves', async () => {
    const r = await decode({
      prologSize: 8,
      codes: [
        { op: 'raw', slots: [0x08 | (6 << 8) | (7 << 12), 3] },
        { op: 'raw', slots: [0x04 | (7 << 8) | (8 << 12), 0x10, 1] },
      ],
    });
    expect(r.ok && r.info.codes).toEqual([
      { op: 'UWOP_SAVE_XMM', codeOffset: 8, register: 7, offset: 24 },
      { op: 'UWOP_SAVE_XMM_FAR', codeOffset: 4, register: 8, offset: 0x10010 },
    ]);
  });

  it('reads version 2 epilog codes and places the epilogs from the end of the function', async () => {
    const r = await decode(
      {
        version: 2,
        prologSize: 6,
        // First: size 5, bit 0 = an epilog ends the function. Then one 0x40 back from the end, then padding.
        codes: [
          { op: 'epilog', offsetLow: 5, info: 1 },
          { op: 'epilog', offsetLow: 0x40, info: 0 },
          { op: 'epilog', offsetLow: 0, info: 0 },
          { op: 'alloc-small', at: 6, size: 0x28 },
          { op: 'push-nonvol', at: 2, reg: 3 },
        ],
      },
      { begin: 0x1000, end: 0x1100 },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.info.version).toBe(2);
    expect(r.info.epilogs).toEqual([
      { begin: 0x10fb, end: 0x1100 },
      { begin: 0x10c0, end: 0x10c5 },
    ]);
    expect(r.info.codes.filter((c) => c.op !== 'UWOP_EPILOG')).toEqual([
      { op: 'UWOP_ALLOC_SMALL', codeOffset: 6, size: 0x28 },
      { op: 'UWOP_PUSH_NONVOL', codeOffset: 2, register: 3 },
    ]);
  });

  it('reads the chained parent entry and the exception handler', async () => {
    const chained = await decode({ prologSize: 4, codes: [{ op: 'alloc-small', at: 4, size: 0x20 }], chained: { begin: 0x1000, end: 0x1080, unwindRva: 0x3040 } });
    expect(chained.ok && chained.info.chained).toEqual({ begin: 0x1000, end: 0x1080, unwindInfo: 0x3040 });
    expect(chained.ok && chained.info.flags).toBe(4);
    // Odd code count: the trailer follows a padding slot.
    const handled = await decode({ flags: 1, prologSize: 1, codes: [{ op: 'push-nonvol', at: 1, reg: 5 }], handlerRva: 0x1abc });
    expect(handled.ok && handled.info.handler).toBe(0x1abc);
  });

  it('refuses unknown versions, reserved codes and codes that run past the count', async () => {
    const v3 = await decode({ version: 3, prologSize: 0, codes: [] });
    expect(v3).toEqual({ ok: false, message: expect.stringMatching(/unknown version 3/) });
    const op11 = await decode({ prologSize: 0, codes: [{ op: 'raw', slots: [0x0b00] }] });
    expect(op11).toEqual({ ok: false, message: expect.stringMatching(/unknown unwind code 11/) });
    const spare = await decode({ version: 2, prologSize: 0, codes: [{ op: 'raw', slots: [7 << 8, 0, 0] }] });
    expect(spare.ok).toBe(false);
    // SAVE_NONVOL needs two slots but the count says one.
    const cut = await decode({ prologSize: 4, codeCount: 1, codes: [{ op: 'raw', slots: [0x04 | (4 << 8), 0x10] }] });
    expect(cut).toEqual({ ok: false, message: expect.stringMatching(/runs past its 1 slots/) });
    const bigAllocInfo = await decode({ prologSize: 0, codes: [{ op: 'raw', slots: [(1 << 8) | (2 << 12), 0, 0] }] });
    expect(bigAllocInfo.ok).toBe(false);
  });

  it('says when the unwind info is not in the image', async () => {
    const image = buildPe({ machine: 'amd64', imageBase: 0x180000000n, text: { size: 0x10 } });
    const past = image.sizeOfImage + 0x5000;
    const img = await loadPeFile(new Uint8ArraySource(image.file, 'u.dll'));
    const r = await readUnwindInfo(img.reader, past, { begin: 0x1000, end: 0x1010, unwindInfo: past });
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/not available/) });
  });
});
