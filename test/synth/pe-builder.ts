// A tiny PE writer for tests: PE32 (i386) and PE32+ (AMD64) images with a .text section, an
// export table, optionally .pdata + UNWIND_INFO, and a CodeView debug record. Sections are
// laid out at 0x1000 granularity (SectionAlignment 0x1000, FileAlignment 0x200) in this order:
// .text at RVA 0x1000, then .rdata (export directory, debug directory, CodeView record,
// UNWIND_INFO blocks), then .pdata. The result comes both as a file (`file`) and as the
// pieces a loader would have mapped (`mapped`), so a synthetic dump can carry just the pages
// that matter instead of a whole image.
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
  | { op: 'alloc-large'; at: number; size: number }
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
  version?: 1 | 2;
  /** UNW_FLAG_*; CHAININFO is added when `chained` is set. */
  flags?: number;
  prologSize: number;
  frameRegister?: number;
  /** Frame register offset in bytes (a multiple of 16, ≤ 240). */
  frameOffset?: number;
  codes: UnwindCodeSpec[];
  /** The parent function entry this one chains to (UNW_FLAG_CHAININFO). */
  chained?: { begin: number; end: number; unwind: UnwindInfoSpec } | { begin: number; end: number; unwindRva: number };
  /** Exception handler RVA for EHANDLER/UHANDLER, followed by 4 zero bytes of handler data. */
  handlerRva?: number;
}

export interface RuntimeFunctionSpec {
  begin: number;
  end: number;
  unwind: UnwindInfoSpec;
}

export interface ExportSpec {
  name?: string;
  rva: number;
  /** Forwarded export ("NTDLL.RtlAllocateHeap"): written inside the export directory. */
  forwarder?: string;
}

export interface PeSpec {
  machine: 'x86' | 'amd64';
  imageBase: bigint | number;
  timestamp?: number;
  checksum?: number;
  dll?: boolean;
  /** .text: its virtual size, and the bytes that exist (at offsets from the section start). */
  text: { size: number; chunks?: { offset: number; bytes: Uint8Array }[] };
  exports?: { dllName: string; functions: ExportSpec[]; ordinalBase?: number };
  pdata?: RuntimeFunctionSpec[];
  codeView?: CodeViewSpec;
  /** At least the laid-out size; larger values describe an image with more (absent) sections. */
  sizeOfImage?: number;
  entryPoint?: number;
}

export interface BuiltPe {
  /** The image as a file on disk (raw offsets). */
  file: Uint8Array;
  /** What the loader maps: pieces at RVAs (headers, .text chunks, .rdata, .pdata). */
  mapped: { rva: number; bytes: Uint8Array }[];
  sizeOfImage: number;
  sections: { name: string; rva: number; virtualSize: number; rawOffset: number; rawSize: number; characteristics: number }[];
  /** Where things went, for tests. */
  layout: { exportDirRva: number | null; exportDirSize: number; debugDirRva: number | null; pdataRva: number | null; pdataSize: number; unwindRvas: number[] };
}

const alignUp = (v: number, a: number): number => Math.ceil(v / a) * a;

