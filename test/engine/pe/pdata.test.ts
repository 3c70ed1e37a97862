import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { loadMappedPeImage, loadPeFile } from '../../../src/engine/pe/pe-image.ts';
import { SyntheticAddressSpace } from '../../synth/memory-space.ts';
import { buildPe, flatImage, type PeSpec, type UnwindInfoSpec } from '../../synth/pe-builder.ts';

const leafish: UnwindInfoSpec = { prologSize: 4, codes: [{ op: 'alloc-small', at: 4, size: 0x28 }] };

// Functions of 0x10 bytes with a 0x10 gap between them (RVAs in the gaps have no entry).
function functions(count: number): Pick<PeSpec, 'text' | 'pdata'> {
  return {
    text: { size: count * 0x20 },
    pdata: Array.from({ length: count }, (_, i) => ({ begin: 0x1000 + i * 0x20, end: 0x1010 + i * 0x20, unwind: leafish })),
  };
}

const x64 = { machine: 'amd64', imageBase: 0x180000000n } as const;

describe('.pdata function table', () => {
  it('finds the entry holding an RVA by binary search, and tells leaf functions apart', async () => {
    const image = buildPe({ ...x64, ...functions(100) });
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
    const image = buildPe({
      ...x64,
      text: { size: 0x200 },
      pdata: [
        { begin: 0x1000, end: 0x1040, unwind: leafish },
        // A split-off part of the function above: its entry points at entry 0, low bit set.
        { begin: 0x1100, end: 0x1120, indirectTo: 0x1000 },
      ],
    });
    expect(image.layout.unwindRvas[1]).toBe(image.layout.pdataRva! + 1);
    const img = await loadPeFile(new Uint8ArraySource(image.file, 'f.dll'));
    expect(await img.findFunction(0x1110)).toEqual({ kind: 'found', fn: { begin: 0x1000, end: 0x1040, unwindInfo: image.layout.unwindRvas[0] } });
  });

  it('reports a corrupt table as unknown, with a warning, never as a leaf', async () => {
    const image = buildPe({
      ...x64,
      text: { size: 0x200 },
      pdata: [
        { begin: 0x1000, end: 0x1040, unwind: leafish },
        { begin: 0x1080, end: 0x1070, unwind: leafish }, // end before begin
        { begin: 0x1090, end: 0x10a0, unwindData: 0x7777 }, // indirect into nowhere
      ],
    });
    const img = await loadPeFile(new Uint8ArraySource(image.file, 'bad.dll'));
    expect(await img.findFunction(0x1081)).toEqual({ kind: 'unknown' });
    expect(await img.findFunction(0x1050)).toEqual({ kind: 'leaf' }); // after a sound entry
    expect(await img.findFunction(0x1095)).toEqual({ kind: 'unknown' });
    expect(img.warnings.map((w) => w.kind)).toContain('pe-pdata');
  });

  it('refuses an exception directory that lies outside the image', async () => {
    const image = buildPe({ ...x64, ...functions(2), pdataSize: 0x7fffff00 });
    const img = await loadPeFile(new Uint8ArraySource(image.file, 'huge.dll'));
    expect(await img.functionTable()).toBeNull();
    expect(await img.findFunction(0x1000)).toEqual({ kind: 'unknown' });
    expect(img.warnings[0]?.message).toMatch(/exception directory .* lies outside the image/);
  });

  it('probes entry by entry when the table is partly missing from the dump', async () => {
    const image = buildPe({ ...x64, ...functions(600) }); // 7200 bytes: two pages
    const pdataRva = image.layout.pdataRva!;
    expect(image.layout.pdataSize).toBe(7200);
    const flat = flatImage(image);
    const memory = new SyntheticAddressSpace()
      .add(0x180000000n, flat.subarray(0, pdataRva)) // the first page of .pdata is missing
      .add(0x180000000n + BigInt(pdataRva + 0x1000), flat.subarray(pdataRva + 0x1000));
    const img = await loadMappedPeImage(memory, 0x180000000n, 'part.dll');
    // Entry 500 is on the captured page, but the search's first probe (entry 299) is not.
    expect(await img.findFunction(0x1000 + 500 * 0x20)).toEqual({ kind: 'unknown' });
    expect(img.warnings.some((w) => /entry 299 not available/.test(w.message))).toBe(true);
    const full = await loadMappedPeImage(new SyntheticAddressSpace().add(0x180000000n, flat), 0x180000000n, 'full.dll');
    expect(await full.findFunction(0x1000 + 5 * 0x20)).toMatchObject({ kind: 'found' });
  });
});
