import { describe, expect, it } from 'vitest';
import { DumpError } from '../../../src/engine/core/errors.ts';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { fileImageReader, mappedImageReader } from '../../../src/engine/pe/image-reader.ts';
import { isExecutableSection, parsePeHeaders } from '../../../src/engine/pe/pe-headers.ts';
import { loadPeFile, loadMappedPeImage } from '../../../src/engine/pe/pe-image.ts';
import { SyntheticAddressSpace } from '../../synth/memory-space.ts';
import {
  buildPeFromSections,
  flatImage,
  IMAGE_FILE_MACHINE_AMD64,
  IMAGE_FILE_MACHINE_I386,
  SCN_CODE_EXECUTE_READ,
  SCN_INITIALIZED_READ_WRITE,
  type PeImageSpec,
} from '../../synth/pe-builder.ts';

const text = Uint8Array.from([0x55, 0x8b, 0xec, 0x5d, 0xc3]);
const data = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);

function spec(format: 'pe32' | 'pe32+'): PeImageSpec {
  return {
    machine: format === 'pe32' ? 'x86' : 'amd64',
    timestamp: 0x4a5bc60f,
    checksum: 0xabcdef,
    imageBase: format === 'pe32' ? 0x400000n : 0x140000000n,
    sections: [
      { name: '.text', rva: 0x1000, bytes: text, characteristics: SCN_CODE_EXECUTE_READ },
      { name: '.data', rva: 0x2000, bytes: data, characteristics: SCN_INITIALIZED_READ_WRITE, virtualSize: 0x1800 },
    ],
    directories: { 3: { rva: 0x2000, size: 0x24 }, 6: { rva: 0x2010, size: 0x1c } },
  };
}

async function bothReaders(s: PeImageSpec) {
  const built = buildPeFromSections(s);
  const memory = new SyntheticAddressSpace().add(0x10000000n, flatImage(built));
  return {
    built,
    mapped: mappedImageReader(memory, 0x10000000n, 'test.dll'),
    file: fileImageReader(new Uint8ArraySource(built.file, 'test.dll')),
  };
}

