import { describe, expect, it } from 'vitest';
import { readU16, readU32, readU64 } from './byte-writer.ts';
import { Amd64Reg, buildPe, buildPeFromSections, exportDirectory, flatImage, IMAGE_FILE_MACHINE_AMD64, IMAGE_FILE_MACHINE_I386, SCN_CODE_EXECUTE_READ } from './pe-builder.ts';
import type { BuiltPe } from './pe-builder.ts';

/** Reads a mapped image back through its pieces, as dump memory would. */
function mappedReader(pe: BuiltPe): (rva: number, len: number) => Uint8Array {
  return (rva, len) => {
    const piece = pe.mapped.find((p) => rva >= p.rva && rva + len <= p.rva + p.bytes.length);
    if (!piece) throw new Error(`rva 0x${rva.toString(16)} not mapped`);
    return piece.bytes.subarray(rva - piece.rva, rva - piece.rva + len);
  };
}

function cstr(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end));
}

describe('buildPe PE32', () => {
  const pe = buildPe({
    machine: 'x86',
    imageBase: 0x7d4c0000n,
    timestamp: 0x45d70ad8,
    checksum: 0xf86c6,
    dll: true,
    text: { size: 0x30000, chunks: [{ offset: 0x22313 - 0x1000 + 0x53, bytes: new Uint8Array([0x5e]) }] },
    exports: {
      dllName: 'KERNEL32.dll',
      functions: [
        { name: 'RaiseException', rva: 0x22313 },
        { name: 'BaseThreadStart', rva: 0x1fded },
        { name: 'HeapAlloc', rva: 0, forwarder: 'NTDLL.RtlAllocateHeap' },
        { rva: 0x1100 }, // ordinal only
      ],
    },
    codeView: { pdb: 'wkernel32.pdb', guid: '00112233-4455-6677-8899-aabbccddeeff', age: 2 },
  });
  const read = mappedReader(pe);
  const headers = pe.mapped[0]!.bytes;

  it('writes DOS and NT headers for i386', () => {
    expect(readU16(headers, 0)).toBe(0x5a4d);
    const nt = readU32(headers, 0x3c);
    expect(readU32(headers, nt)).toBe(0x4550);
    expect(readU16(headers, nt + 4)).toBe(IMAGE_FILE_MACHINE_I386);
    expect(readU16(headers, nt + 6)).toBe(2); // .text, .rdata
    expect(readU32(headers, nt + 8)).toBe(0x45d70ad8);
    expect(readU16(headers, nt + 20)).toBe(224);
    expect(readU16(headers, nt + 22) & 0x2000).toBe(0x2000);
    const opt = nt + 24;
    expect(readU16(headers, opt)).toBe(0x10b);
    expect(readU32(headers, opt + 28)).toBe(0x7d4c0000); // ImageBase (PE32)
    expect(readU32(headers, opt + 56)).toBe(pe.sizeOfImage);
    expect(readU32(headers, opt + 64)).toBe(0xf86c6);
    expect(readU32(headers, opt + 92)).toBe(16);
    expect(readU32(headers, opt + 96)).toBe(pe.layout.exportDirRva!);
  });

  it('writes a sorted export table with a forwarder inside the export directory', () => {
    const dirRva = pe.layout.exportDirRva!;
    const dir = read(dirRva, 40);
    expect(cstr(read(readU32(dir, 12), 16))).toBe('KERNEL32.dll');
    expect(readU32(dir, 16)).toBe(1);
    expect(readU32(dir, 20)).toBe(4);
    expect(readU32(dir, 24)).toBe(3);
    const names = read(readU32(dir, 32), 12);
    const ords = read(readU32(dir, 36), 6);
    const eat = read(readU32(dir, 28), 16);
    const table = [0, 1, 2].map((i) => ({ name: cstr(read(readU32(names, i * 4), 32)), rva: readU32(eat, readU16(ords, i * 2) * 4) }));
    expect(table.map((t) => t.name)).toEqual(['BaseThreadStart', 'HeapAlloc', 'RaiseException']);
    expect(table[0]!.rva).toBe(0x1fded);
    expect(table[2]!.rva).toBe(0x22313);
    const fwd = table[1]!.rva;
    expect(fwd >= dirRva && fwd < dirRva + pe.layout.exportDirSize).toBe(true);
    expect(cstr(read(fwd, 32))).toBe('NTDLL.RtlAllocateHeap');
    expect(readU32(eat, 12)).toBe(0x1100);
  });

  it('maps only the .text bytes given, and a CodeView debug record', () => {
    expect(read(0x22313 + 0x53, 1)[0]).toBe(0x5e);
    expect(() => read(0x2000, 4)).toThrow();
    const dd = read(pe.layout.debugDirRva!, 28);
    expect(readU32(dd, 12)).toBe(2);
    const cv = read(readU32(dd, 20), readU32(dd, 16));
    expect(readU32(cv, 0)).toBe(0x53445352);
    expect(readU32(cv, 20)).toBe(2);
    expect(cstr(cv.subarray(24))).toBe('wkernel32.pdb');
    // the file copy has the record at PointerToRawData
    expect(readU32(pe.file, readU32(dd, 24))).toBe(0x53445352);
  });

  it('keeps file and mapped layouts consistent through the section table', () => {
    const rdata = pe.sections[1]!;
    expect(rdata.name).toBe('.rdata');
    const dirRva = pe.layout.exportDirRva!;
    const fileOff = rdata.rawOffset + (dirRva - rdata.rva);
    expect([...pe.file.subarray(fileOff, fileOff + 40)]).toEqual([...read(dirRva, 40)]);
    expect(pe.sections[0]!.characteristics).toBe(0x60000020);
  });
});

