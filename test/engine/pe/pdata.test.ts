import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { loadMappedPeImage, loadPeFile } from '../../../src/engine/pe/pe-image.ts';
import { SyntheticAddressSpace } from '../../synth/memory-space.ts';
import { buildX64Image, PDATA_RVA, XDATA_RVA, uw, writeUnwindInfo } from './support/pe-builder.ts';

const leafish = { prolog: 4, codes: [uw.allocSmall(4, 0x28)] };

// Functions of 0x10 bytes with a 0x10 gap between them (RVAs in the gaps have no entry), all
// sharing one UNWIND_INFO written first in .xdata.
function functions(count: number) {
  return {
    prepareXdata: (w: Parameters<typeof writeUnwindInfo>[0]) => void writeUnwindInfo(w, leafish),
    functions: Array.from({ length: count }, (_, i) => ({ begin: 0x1000 + i * 0x20, end: 0x1010 + i * 0x20, unwind: XDATA_RVA })),
  };
}

describe('.pdata function table', () => {
  it('finds the entry holding an RVA by binary search, and tells leaf functions apart', async () => {
    const { image } = buildX64Image({ code: new Uint8Array(0x1000), ...functions(100) });
    const img = await loadPeFile(new Uint8ArraySource(image.file, 'f.dll'));
    const table = await img.functionTable();
    expect(table!.count).toBe(100);
    expect(await img.findFunction(0x1000)).toMatchObject({ kind: 'found', fn: { begin: 0x1000, end: 0x1010 } });
    expect(await img.findFunction(0x1c6f)).toMatchObject({ kind: 'found', fn: { begin: 0x1c60, end: 0x1c70 } });
    expect(await img.findFunction(0x1c70)).toEqual({ kind: 'leaf' }); // end is exclusive
    expect(await img.findFunction(0x0fff)).toEqual({ kind: 'leaf' });
    expect(await img.findFunction(0x1c7f)).toEqual({ kind: 'leaf' });
    expect(await img.functionEntry(0x1000 + 99 * 0x20 + 5)).toMatchObject({ begin: 0x1000 + 99 * 0x20 });
  });

  it('follows an indirect entry (odd UnwindData) to the primary RUNTIME_FUNCTION', async () => {
    const { image, unwindRvas } = buildX64Image({
      code: new Uint8Array(0x200),
      functions: [
        { begin: 0x1000, end: 0x1040, unwind: leafish },
        // A split-off part of the function above: its entry points at entry 0, low bit set.
        { begin: 0x1100, end: 0x1120, unwind: 0, rawUnwindData: PDATA_RVA + 1 },
      ],
    });
    const img = await loadPeFile(new Uint8ArraySource(image.file, 'f.dll'));
    expect(await img.findFunction(0x1110)).toEqual({ kind: 'found', fn: { begin: 0x1000, end: 0x1040, unwindInfo: unwindRvas[0] } });
  });

  it('reports a corrupt table as unknown, with a warning, never as a leaf', async () => {
    const { image } = buildX64Image({
      code: new Uint8Array(0x200),
      functions: [
        { begin: 0x1000, end: 0x1040, unwind: leafish },
        { begin: 0x1080, end: 0x1070, unwind: leafish }, // end before begin
        { begin: 0x1090, end: 0x10a0, unwind: 0, rawUnwindData: 0x7777 }, // indirect into nowhere
      ],
    });
    const img = await loadPeFile(new Uint8ArraySource(image.file, 'bad.dll'));
    expect(await img.findFunction(0x1081)).toEqual({ kind: 'unknown' });
    expect(await img.findFunction(0x1050)).toEqual({ kind: 'leaf' }); // after a sound entry
    expect(await img.findFunction(0x1095)).toEqual({ kind: 'unknown' });
    expect(img.warnings.map((w) => w.kind)).toContain('pe-pdata');
  });

  it('refuses an exception directory that lies outside the image', async () => {
    const { image } = buildX64Image({ code: new Uint8Array(0x10), ...functions(2), pdataSizeOverride: 0x7fffff00 });
    const img = await loadPeFile(new Uint8ArraySource(image.file, 'huge.dll'));
    expect(await img.functionTable()).toBeNull();
    expect(await img.findFunction(0x1000)).toEqual({ kind: 'unknown' });
    expect(img.warnings[0]?.message).toMatch(/exception directory .* lies outside the image/);
  });

  it('probes entry by entry when the table is partly missing from the dump', async () => {
    const { image } = buildX64Image({ code: new Uint8Array(0x100), ...functions(600) }); // 7200 bytes: two pages
    const memory = new SyntheticAddressSpace()
      .add(0x180000000n, image.mapped.subarray(0, PDATA_RVA)) // the first page of .pdata is missing
      .add(0x180000000n + BigInt(PDATA_RVA + 0x1000), image.mapped.subarray(PDATA_RVA + 0x1000));
    const img = await loadMappedPeImage(memory, 0x180000000n, 'part.dll');
    // Entry 500 is on the captured page, but the search's first probe (entry 299) is not.
    expect(await img.findFunction(0x1000 + 500 * 0x20)).toEqual({ kind: 'unknown' });
    expect(img.warnings.some((w) => /entry 299 not available/.test(w.message))).toBe(true);
    const full = await loadMappedPeImage(new SyntheticAddressSpace().add(0x180000000n, image.mapped), 0x180000000n, 'full.dll');
    expect(await full.findFunction(0x1000 + 5 * 0x20)).toMatchObject({ kind: 'found' });
  });
});

describe('writeUnwindInfo helper', () => {
  it('lays out the header bytes the way the format says', () => {
    const { image } = buildX64Image({ code: new Uint8Array(4), functions: [] , prepareXdata: (w) => { writeUnwindInfo(w, { version: 2, flags: 1, prolog: 9, frameRegister: 5, frameOffset: 0x30, codes: [uw.pushNonvol(1, 5)], handler: 0x1234 }); } });
    const x = image.mapped.subarray(XDATA_RVA, XDATA_RVA + 12);
    expect(Array.from(x)).toEqual([0x0a, 9, 1, 0x35, 1, 0x50, 0, 0, 0x34, 0x12, 0, 0]);
  });
});
