// A tiny PE writer for tests, in two layers. `buildPeFromSections` writes the headers and
// places sections exactly where the caller says (any RVA, any bytes, any data directory, and
// a few deliberately wrong header fields), for tests of the image readers themselves.
// `buildPe` sits on top of it and lays out a typical image from a description: PE32 (i386) or
// PE32+ (AMD64), .text at RVA 0x1000, then .rdata (export directory, debug directory,
// CodeView record, UNWIND_INFO blocks), then .pdata, at 0x1000 granularity (SectionAlignment
// 0x1000, FileAlignment 0x200). Both return the image as a file (`file`) and as the pieces a
// loader would have mapped (`mapped`), so a synthetic dump can carry just the pages that
// matter instead of a whole image; `flatImage` joins the pieces when a test wants every page.
import { ByteWriter, utf8 } from './byte-writer.ts';
import { codeViewBytes } from './minidump-builder.ts';
import type { CodeViewSpec } from './minidump-builder.ts';

export const IMAGE_FILE_MACHINE_I386 = 0x14c;
export const IMAGE_FILE_MACHINE_AMD64 = 0x8664;
export const SECTION_ALIGNMENT = 0x1000;
export const FILE_ALIGNMENT = 0x200;
export const SIZE_OF_HEADERS = 0x400;
export const E_LFANEW = 0x80;
export const TEXT_RVA = 0x1000;

export const SCN_CODE_EXECUTE_READ = 0x60000020;
export const SCN_INITIALIZED_READ = 0x40000040;
export const SCN_INITIALIZED_READ_WRITE = 0xc0000040;
const SCN_CNT_CODE = 0x20;

/** Register numbers as UNWIND_CODE encodes them (rax 0 … r15 15). */
export const Amd64Reg = { rax: 0, rcx: 1, rdx: 2, rbx: 3, rsp: 4, rbp: 5, rsi: 6, rdi: 7, r8: 8, r9: 9, r10: 10, r11: 11, r12: 12, r13: 13, r14: 14, r15: 15 } as const;

export const UNW_FLAG_EHANDLER = 1;
export const UNW_FLAG_UHANDLER = 2;
export const UNW_FLAG_CHAININFO = 4;

/**
 * One unwind operation. `at` is the prolog offset just past the instruction (UNWIND_CODE's
 * CodeOffset). Codes are written in the order given, which must be the order UNWIND_INFO
 * stores them: the last prolog instruction first.
 */
export type UnwindCodeSpec =
  | { op: 'push-nonvol'; at: number; reg: number }
  | { op: 'alloc-small'; at: number; size: number }
  /** `wide` forces the 32-bit size form (OpInfo 1) even where the scaled 16-bit form fits. */
  | { op: 'alloc-large'; at: number; size: number; wide?: boolean }
  | { op: 'set-fpreg'; at: number }
  | { op: 'save-nonvol'; at: number; reg: number; offset: number }
  | { op: 'save-nonvol-far'; at: number; reg: number; offset: number }
  | { op: 'save-xmm128'; at: number; reg: number; offset: number }
  | { op: 'save-xmm128-far'; at: number; reg: number; offset: number }
  | { op: 'push-machframe'; at: number; errorCode: boolean }
  /** UWOP_EPILOG (version 2 only): the low byte and OpInfo as stored. */
  | { op: 'epilog'; offsetLow: number; info: number }
  /** Raw UNWIND_CODE slots, for deliberately odd encodings. */
  | { op: 'raw'; slots: number[] };

export interface UnwindInfoSpec {
  /** 1 or 2; anything else writes an UNWIND_INFO no reader should accept. */
  version?: number;
  /** UNW_FLAG_*; CHAININFO is added when `chained` is set. */
  flags?: number;
  prologSize: number;
  frameRegister?: number;
  /** Frame register offset in bytes (a multiple of 16, ≤ 240). */
  frameOffset?: number;
  codes: UnwindCodeSpec[];
  /** CountOfCodes as stored, when it must disagree with the slots written (a corrupt record). */
  codeCount?: number;
  /**
   * The parent function entry this one chains to (UNW_FLAG_CHAININFO): described inline, at a
   * known RVA, or this very UNWIND_INFO (`self`, a chain that loops).
   */
  chained?:
    | { begin: number; end: number; unwind: UnwindInfoSpec }
    | { begin: number; end: number; unwindRva: number }
    | { begin: number; end: number; self: true };
  /** Exception handler RVA for EHANDLER/UHANDLER, followed by 4 zero bytes of handler data. */
  handlerRva?: number;
}