describe('buildPe PE32+ with .pdata', () => {
  const pe = buildPe({
    machine: 'amd64',
    imageBase: 0x6b000000n,
    dll: true,
    text: { size: 0x8000 },
    exports: { dllName: 'wow64.dll', functions: [{ name: 'Wow64NotifyDebugger', rva: 0x6360 }] },
    pdata: [
      {
        begin: 0x2000,
        end: 0x2100,
        unwind: {
          prologSize: 0x18,
          frameRegister: Amd64Reg.rbp,
          frameOffset: 0x20,
          codes: [
            { op: 'save-xmm128', at: 0x18, reg: 6, offset: 0x30 },
            { op: 'save-nonvol', at: 0x14, reg: Amd64Reg.rbx, offset: 0x50 },
            { op: 'set-fpreg', at: 0x10 },
            { op: 'alloc-large', at: 0x0c, size: 0x1000 },
            { op: 'alloc-small', at: 0x08, size: 0x28 },
            { op: 'push-nonvol', at: 0x02, reg: Amd64Reg.rbp },
          ],
        },
      },
      {
        begin: 0x1000,
        end: 0x1040,
        unwind: {
          version: 2,
          prologSize: 4,
          codes: [
            { op: 'epilog', offsetLow: 0x06, info: 1 },
            { op: 'alloc-large', at: 4, size: 0x12340 * 8 + 4 },
            { op: 'save-nonvol-far', at: 4, reg: Amd64Reg.rsi, offset: 0x123456 },
            { op: 'save-xmm128-far', at: 4, reg: 7, offset: 0x100000 },
            { op: 'push-machframe', at: 1, errorCode: true },
          ],
        },
      },
      { begin: 0x3000, end: 0x3010, unwind: { prologSize: 0, codes: [], chained: { begin: 0x2000, end: 0x2100, unwind: { prologSize: 2, codes: [{ op: 'push-nonvol', at: 2, reg: Amd64Reg.rdi }] } } } },
    ],
  });
  const read = mappedReader(pe);
  const headers = pe.mapped[0]!.bytes;
  const nt = readU32(headers, 0x3c);
  const opt = nt + 24;

  it('writes a PE32+ optional header', () => {
    expect(readU16(headers, nt + 4)).toBe(IMAGE_FILE_MACHINE_AMD64);
    expect(readU16(headers, nt + 20)).toBe(240);
    expect(readU16(headers, opt)).toBe(0x20b);
    expect(readU64(headers, opt + 24)).toBe(0x6b000000n);
    // exception directory is data directory 3: at opt + 112 + 3*8
    expect(readU32(headers, opt + 112 + 24)).toBe(pe.layout.pdataRva!);
    expect(readU32(headers, opt + 112 + 28)).toBe(36);
  });

  it('sorts RUNTIME_FUNCTIONs and encodes every unwind code', () => {
    const pd = read(pe.layout.pdataRva!, 36);
    expect([readU32(pd, 0), readU32(pd, 12), readU32(pd, 24)]).toEqual([0x1000, 0x2000, 0x3000]);
    // entry 1 (begin 0x2000): version 1, prolog 0x18, fp rbp at offset 0x20
    const u1 = read(readU32(pd, 20), 4 + 9 * 2 + 2);
    expect(u1[0]).toBe(1);
    expect(u1[1]).toBe(0x18);
    expect(u1[2]).toBe(9);
    expect(u1[3]).toBe(5 | (2 << 4));
    const slots = Array.from({ length: 9 }, (_, i) => readU16(u1, 4 + i * 2));
    expect(slots).toEqual([
      0x18 | (8 << 8) | (6 << 12), 3, // SAVE_XMM128 xmm6, 0x30/16
      0x14 | (4 << 8) | (3 << 12), 10, // SAVE_NONVOL rbx, 0x50/8
      0x10 | (3 << 8), // SET_FPREG
      0x0c | (1 << 8), 0x200, // ALLOC_LARGE /8
      0x08 | (2 << 8) | (4 << 12), // ALLOC_SMALL (0x28-8)/8
      0x02 | (0 << 8) | (5 << 12), // PUSH_NONVOL rbp
    ]);
    // entry 0 (begin 0x1000): version 2 with far forms and a machine frame
    const u0 = read(readU32(pd, 8), 4 + 12 * 2);
    expect(u0[0]).toBe(2);
    expect(u0[2]).toBe(11);
    const s0 = Array.from({ length: 12 }, (_, i) => readU16(u0, 4 + i * 2));
    expect(s0[0]).toBe(0x06 | (6 << 8) | (1 << 12));
    expect(s0[1]).toBe(4 | (1 << 8) | (1 << 12));
    expect(s0[2]! | (s0[3]! << 16)).toBe(0x12340 * 8 + 4);
    expect(s0[4]).toBe(4 | (5 << 8) | (6 << 12));
    expect(s0[5]! | (s0[6]! << 16)).toBe(0x123456);
    expect(s0[7]).toBe(4 | (9 << 8) | (7 << 12));
    expect(s0[8]! | (s0[9]! << 16)).toBe(0x100000);
    expect(s0[10]).toBe(1 | (10 << 8) | (1 << 12));
    expect(s0[11]).toBe(0); // padding to an even slot count
  });

  it('writes chained unwind info pointing at the parent entry', () => {
    const pd = read(pe.layout.pdataRva!, 36);
    const u2 = read(readU32(pd, 32), 4 + 12);
    expect(u2[0]! >> 3).toBe(4); // UNW_FLAG_CHAININFO
    expect(u2[2]).toBe(0);
    expect(readU32(u2, 4)).toBe(0x2000);
    expect(readU32(u2, 8)).toBe(0x2100);
    const parent = read(readU32(u2, 12), 8);
    expect(parent[1]).toBe(2);
    expect(readU16(parent, 4)).toBe(2 | (0 << 8) | (7 << 12));
  });
});

