// Hand-assembled PE32 / PE32+ images for tests: headers, sections at chosen RVAs, and helpers
// that lay out an export directory, a .pdata table and UNWIND_INFO records. `buildPe` returns
// the image twice: mapped (as the loader places it, for a dump's memory) and in file layout
// (as a .dll on disk), so both image readers are tested against the same content.
import { Section } from '../../../synth/section.ts';

export const MACHINE_I386 = 0x14c;
export const MACHINE_AMD64 = 0x8664;
export const SCN_CODE = 0x60000020; // CNT_CODE | MEM_EXECUTE | MEM_READ
export const SCN_RDATA = 0x40000040; // CNT_INITIALIZED_DATA | MEM_READ
export const SCN_DATA = 0xc0000040; // + MEM_WRITE

export interface SectionSpec {
  name: string;
  rva: number;
  data: Uint8Array;
  characteristics: number;
  /** Defaults to data.length; larger gives a zero-filled (.bss-like) tail. */
  virtualSize?: number;
}

export interface PeSpec {
  format: 'pe32' | 'pe32+';
  machine?: number;
  imageBase?: bigint;
  timestamp?: number;
  checksum?: number;
  sections: SectionSpec[];
  /** Data directories by slot (0 export, 3 exception, 6 debug…). */
  directories?: Record<number, { rva: number; size: number }>;
  /** Overrides for corrupt-image tests. */
  lfanew?: number;
  numberOfRvaAndSizes?: number;
  sizeOfImage?: number;
}

const FILE_ALIGN = 0x200;
const HEADERS_SIZE = 0x400;

export function buildPe(spec: PeSpec): { mapped: Uint8Array; file: Uint8Array; sizeOfImage: number } {
  const pe32plus = spec.format === 'pe32+';
  const lfanew = spec.lfanew ?? 0x80;
  const optSize = pe32plus ? 240 : 224;
  const sizeOfImage =
    spec.sizeOfImage ??
    Math.max(0x1000, ...spec.sections.map((s) => Math.ceil((s.rva + Math.max(s.virtualSize ?? 0, s.data.length)) / 0x1000) * 0x1000));

  // Raw offsets: sections one after another from the end of the headers, file-aligned.
  let raw = HEADERS_SIZE;
  const placed = spec.sections.map((s) => {
    const rawSize = Math.ceil(s.data.length / FILE_ALIGN) * FILE_ALIGN;
    const at = raw;
    raw += rawSize;
    return { ...s, rawOffset: rawSize > 0 ? at : 0, rawSize };
  });

  const h = new Section();
  h.u16(0x5a4d).padTo(0x3c).u32(lfanew).padTo(lfanew);
  h.u32(0x00004550);
  // IMAGE_FILE_HEADER
  h.u16(spec.machine ?? (pe32plus ? MACHINE_AMD64 : MACHINE_I386))
    .u16(spec.sections.length)
    .u32(spec.timestamp ?? 0x5f000000)
    .u32(0)
    .u32(0)
    .u16(optSize)
    .u16(0x2022);
  // Optional header
  const opt = h.offset;
  h.u16(pe32plus ? 0x20b : 0x10b).u8(14).u8(0);
  h.u32(0x1000).u32(0x1000).u32(0); // sizes of code/data/bss
  h.u32(0x1000); // entry point
  h.u32(0x1000); // base of code
  if (pe32plus) h.u64(spec.imageBase ?? 0x180000000n);
  else h.u32(0x1000).u32(Number(spec.imageBase ?? 0x10000000n));
  h.u32(0x1000).u32(FILE_ALIGN);
  h.u16(6).u16(0).u16(0).u16(0).u16(6).u16(0).u32(0);
  h.u32(sizeOfImage).u32(HEADERS_SIZE).u32(spec.checksum ?? 0x1234).u16(3).u16(0x160);
  if (pe32plus) h.u64(0x100000).u64(0x1000).u64(0x100000).u64(0x1000);
  else h.u32(0x100000).u32(0x1000).u32(0x100000).u32(0x1000);
  h.u32(0).u32(spec.numberOfRvaAndSizes ?? 16);
  for (let i = 0; i < 16; i++) {
    const d = spec.directories?.[i];
    h.u32(d?.rva ?? 0).u32(d?.size ?? 0);
  }
  if (h.offset !== opt + optSize) throw new Error('optional header layout');
  for (const s of placed) {
    const name = new Uint8Array(8);
    for (let i = 0; i < Math.min(8, s.name.length); i++) name[i] = s.name.charCodeAt(i);
    h.bytes(name)
      .u32(s.virtualSize ?? s.data.length)
      .u32(s.rva)
      .u32(s.rawSize)
      .u32(s.rawOffset)
      .u32(0)
      .u32(0)
      .u16(0)
      .u16(0)
      .u32(s.characteristics);
  }
  if (h.offset > HEADERS_SIZE) throw new Error('headers too large');
  h.padTo(HEADERS_SIZE);
  const headers = h.toBytes();

  const mapped = new Uint8Array(sizeOfImage);
  mapped.set(headers.subarray(0, Math.min(headers.length, sizeOfImage)), 0);
  const file = new Uint8Array(raw);
  file.set(headers, 0);
  for (const s of placed) {
    mapped.set(s.data.subarray(0, Math.max(0, Math.min(s.data.length, sizeOfImage - s.rva))), s.rva);
    file.set(s.data, s.rawOffset);
  }
  return { mapped, file, sizeOfImage };
}