describe('PE headers', () => {
  for (const format of ['pe32', 'pe32+'] as const) {
    it(`parses a ${format} image the same from memory and from a file`, async () => {
      const { mapped, file } = await bothReaders(spec(format));
      for (const reader of [mapped, file]) {
        const h = await parsePeHeaders(reader);
        expect(h.format).toBe(format);
        expect(h.machine).toBe(format === 'pe32' ? IMAGE_FILE_MACHINE_I386 : IMAGE_FILE_MACHINE_AMD64);
        expect(h.timestamp).toBe(0x4a5bc60f);
        expect(h.checksum).toBe(0xabcdef);
        expect(h.imageBase).toBe(format === 'pe32' ? 0x400000n : 0x140000000n);
        expect(h.sizeOfImage).toBe(0x4000);
        expect(h.sizeOfHeaders).toBe(0x400);
        expect(h.sections.map((s) => s.name)).toEqual(['.text', '.data']);
        expect(h.sections[1]).toMatchObject({ virtualAddress: 0x2000, virtualSize: 0x1800, rawSize: 0x200 });
        expect(isExecutableSection(h.sections[0]!)).toBe(true);
        expect(isExecutableSection(h.sections[1]!)).toBe(false);
        expect(h.dataDirectories).toHaveLength(16);
        expect(h.dataDirectories[3]).toEqual({ rva: 0x2000, size: 0x24 });
        expect(h.dataDirectories[6]).toEqual({ rva: 0x2010, size: 0x1c });
        expect(h.dataDirectories[0]).toEqual({ rva: 0, size: 0 });
      }
    });
  }

  it('reads section bytes by RVA in both layouts, zero-filling past the raw data of a file section', async () => {
    const fromFile = await loadPeFile(new Uint8ArraySource(buildPeFromSections(spec('pe32+')).file, 'x.dll'));
    expect(await fromFile.read(0x1000, 5)).toEqual(text);
    expect(await fromFile.read(0x2000, 8)).toEqual(data);
    // .data is 0x1800 virtual, 0x200 raw: the tail is zeros as the loader leaves it.
    expect(await fromFile.read(0x2400, 4)).toEqual(new Uint8Array(4));
    // Between sections (.text ends at 0x1005 virtual, but its raw size covers 0x200).
    expect(await fromFile.read(0x3800, 4)).toBeNull();
    const image = await loadMappedPeImage(new SyntheticAddressSpace().add(0x7ff0000n, flatImage(buildPeFromSections(spec('pe32+')))), 0x7ff0000n, 'x.dll');
    expect(await image.read(0x1000, 5)).toEqual(text);
    expect(image.isExecutable(0x1002)).toBe(true);
    expect(image.isExecutable(0x2002)).toBe(false);
  });

  it('tolerates a mapped image whose later pages are missing from the dump', async () => {
    const built = buildPeFromSections(spec('pe32'));
    // Only the header page was captured.
    const memory = new SyntheticAddressSpace().add(0x400000n, flatImage(built).subarray(0, 0x1000));
    const image = await loadMappedPeImage(memory, 0x400000n, 'part.exe');
    expect(image.headers.sections).toHaveLength(2);
    expect(await image.read(0x1000, 4)).toBeNull();
    expect(await image.exports()).toBeNull();
  });

  it('refuses what is not a PE image with a typed error', async () => {
    const notMz = new Uint8ArraySource(new TextEncoder().encode('hello, this is not an executable at all, just text'.repeat(4)), 'a.txt');
    await expect(parsePeHeaders(fileImageReader(notMz))).rejects.toMatchObject({ kind: 'not-a-dump' });

    const noPe = buildPeFromSections(spec('pe32'));
    noPe.file[0x80] = 0x4e; // "NE\0\0"
    await expect(parsePeHeaders(fileImageReader(new Uint8ArraySource(noPe.file, 'ne.exe')))).rejects.toMatchObject({ kind: 'not-a-dump' });

    const farHeaders = buildPeFromSections(spec('pe32'));
    farHeaders.file.set([0x00, 0x00, 0x10, 0x00], 0x3c); // e_lfanew = 1 MiB
    const err = await parsePeHeaders(fileImageReader(new Uint8ArraySource(farHeaders.file, 'far.exe'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DumpError);
    expect((err as DumpError).kind).toBe('corrupt');

    const badMagic = buildPeFromSections(spec('pe32+'));
    badMagic.file[0x80 + 24] = 0x07;
    await expect(parsePeHeaders(fileImageReader(new Uint8ArraySource(badMagic.file, 'magic.exe')))).rejects.toMatchObject({ kind: 'corrupt' });

    const cut = buildPeFromSections(spec('pe32+')).file.subarray(0, 0x100); // section table cut off
    await expect(parsePeHeaders(fileImageReader(new Uint8ArraySource(cut, 'cut.exe')))).rejects.toMatchObject({ kind: 'truncated' });
  });

  it('never trusts NumberOfRvaAndSizes beyond 16 or beyond the optional header', async () => {
    const s = { ...spec('pe32'), numberOfRvaAndSizes: 0xffffffff };
    const h = await parsePeHeaders(fileImageReader(new Uint8ArraySource(buildPeFromSections(s).file, 'n.exe')));
    expect(h.dataDirectories).toHaveLength(16);
    expect(h.dataDirectories[3]).toEqual({ rva: 0x2000, size: 0x24 });
    const few = await parsePeHeaders(fileImageReader(new Uint8ArraySource(buildPeFromSections({ ...spec('pe32'), numberOfRvaAndSizes: 2 }).file, 'f.exe')));
    expect(few.dataDirectories[3]).toEqual({ rva: 0, size: 0 });
  });
});