describe('buildPe UNWIND_INFO options', () => {
  it('lays out the header bytes the way the format says, with a handler', () => {
    const pe = buildPe({
      machine: 'amd64',
      imageBase: 0x180000000n,
      text: { size: 4 },
      pdata: [{ begin: 0x1000, end: 0x1004, unwind: { version: 2, flags: 1, prologSize: 9, frameRegister: 5, frameOffset: 0x30, codes: [{ op: 'push-nonvol', at: 1, reg: 5 }], handlerRva: 0x1234 } }],
    });
    expect(Array.from(mappedReader(pe)(pe.layout.unwindRvas[0]!, 12))).toEqual([0x0a, 9, 1, 0x35, 1, 0x50, 0, 0, 0x34, 0x12, 0, 0]);
  });

  it('writes the hostile and odd forms tests ask for: wide alloc, a lying code count, a self chain, an indirect entry', () => {
    const pe = buildPe({
      machine: 'amd64',
      imageBase: 0x180000000n,
      text: { size: 0x200 },
      pdata: [
        { begin: 0x1000, end: 0x1040, unwind: { prologSize: 8, codes: [{ op: 'alloc-large', at: 8, size: 0x10010, wide: true }] } },
        { begin: 0x1040, end: 0x1080, unwind: { prologSize: 4, codeCount: 1, codes: [{ op: 'raw', slots: [0x04 | (4 << 8), 0x10] }] } },
        { begin: 0x1080, end: 0x10c0, unwind: { prologSize: 0, codes: [], chained: { begin: 0x1080, end: 0x10c0, self: true } } },
        { begin: 0x1100, end: 0x1120, indirectTo: 0x1040 },
        { begin: 0x1120, end: 0x1140, unwindData: 0x7777 },
      ],
    });
    const read = mappedReader(pe);
    const [wide, lying, self] = pe.layout.unwindRvas;
    expect(Array.from(read(wide!, 10))).toEqual([1, 8, 3, 0, 8, 1 | (1 << 4), 0x10, 0x00, 0x01, 0x00]);
    expect(Array.from(read(lying!, 8))).toEqual([1, 4, 1, 0, 0x04, 0x04, 0x10, 0x00]);
    expect(readU32(read(self!, 16), 12)).toBe(self);
    const pd = read(pe.layout.pdataRva!, 60);
    expect(readU32(pd, 3 * 12 + 8)).toBe((pe.layout.pdataRva! + 12) | 1);
    expect(readU32(pd, 4 * 12 + 8)).toBe(0x7777);
  });
});