export interface ExportSpec {
  name: string | null;
  ordinal: number;
  /** Code RVA, or a forwarder string ("NTDLL.RtlAllocateHeap"). */
  target: number | string;
}

/**
 * An export directory laid out at `rva` (directory, address table, name pointers, ordinals,
 * strings, forwarders). Returns the bytes and the directory size to put in slot 0.
 */
export function exportDirectory(rva: number, dllName: string, ordinalBase: number, exports: ExportSpec[]): { data: Uint8Array; size: number } {
  const w = new Section(rva);
  const count = Math.max(0, ...exports.map((e) => e.ordinal - ordinalBase + 1));
  const named = exports.filter((e) => e.name !== null).sort((a, b) => (a.name! < b.name! ? -1 : 1));
  const at = {
    functions: 40,
    names: 40 + count * 4,
    ordinals: 40 + count * 4 + named.length * 4,
    strings: 40 + count * 4 + named.length * 6,
  };
  // Strings first, to know their RVAs.
  const strings = new Section(rva + at.strings);
  const dllNameRva = rva + at.strings + strings.offset;
  strings.ascii(dllName);
  const nameRvas = named.map((e) => {
    const r = rva + at.strings + strings.offset;
    strings.ascii(e.name!);
    return r;
  });
  const forwarderRvas = new Map<ExportSpec, number>();
  for (const e of exports) {
    if (typeof e.target === 'string') {
      forwarderRvas.set(e, rva + at.strings + strings.offset);
      strings.ascii(e.target);
    }
  }
  w.u32(0).u32(0x5f000000).u16(0).u16(0).u32(dllNameRva).u32(ordinalBase).u32(count).u32(named.length);
  w.u32(rva + at.functions).u32(rva + at.names).u32(rva + at.ordinals);
  const table = new Array<number>(count).fill(0);
  for (const e of exports) table[e.ordinal - ordinalBase] = typeof e.target === 'string' ? forwarderRvas.get(e)! : e.target;
  for (const t of table) w.u32(t);
  for (const r of nameRvas) w.u32(r);
  for (const e of named) w.u16(e.ordinal - ordinalBase);
  w.bytes(strings.toBytes());
  return { data: w.toBytes(), size: w.length };
}

/** UNWIND_CODE slot helpers: each returns the 16-bit slots of one code. */
export const uw = {
  pushNonvol: (at: number, reg: number): number[] => [at | (0 << 8) | (reg << 12)],
  allocSmall: (at: number, size: number): number[] => [at | (2 << 8) | (((size - 8) / 8) << 12)],
  allocLarge16: (at: number, size: number): number[] => [at | (1 << 8), size / 8],
  allocLarge32: (at: number, size: number): number[] => [at | (1 << 8) | (1 << 12), size & 0xffff, size >>> 16],
  setFpreg: (at: number): number[] => [at | (3 << 8)],
  saveNonvol: (at: number, reg: number, offset: number): number[] => [at | (4 << 8) | (reg << 12), offset / 8],
  saveNonvolFar: (at: number, reg: number, offset: number): number[] => [at | (5 << 8) | (reg << 12), offset & 0xffff, offset >>> 16],
  saveXmm128: (at: number, reg: number, offset: number): number[] => [at | (8 << 8) | (reg << 12), offset / 16],
  saveXmm128Far: (at: number, reg: number, offset: number): number[] => [at | (9 << 8) | (reg << 12), offset & 0xffff, offset >>> 16],
  pushMachframe: (at: number, errorCode: boolean): number[] => [at | (10 << 8) | ((errorCode ? 1 : 0) << 12)],
  epilog: (low: number, info: number): number[] => [low | (6 << 8) | (info << 12)],
};