/** Encodes one UNWIND_INFO (without handler data) at `rva`; returns its bytes. */
function unwindInfoBytes(u: UnwindInfoSpec, chainedUnwindRva: number | null): Uint8Array {
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
        if (c.size % 8 === 0 && c.size / 8 <= 0xffff) {
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
  w.u8(slots.length);
  w.u8((u.frameRegister ?? 0) | (((u.frameOffset ?? 0) / 16) << 4));
  for (const s of slots) w.u16(s);
  if (slots.length % 2 === 1) w.u16(0); // codes array is padded to an even count
  if (u.chained) {
    w.u32(u.chained.begin);
    w.u32(u.chained.end);
    w.u32('unwindRva' in u.chained ? u.chained.unwindRva : (chainedUnwindRva ?? 0));
  } else if (flags & (UNW_FLAG_EHANDLER | UNW_FLAG_UHANDLER)) {
    w.u32(u.handlerRva ?? 0);
    w.u32(0);
  }
  return w.toBytes();
}

export function buildPe(spec: PeSpec): BuiltPe {
  const pe32plus = spec.machine === 'amd64';
  const textRva = TEXT_RVA;
  const textSize = spec.text.size;
  const rdataRva = alignUp(textRva + Math.max(textSize, 1), SECTION_ALIGNMENT);

  // .rdata, with RVAs relative to the image.
  const rd = new ByteWriter(1024);
  const here = (): number => rdataRva + rd.length;
  let exportDirRva: number | null = null;
  let exportDirSize = 0;
  if (spec.exports) {
    const ex = spec.exports;
    const ordinalBase = ex.ordinalBase ?? 1;
    exportDirRva = here();
    const dirAt = rd.length;
    rd.zeros(40);
    const eatRva = here();
    const eatAt = rd.length;
    rd.zeros(4 * ex.functions.length);
    // The loader binary-searches names, so the name table is sorted by byte value.
    const named = ex.functions
      .map((f, index) => ({ f, index }))
      .filter((x) => x.f.name !== undefined)
      .sort((a, b) => (a.f.name! < b.f.name! ? -1 : a.f.name! > b.f.name! ? 1 : 0));
    const namesRva = here();
    const namesAt = rd.length;
    rd.zeros(4 * named.length);
    const ordsRva = here();
    const ordsAt = rd.length;
    rd.zeros(2 * named.length);
    const dllNameRva = here();
    rd.bytes(utf8(ex.dllName));
    rd.u8(0);
    named.forEach((n, i) => {
      rd.patchU32(namesAt + 4 * i, here());
      rd.bytes(utf8(n.f.name!));
      rd.u8(0);
      rd.patchU16(ordsAt + 2 * i, n.index);
    });
    ex.functions.forEach((f, i) => {
      if (f.forwarder) {
        rd.patchU32(eatAt + 4 * i, here());
        rd.bytes(utf8(f.forwarder));
        rd.u8(0);
      } else {
        rd.patchU32(eatAt + 4 * i, f.rva);
      }
    });
    rd.align(4);
    exportDirSize = here() - exportDirRva;
    rd.patchU32(dirAt + 12, dllNameRva);
    rd.patchU32(dirAt + 16, ordinalBase);
    rd.patchU32(dirAt + 20, ex.functions.length);
    rd.patchU32(dirAt + 24, named.length);
    rd.patchU32(dirAt + 28, eatRva);
    rd.patchU32(dirAt + 32, namesRva);
    rd.patchU32(dirAt + 36, ordsRva);
    rd.patchU32(dirAt + 4, spec.timestamp ?? 0);
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
  const unwindRvas: number[] = [];
  const placeUnwind = (u: UnwindInfoSpec): number => {
    let parentRva: number | null = null;
    if (u.chained && 'unwind' in u.chained) parentRva = placeUnwind(u.chained.unwind);
    rd.align(4);
    const rva = here();
    rd.bytes(unwindInfoBytes(u, parentRva));
    return rva;
  };
  const entries = [...(spec.pdata ?? [])].sort((a, b) => a.begin - b.begin);
  for (const e of entries) unwindRvas.push(placeUnwind(e.unwind));
  rd.align(4);
  const rdata = rd.toBytes();

  // .pdata: RUNTIME_FUNCTION { BeginAddress, EndAddress, UnwindInfoAddress }, sorted.
  let pdataRva: number | null = null;
  let pdata: Uint8Array = new Uint8Array(0);
  if (entries.length > 0) {
    pdataRva = alignUp(rdataRva + Math.max(rdata.length, 1), SECTION_ALIGNMENT);
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

  type Sec = { name: string; rva: number; virtualSize: number; raw: Uint8Array; characteristics: number };
  const secs: Sec[] = [{ name: '.text', rva: textRva, virtualSize: textSize, raw: textRaw, characteristics: SCN_CODE_EXECUTE_READ }];
  secs.push({ name: '.rdata', rva: rdataRva, virtualSize: Math.max(rdata.length, 1), raw: rdata, characteristics: SCN_INITIALIZED_READ });
  if (pdataRva !== null) secs.push({ name: '.pdata', rva: pdataRva, virtualSize: pdata.length, raw: pdata, characteristics: SCN_INITIALIZED_READ });
  const last = secs[secs.length - 1]!;
  const laidOut = alignUp(last.rva + last.virtualSize, SECTION_ALIGNMENT);
  const sizeOfImage = Math.max(laidOut, spec.sizeOfImage ?? 0);

  let rawOffset = SIZE_OF_HEADERS;
  const sections: BuiltPe['sections'] = secs.map((s) => {
    const rawSize = alignUp(s.raw.length, FILE_ALIGNMENT);
    const out = { name: s.name, rva: s.rva, virtualSize: s.virtualSize, rawOffset: rawSize > 0 ? rawOffset : 0, rawSize, characteristics: s.characteristics };
    rawOffset += rawSize;
    return out;
  });

  // Headers.
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
  h.u32(sections[0]!.rawSize);
  h.u32(sections.slice(1).reduce((a, s) => a + s.rawSize, 0));
  h.u32(0);
  h.u32(spec.entryPoint ?? textRva);
  h.u32(textRva);
  if (pe32plus) h.u64(BigInt(spec.imageBase));
  else {
    h.u32(rdataRva); // BaseOfData
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
  h.u32(16);
  const dirs: [number, number][] = Array.from({ length: 16 }, () => [0, 0] as [number, number]);
  if (exportDirRva !== null) dirs[0] = [exportDirRva, exportDirSize];
  if (pdataRva !== null) dirs[3] = [pdataRva, pdata.length];
  if (debugDirRva !== null) dirs[6] = [debugDirRva, 28];
  for (const [rva, size] of dirs) {
    h.u32(rva);
    h.u32(size);
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

  // The debug directory entry needs the CodeView record's file offset too.
  const rdataSection = sections[1]!;
  if (debugDirAt >= 0) {
    const d = new DataView(rdata.buffer, rdata.byteOffset + debugDirAt, 28);
    d.setUint32(0, 0, true);
    d.setUint32(4, spec.timestamp ?? 0, true);
    d.setUint32(12, 2, true); // IMAGE_DEBUG_TYPE_CODEVIEW
    d.setUint32(16, cvLen, true);
    d.setUint32(20, cvRva, true);
    d.setUint32(24, rdataSection.rawOffset + (cvRva - rdataRva), true);
  }

  const file = new Uint8Array(rawOffset);
  file.set(headers, 0);
  secs.forEach((s, i) => {
    if (s.raw.length > 0) file.set(s.raw, sections[i]!.rawOffset);
  });

  const mapped: BuiltPe['mapped'] = [{ rva: 0, bytes: headers }];
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

  return { file, mapped, sizeOfImage, sections, layout: { exportDirRva, exportDirSize, debugDirRva, pdataRva, pdataSize: pdata.length, unwindRvas } };
}