/**
 * One RUNTIME_FUNCTION. Its UnwindInfoAddress is the UNWIND_INFO written for `unwind`; or,
 * for broken and indirect entries, `unwindData` stored as given; or `indirectTo`: the entry
 * that begins at that RVA, low bit set, as the linker writes for a function's split-off part.
 */
export type RuntimeFunctionSpec =
  | { begin: number; end: number; unwind: UnwindInfoSpec }
  | { begin: number; end: number; unwindData: number }
  | { begin: number; end: number; indirectTo: number };

export interface ExportSpec {
  name?: string;
  rva: number;
  /** Forwarded export ("NTDLL.RtlAllocateHeap"): written inside the export directory. */
  forwarder?: string;
}

export interface ExportTableSpec {
  dllName: string;
  /** By ordinal, from `ordinalBase`; `null` leaves that ordinal unused (a zero EAT slot). */
  functions: (ExportSpec | null)[];
  ordinalBase?: number;
}

export interface PeSpec {
  machine: 'x86' | 'amd64';
  imageBase: bigint | number;
  timestamp?: number;
  checksum?: number;
  dll?: boolean;
  /** .text: its virtual size, and the bytes that exist (at offsets from the section start). */
  text: { size: number; chunks?: { offset: number; bytes: Uint8Array }[] };
  exports?: ExportTableSpec;
  pdata?: RuntimeFunctionSpec[];
  /** Exception directory size as stored, when it must disagree with the real .pdata size. */
  pdataSize?: number;
  codeView?: CodeViewSpec;
  /** At least the laid-out size; larger values describe an image with more (absent) sections. */
  sizeOfImage?: number;
  entryPoint?: number;
}

export interface BuiltSection {
  name: string;
  rva: number;
  virtualSize: number;
  rawOffset: number;
  rawSize: number;
  characteristics: number;
}

/** What both layers return. */
export interface BuiltPeImage {
  /** The image as a file on disk (raw offsets). */
  file: Uint8Array;
  /** What the loader maps: pieces at RVAs (headers, then each section's bytes). */
  mapped: { rva: number; bytes: Uint8Array }[];
  sizeOfImage: number;
  sections: BuiltSection[];
}

export interface BuiltPe extends BuiltPeImage {
  /** Where things went, for tests. */
  layout: { exportDirRva: number | null; exportDirSize: number; debugDirRva: number | null; pdataRva: number | null; pdataSize: number; unwindRvas: number[] };
}

export interface PeSectionSpec {
  name: string;
  rva: number;
  /** The section's raw data, also what is mapped at `rva`. */
  bytes: Uint8Array;
  characteristics: number;
  /** Defaults to bytes.length; larger leaves a zero-filled (.bss-like) tail. */
  virtualSize?: number;
}

export interface PeImageSpec {
  machine: 'x86' | 'amd64';
  imageBase: bigint | number;
  timestamp?: number;
  checksum?: number;
  dll?: boolean;
  /** Defaults to the first code section's RVA. */
  entryPoint?: number;
  /** In table order; raw data follows the headers in this order, file-aligned. */
  sections: PeSectionSpec[];
  /** Data directories by slot (0 export, 3 exception, 6 debug…). */
  directories?: Partial<Record<number, { rva: number; size: number }>>;
  /** At least the laid-out size. */
  sizeOfImage?: number;
  /** NumberOfRvaAndSizes as stored (16 directories are written regardless). */
  numberOfRvaAndSizes?: number;
}

const alignUp = (v: number, a: number): number => Math.ceil(v / a) * a;

/** Raw placement: sections one after another from the end of the headers, file-aligned. */
function rawPlacement(rawLengths: number[]): { rawOffset: number; rawSize: number }[] {
  let at = SIZE_OF_HEADERS;
  return rawLengths.map((len) => {
    const rawSize = alignUp(len, FILE_ALIGNMENT);
    const out = { rawOffset: rawSize > 0 ? at : 0, rawSize };
    at += rawSize;
    return out;
  });
}