describe('buildPeFromSections', () => {
  it('places sections at the RVAs given, file-aligned in the file, and flattens the mapped image', () => {
    const code = Uint8Array.from([0x55, 0xc3]);
    const ed = exportDirectory(0x3000, { dllName: 'gap.dll', functions: [{ name: 'A', rva: 0x1000 }, null, { rva: 0x1001 }], ordinalBase: 10 });
    const pe = buildPeFromSections({
      machine: 'x86',
      imageBase: 0x400000n,
      sections: [
        { name: '.text', rva: 0x1000, bytes: code, characteristics: SCN_CODE_EXECUTE_READ },
        { name: '.edata', rva: 0x3000, bytes: ed, characteristics: 0x40000040, virtualSize: 0x1800 },
      ],
      directories: { 0: { rva: 0x3000, size: ed.length } },
      numberOfRvaAndSizes: 7,
    });
    expect(pe.sizeOfImage).toBe(0x5000);
    expect(pe.sections.map((s) => [s.rva, s.rawOffset, s.rawSize, s.virtualSize])).toEqual([
      [0x1000, 0x400, 0x200, 2],
      [0x3000, 0x600, 0x200, 0x1800],
    ]);
    expect(pe.file.length).toBe(0x800);
    const opt = readU32(pe.file, 0x3c) + 24;
    expect(readU32(pe.file, opt + 92)).toBe(7);
    expect(readU32(pe.file, opt + 96)).toBe(0x3000);
    const flat = flatImage(pe);
    expect(flat.length).toBe(0x5000);
    expect(Array.from(flat.subarray(0x1000, 0x1003))).toEqual([0x55, 0xc3, 0]);
    expect(flat.subarray(0x3000, 0x3000 + ed.length)).toEqual(ed);
    // The gap at ordinal 11 is a zero address-table slot; names point only at named exports.
    expect(readU32(ed, 16)).toBe(10);
    expect(readU32(ed, 20)).toBe(3);
    expect(readU32(ed, 24)).toBe(1);
    const eat = readU32(ed, 28) - 0x3000;
    expect([readU32(ed, eat), readU32(ed, eat + 4), readU32(ed, eat + 8)]).toEqual([0x1000, 0, 0x1001]);
  });
});