export interface UnwindSpec {
  version?: number;
  flags?: number;
  prolog: number;
  frameRegister?: number;
  /** Bytes; must be a multiple of 16. */
  frameOffset?: number;
  codes: number[][];
  chained?: { begin: number; end: number; unwindInfo: number };
  handler?: number;
}

/** Appends an UNWIND_INFO to `w` (4-aligned) and returns its RVA (w's origin is the section's RVA). */
export function writeUnwindInfo(w: Section, spec: UnwindSpec): number {
  w.align(4);
  const at = w.offset;
  const slots = spec.codes.flat();
  const flags = (spec.flags ?? 0) | (spec.chained ? 4 : 0);
  w.u8((spec.version ?? 1) | (flags << 3))
    .u8(spec.prolog)
    .u8(slots.length)
    .u8((spec.frameRegister ?? 0) | (((spec.frameOffset ?? 0) / 16) << 4));
  for (const s of slots) w.u16(s);
  if (slots.length % 2 === 1) w.u16(0);
  if (spec.chained) w.u32(spec.chained.begin).u32(spec.chained.end).u32(spec.chained.unwindInfo);
  else if (spec.handler !== undefined) w.u32(spec.handler).u32(0);
  return Number(w.origin) + at;
}

export interface X64FunctionSpec {
  begin: number;
  end: number;
  /** UNWIND_INFO to write, or the RVA of one already written (chained parents, shared info). */
  unwind: UnwindSpec | number;
  /** Raw UnwindData value (e.g. an odd RVA for an indirect entry) instead of `unwind`. */
  rawUnwindData?: number;
}

export const TEXT_RVA = 0x1000;
export const XDATA_RVA = 0x3000;
export const PDATA_RVA = 0x4000;
export const EDATA_RVA = 0x5000;

/**
 * An x64 image with code in .text (at 0x1000), UNWIND_INFO in .xdata (0x3000), a .pdata table
 * (0x4000) and optionally exports (0x5000). Returns the built image and each function's
 * UNWIND_INFO RVA, in order.
 */
export function buildX64Image(opts: {
  code: Uint8Array;
  functions: X64FunctionSpec[];
  exports?: ExportSpec[];
  dllName?: string;
  /** Extra .xdata writes before the functions' own (e.g. a chained parent). */
  prepareXdata?: (w: Section) => void;
  pdataSizeOverride?: number;
}): { image: ReturnType<typeof buildPe>; unwindRvas: number[] } {
  const xdata = new Section(XDATA_RVA);
  opts.prepareXdata?.(xdata);
  const unwindRvas = opts.functions.map((f) => (typeof f.unwind === 'number' ? f.unwind : writeUnwindInfo(xdata, f.unwind)));
  const pdata = new Section(PDATA_RVA);
  opts.functions.forEach((f, i) => pdata.u32(f.begin).u32(f.end).u32(f.rawUnwindData ?? unwindRvas[i]!));
  const sections: SectionSpec[] = [
    { name: '.text', rva: TEXT_RVA, data: opts.code, characteristics: SCN_CODE },
    { name: '.xdata', rva: XDATA_RVA, data: xdata.toBytes(), characteristics: SCN_RDATA },
    { name: '.pdata', rva: PDATA_RVA, data: pdata.toBytes(), characteristics: SCN_RDATA },
  ];
  const directories: Record<number, { rva: number; size: number }> = {
    3: { rva: PDATA_RVA, size: opts.pdataSizeOverride ?? pdata.length },
  };
  if (opts.exports) {
    const ed = exportDirectory(EDATA_RVA, opts.dllName ?? 'test.dll', 1, opts.exports);
    sections.push({ name: '.edata', rva: EDATA_RVA, data: ed.data, characteristics: SCN_RDATA });
    directories[0] = { rva: EDATA_RVA, size: ed.size };
  }
  return { image: buildPe({ format: 'pe32+', sections, directories }), unwindRvas };
}