/** Writes the headers and places each section at its RVA and, file-aligned, in the file. */
export function buildPeFromSections(spec: PeImageSpec): BuiltPeImage {
  const pe32plus = spec.machine === 'amd64';
  const raw = rawPlacement(spec.sections.map((s) => s.bytes.length));
  const sections: BuiltSection[] = spec.sections.map((s, i) => ({
    name: s.name,
    rva: s.rva,
    virtualSize: s.virtualSize ?? s.bytes.length,
    rawOffset: raw[i]!.rawOffset,
    rawSize: raw[i]!.rawSize,
    characteristics: s.characteristics,
  }));
  const laidOut = spec.sections.reduce((m, s, i) => Math.max(m, alignUp(s.rva + Math.max(sections[i]!.virtualSize, s.bytes.length), SECTION_ALIGNMENT)), SECTION_ALIGNMENT);
  const sizeOfImage = Math.max(laidOut, spec.sizeOfImage ?? 0);
  const code = sections.filter((s) => (s.characteristics & SCN_CNT_CODE) !== 0);
  const data = sections.filter((s) => (s.characteristics & SCN_CNT_CODE) === 0);

  const h = new ByteWriter(SIZE_OF_HEADERS);
  h.u16(0x5a4d); // "MZ"
  h.zeros(0x3c - 2);
  h.u32(E_LFANEW);
  h.zeros(E_LFANEW - h.length);
  h.u32(0x00004550); // "PE\0\0"
  h.u16(pe32plus ? IMAGE_FILE_MACHINE_AMD64 : IMAGE_FILE_MACHINE_I386);
  h.u16(sections.length);
  h.u32(spec.timestamp ?? 0);
  h.u32(0);
  h.u32(0);
  h.u16(pe32plus ? 240 : 224);
  let characteristics = 0x0002; // EXECUTABLE_IMAGE
  characteristics |= pe32plus ? 0x0020 : 0x0100; // LARGE_ADDRESS_AWARE : 32BIT_MACHINE
  if (spec.dll) characteristics |= 0x2000;
  h.u16(characteristics);
  const optStart = h.length;
  h.u16(pe32plus ? 0x20b : 0x10b);
  h.u8(14);
  h.u8(0);
  h.u32(code.reduce((a, s) => a + s.rawSize, 0));
  h.u32(data.reduce((a, s) => a + s.rawSize, 0));
  h.u32(0);
  h.u32(spec.entryPoint ?? code[0]?.rva ?? 0);
  h.u32(code[0]?.rva ?? 0);
  if (pe32plus) h.u64(BigInt(spec.imageBase));
  else {
    h.u32(data[0]?.rva ?? 0); // BaseOfData
    h.u32(BigInt(spec.imageBase));
  }
  h.u32(SECTION_ALIGNMENT);
  h.u32(FILE_ALIGNMENT);
  h.u16(5);
  h.u16(2);
  h.u16(0);
  h.u16(0);
  h.u16(5);
  h.u16(2);
  h.u32(0);
  h.u32(sizeOfImage);
  h.u32(SIZE_OF_HEADERS);
  h.u32(spec.checksum ?? 0);
  h.u16(spec.dll ? 3 : 2);
  h.u16(0x140);
  const stackHeap = [0x100000, 0x1000, 0x100000, 0x1000];
  for (const v of stackHeap) (pe32plus ? h.u64(v) : h.u32(v));
  h.u32(0);
  h.u32(spec.numberOfRvaAndSizes ?? 16);
  for (let i = 0; i < 16; i++) {
    const d = spec.directories?.[i];
    h.u32(d?.rva ?? 0);
    h.u32(d?.size ?? 0);
  }
  if (h.length - optStart !== (pe32plus ? 240 : 224)) throw new Error('optional header size drifted');
  for (const s of sections) {
    const name = utf8(s.name.slice(0, 8));
    h.bytes(name);
    h.zeros(8 - name.length);
    h.u32(s.virtualSize);
    h.u32(s.rva);
    h.u32(s.rawSize);
    h.u32(s.rawOffset);
    h.u32(0);
    h.u32(0);
    h.u16(0);
    h.u16(0);
    h.u32(s.characteristics);
  }
  if (h.length > SIZE_OF_HEADERS) throw new Error('headers do not fit in SizeOfHeaders');
  h.zeros(SIZE_OF_HEADERS - h.length);
  const headers = h.toBytes();

  const fileEnd = sections.reduce((m, s) => Math.max(m, s.rawOffset + s.rawSize), SIZE_OF_HEADERS);
  const file = new Uint8Array(fileEnd);
  file.set(headers, 0);
  spec.sections.forEach((s, i) => {
    if (s.bytes.length > 0) file.set(s.bytes, sections[i]!.rawOffset);
  });
  const mapped = [{ rva: 0, bytes: headers }, ...spec.sections.filter((s) => s.bytes.length > 0).map((s) => ({ rva: s.rva, bytes: s.bytes }))];
  return { file, mapped, sizeOfImage, sections };
}

