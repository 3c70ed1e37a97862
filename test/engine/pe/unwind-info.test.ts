import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { loadPeFile } from '../../../src/engine/pe/pe-image.ts';
import { readUnwindInfo } from '../../../src/engine/pe/unwind-info.ts';
import { Section } from '../../synth/section.ts';
import { buildX64Image, uw, writeUnwindInfo, XDATA_RVA, type UnwindSpec } from './support/pe-builder.ts';

async function decode(spec: UnwindSpec | ((w: Section) => number), fn = { begin: 0x1000, end: 0x1100 }) {
  let rva = 0;
  const { image } = buildX64Image({
    code: new Uint8Array(0x100),
    functions: [],
    prepareXdata: (w) => {
      rva = typeof spec === 'function' ? spec(w) : writeUnwindInfo(w, spec);
    },
  });
  const img = await loadPeFile(new Uint8ArraySource(image.file, 'u.dll'));
  return readUnwindInfo(img.reader, rva, { ...fn, unwindInfo: rva });
}

describe('UNWIND_INFO decoding', () => {
  it('decodes every version-1 unwind code with its operands', async () => {
    const r = await decode({
      prolog: 0x30,
      frameRegister: 5,
      frameOffset: 0x20,
      codes: [
        uw.saveXmm128Far(0x30, 15, 0x12340),
        uw.saveXmm128(0x2c, 6, 0x40),
        uw.saveNonvolFar(0x28, 12, 0x10008),
        uw.saveNonvol(0x24, 6, 0x58),
        uw.setFpreg(0x20),
        uw.allocLarge32(0x1c, 0x123458),
        uw.allocLarge16(0x15, 0x7fff8),
        uw.allocSmall(0x0e, 0x80),
        uw.pushNonvol(0x0a, 13),
        uw.pushNonvol(0x08, 3),
        uw.pushMachframe(0x00, true),
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
    const r = await decode({ prolog: 8, codes: [[0x08 | (6 << 8) | (7 << 12), 3], [0x04 | (7 << 8) | (8 << 12), 0x10, 1]] });
    expect(r.ok && r.info.codes).toEqual([
      { op: 'UWOP_SAVE_XMM', codeOffset: 8, register: 7, offset: 24 },
      { op: 'UWOP_SAVE_XMM_FAR', codeOffset: 4, register: 8, offset: 0x10010 },
    ]);
  });

  it('reads version 2 epilog codes and places the epilogs from the end of the function', async () => {
    const r = await decode(
      {
        version: 2,
        prolog: 6,
        // First: size 5, bit 0 = an epilog ends the function. Then one 0x40 back from the end, then padding.
        codes: [uw.epilog(5, 1), uw.epilog(0x40, 0), uw.epilog(0, 0), uw.allocSmall(6, 0x28), uw.pushNonvol(2, 3)],
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
    const chained = await decode({ prolog: 4, codes: [uw.allocSmall(4, 0x20)], chained: { begin: 0x1000, end: 0x1080, unwindInfo: 0x3040 } });
    expect(chained.ok && chained.info.chained).toEqual({ begin: 0x1000, end: 0x1080, unwindInfo: 0x3040 });
    expect(chained.ok && chained.info.flags).toBe(4);
    // Odd code count: the trailer follows a padding slot.
    const handled = await decode({ flags: 1, prolog: 1, codes: [uw.pushNonvol(1, 5)], handler: 0x1abc });
    expect(handled.ok && handled.info.handler).toBe(0x1abc);
  });

  it('refuses unknown versions, reserved codes and codes that run past the count', async () => {
    const v3 = await decode({ version: 3, prolog: 0, codes: [] });
    expect(v3).toEqual({ ok: false, message: expect.stringMatching(/unknown version 3/) });
    const op11 = await decode({ prolog: 0, codes: [[0x0b00]] });
    expect(op11).toEqual({ ok: false, message: expect.stringMatching(/unknown unwind code 11/) });
    const spare = await decode({ version: 2, prolog: 0, codes: [[7 << 8, 0, 0]] });
    expect(spare.ok).toBe(false);
    // SAVE_NONVOL needs two slots but the count says one.
    const cut = await decode((w) => {
      w.align(4);
      const at = Number(w.origin) + w.offset;
      w.u8(1).u8(4).u8(1).u8(0).u16(0x04 | (4 << 8)).u16(0x10);
      return at;
    });
    expect(cut).toEqual({ ok: false, message: expect.stringMatching(/runs past its 1 slots/) });
    const bigAllocInfo = await decode({ prolog: 0, codes: [[1 << 8 | (2 << 12), 0, 0]] });
    expect(bigAllocInfo.ok).toBe(false);
  });

  it('says when the unwind info is not in the image', async () => {
    const { image } = buildX64Image({ code: new Uint8Array(0x10), functions: [] });
    const img = await loadPeFile(new Uint8ArraySource(image.file, 'u.dll'));
    const r = await readUnwindInfo(img.reader, XDATA_RVA + 0x5000, { begin: 0x1000, end: 0x1010, unwindInfo: XDATA_RVA + 0x5000 });
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/not available/) });
  });
});