/**
 * The whole image as the loader lays it out: every mapped piece at its RVA, zeros between
 * them, cut at SizeOfImage. For tests that want all pages present (or cut pages out of it).
 */
export function flatImage(pe: Pick<BuiltPeImage, 'mapped' | 'sizeOfImage'>): Uint8Array {
  const out = new Uint8Array(pe.sizeOfImage);
  for (const p of pe.mapped) {
    if (p.rva < out.length) out.set(p.bytes.subarray(0, out.length - p.rva), p.rva);
  }
  return out;
}

/** Encodes one UNWIND_INFO (without handler data) that will sit at `rva`. */
function unwindInfoBytes(u: UnwindInfoSpec, rva: number, chainedUnwindRva: number | null): Uint8Array {
  const slots: number[] = [];
  const slot = (at: number, op: number, info: number): void => {
    slots.push((at & 0xff) | ((op & 0xf) << 8) | ((info & 0xf) << 12));
  };
  for (const c of u.codes) {
    switch (c.op) {
      case 'push-nonvol':
        slot(c.at, 0, c.reg);
        break;
      case 'alloc-small':
        if (c.size < 8 || c.size > 128 || c.size % 8 !== 0) throw new Error(`alloc-small size ${c.size} not encodable`);
        slot(c.at, 2, c.size / 8 - 1);
        break;
      case 'alloc-large':
        if (!c.wide && c.size % 8 === 0 && c.size / 8 <= 0xffff) {
          slot(c.at, 1, 0);
          slots.push(c.size / 8);
        } else {
          slot(c.at, 1, 1);
          slots.push(c.size & 0xffff, (c.size >>> 16) & 0xffff);
        }
        break;
      case 'set-fpreg':
        slot(c.at, 3, 0);
        break;
      case 'save-nonvol':
        slot(c.at, 4, c.reg);
        slots.push(c.offset / 8);
        break;
      case 'save-nonvol-far':
        slot(c.at, 5, c.reg);
        slots.push(c.offset & 0xffff, (c.offset >>> 16) & 0xffff);
        break;
      case 'save-xmm128':
        slot(c.at, 8, c.reg);
        slots.push(c.offset / 16);
        break;
      case 'save-xmm128-far':
        slot(c.at, 9, c.reg);
        slots.push(c.offset & 0xffff, (c.offset >>> 16) & 0xffff);
        break;
      case 'push-machframe':
        slot(c.at, 10, c.errorCode ? 1 : 0);
        break;
      case 'epilog':
        slot(c.offsetLow, 6, c.info);
        break;
      case 'raw':
        slots.push(...c.slots);
        break;
    }
  }
  let flags = u.flags ?? 0;
  if (u.chained) flags |= UNW_FLAG_CHAININFO;
  const w = new ByteWriter(64);
  w.u8((u.version ?? 1) | (flags << 3));
  w.u8(u.prologSize);
  w.u8(u.codeCount ?? slots.length);
  w.u8((u.frameRegister ?? 0) | (((u.frameOffset ?? 0) / 16) << 4));
  for (const s of slots) w.u16(s);
  if (slots.length % 2 === 1) w.u16(0); // codes array is padded to an even count
  if (u.chained) {
    w.u32(u.chained.begin);
    w.u32(u.chained.end);
    w.u32('unwindRva' in u.chained ? u.chained.unwindRva : 'self' in u.chained ? rva : (chainedUnwindRva ?? 0));
  } else if (flags & (UNW_FLAG_EHANDLER | UNW_FLAG_UHANDLER)) {
    w.u32(u.handlerRva ?? 0);
    w.u32(0);
  }
  return w.toBytes();
}

/**
 * An export directory meant to sit at `rva` (4-aligned): the directory, address table, name
 * pointers, name ordinals, then the DLL name, export names and forwarder strings, padded to 4.
 * Its length is the size for data directory 0.
 */
export function exportDirectory(rva: number, table: ExportTableSpec, timestamp = 0): Uint8Array {
  const rd = new ByteWriter(256);
  const here = (): number => rva + rd.length;
  const dirAt = rd.length;
  rd.zeros(40);
  const eatRva = here();
  const eatAt = rd.length;
  rd.zeros(4 * table.functions.length);
  // The loader binary-searches names, so the name table is sorted by byte value.
  const named = table.functions
    .map((f, index) => ({ f, index }))
    .filter((x): x is { f: ExportSpec; index: number } => x.f?.name !== undefined)
    .sort((a, b) => (a.f.name! < b.f.name! ? -1 : a.f.name! > b.f.name! ? 1 : 0));
  const namesRva = here();
  const namesAt = rd.length;
  rd.zeros(4 * named.length);
  const ordsRva = here();
  const ordsAt = rd.length;
  rd.zeros(2 * named.length);
  const dllNameRva = here();
  rd.bytes(utf8(table.dllName));
  rd.u8(0);
  named.forEach((n, i) => {
    rd.patchU32(namesAt + 4 * i, here());
    rd.bytes(utf8(n.f.name!));
    rd.u8(0);
    rd.patchU16(ordsAt + 2 * i, n.index);
  });
  table.functions.forEach((f, i) => {
    if (f === null) return;
    if (f.forwarder) {
      rd.patchU32(eatAt + 4 * i, here());
      rd.bytes(utf8(f.forwarder));
      rd.u8(0);
    } else {
      rd.patchU32(eatAt + 4 * i, f.rva);
    }
  });
  rd.align(4);
  rd.patchU32(dirAt + 4, timestamp);
  rd.patchU32(dirAt + 12, dllNameRva);
  rd.patchU32(dirAt + 16, table.ordinalBase ?? 1);
  rd.patchU32(dirAt + 20, table.functions.length);
  rd.patchU32(dirAt + 24, named.length);
  rd.patchU32(dirAt + 28, eatRva);
  rd.patchU32(dirAt + 32, namesRva);
  rd.patchU32(dirAt + 36, ordsRva);
  return rd.toBytes();
}

export function buildPe(spec: PeSpec): BuiltPe {
  const textRva = TEXT_RVA;
  const textSize = spec.text.size;
  const rdataRva = alignUp(textRva + Math.max(textSize, 1), SECTION_ALIGNMENT);

  // .rdata, with RVAs relative to the image.
  const rd = new ByteWriter(1024);
  const here = (): number => rdataRva + rd.length;
  let exportDirRva: number | null = null;
  let exportDirSize = 0;
  if (spec.exports) {
    exportDirRva = here();
    const ed = exportDirectory(exportDirRva, spec.exports, spec.timestamp ?? 0);
    rd.bytes(ed);
    exportDirSize = ed.length;
  }

  let debugDirRva: number | null = null;
  let debugDirAt = -1;
  if (spec.codeView) {
    rd.align(4);
    debugDirRva = here();
    debugDirAt = rd.length;
    rd.zeros(28);
  }
  let cvRva = 0;
  let cvLen = 0;
  if (spec.codeView) {
    const cv = codeViewBytes(spec.codeView);
    rd.align(4);
    cvRva = here();
    cvLen = cv.length;
    rd.bytes(cv);
  }

  // UNWIND_INFO blocks; a chained parent described inline is written first so its RVA is known.
  const placeUnwind = (u: UnwindInfoSpec): number => {
    let parentRva: number | null = null;
    if (u.chained && 'unwind' in u.chained) parentRva = placeUnwind(u.chained.unwind);
    rd.align(4);
    const rva = here();
    rd.bytes(unwindInfoBytes(u, rva, parentRva));
    return rva;
  };
  const entries = [...(spec.pdata ?? [])].sort((a, b) => a.begin - b.begin);
  const written = entries.map((e) => ('unwind' in e ? placeUnwind(e.unwind) : null));
  rd.align(4);
  const rdata = rd.toBytes();

  // .pdata: RUNTIME_FUNCTION { BeginAddress, EndAddress, UnwindInfoAddress }, sorted.
  let pdataRva: number | null = null;
  let pdata: Uint8Array = new Uint8Array(0);
  const unwindRvas: number[] = [];
  if (entries.length > 0) {
    const at = alignUp(rdataRva + Math.max(rdata.length, 1), SECTION_ALIGNMENT);
    pdataRva = at;
    entries.forEach((e, i) => {
      if ('unwind' in e) unwindRvas.push(written[i]!);
      else if ('unwindData' in e) unwindRvas.push(e.unwindData);
      else {
        const primary = entries.findIndex((p) => p.begin === e.indirectTo);
        if (primary < 0) throw new Error(`no RUNTIME_FUNCTION begins at 0x${e.indirectTo.toString(16)}`);
        unwindRvas.push((at + primary * 12) | 1);
      }
    });
    const pw = new ByteWriter(entries.length * 12);
    entries.forEach((e, i) => {
      pw.u32(e.begin);
      pw.u32(e.end);
      pw.u32(unwindRvas[i]!);
    });
    pdata = pw.toBytes();
  }

  // .text raw bytes: everything up to the furthest chunk.
  const chunks = spec.text.chunks ?? [];
  const textExtent = chunks.reduce((m, c) => Math.max(m, c.offset + c.bytes.length), 0);
  if (textExtent > textSize) throw new Error('a .text chunk lies past the section size');
  const textRaw = new Uint8Array(textExtent);
  for (const c of chunks) textRaw.set(c.bytes, c.offset);

  const secs: PeSectionSpec[] = [
    { name: '.text', rva: textRva, virtualSize: textSize, bytes: textRaw, characteristics: SCN_CODE_EXECUTE_READ },
    { name: '.rdata', rva: rdataRva, virtualSize: Math.max(rdata.length, 1), bytes: rdata, characteristics: SCN_INITIALIZED_READ },
  ];
  if (pdataRva !== null) secs.push({ name: '.pdata', rva: pdataRva, virtualSize: pdata.length, bytes: pdata, characteristics: SCN_INITIALIZED_READ });

  // The debug directory entry needs the CodeView record's file offset too.
  if (debugDirAt >= 0) {
    const rdataRawOffset = rawPlacement(secs.map((s) => s.bytes.length))[1]!.rawOffset;
    const d = new DataView(rdata.buffer, rdata.byteOffset + debugDirAt, 28);
    d.setUint32(0, 0, true);
    d.setUint32(4, spec.timestamp ?? 0, true);
    d.setUint32(12, 2, true); // IMAGE_DEBUG_TYPE_CODEVIEW
    d.setUint32(16, cvLen, true);
    d.setUint32(20, cvRva, true);
    d.setUint32(24, rdataRawOffset + (cvRva - rdataRva), true);
  }

  const directories: PeImageSpec['directories'] = {};
  if (exportDirRva !== null) directories[0] = { rva: exportDirRva, size: exportDirSize };
  if (pdataRva !== null) directories[3] = { rva: pdataRva, size: spec.pdataSize ?? pdata.length };
  if (debugDirRva !== null) directories[6] = { rva: debugDirRva, size: 28 };
  const image = buildPeFromSections({
    machine: spec.machine,
    imageBase: spec.imageBase,
    ...(spec.timestamp !== undefined ? { timestamp: spec.timestamp } : {}),
    ...(spec.checksum !== undefined ? { checksum: spec.checksum } : {}),
    ...(spec.dll !== undefined ? { dll: spec.dll } : {}),
    ...(spec.sizeOfImage !== undefined ? { sizeOfImage: spec.sizeOfImage } : {}),
    entryPoint: spec.entryPoint ?? textRva,
    sections: secs,
    directories,
  });

  const mapped: BuiltPe['mapped'] = [image.mapped[0]!];
  // Overlapping or touching chunks map as one piece, so dump memory ranges never overlap.
  const spans = chunks.map((c) => [c.offset, c.offset + c.bytes.length] as [number, number]).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const sp of spans) {
    const prev = merged[merged.length - 1];
    if (prev && sp[0] <= prev[1]) prev[1] = Math.max(prev[1], sp[1]);
    else merged.push([sp[0], sp[1]]);
  }
  for (const [a, b] of merged) if (b > a) mapped.push({ rva: textRva + a, bytes: textRaw.slice(a, b) });
  mapped.push({ rva: rdataRva, bytes: rdata });
  if (pdataRva !== null) mapped.push({ rva: pdataRva, bytes: pdata });

  return { ...image, mapped, layout: { exportDirRva, exportDirSize, debugDirRva, pdataRva, pdataSize: pdata.length, unwindRvas } };
}
