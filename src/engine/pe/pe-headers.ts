// DOS header → NT headers → optional header (PE32 or PE32+) → data directories → section
// table. Only the fields the engine uses are kept. Every offset and count is checked here so
// that the readers of the directories above can trust what they get.
import { DumpError } from '../core/errors.ts';
import type { ImageReader, ImageSection } from './image-reader.ts';
import { cString, u16, u32, u64 } from '../io/little-endian.ts';

export const IMAGE_FILE_MACHINE_I386 = 0x14c;
export const IMAGE_FILE_MACHINE_AMD64 = 0x8664;
export const IMAGE_FILE_MACHINE_ARM64 = 0xaa64;

export const IMAGE_SCN_CNT_CODE = 0x20;
export const IMAGE_SCN_MEM_EXECUTE = 0x20000000;

/** Data directory slots (IMAGE_DIRECTORY_ENTRY_*) the engine reads. */
export const DIR_EXPORT = 0;
export const DIR_EXCEPTION = 3;
export const DIR_DEBUG = 6;

// e_lfanew beyond this is not a real image (linkers put the NT headers within the first page
// or two; packers a little further). It also bounds the header read.
const MAX_LFANEW = 64 * 1024;
// The Windows loader refuses more than 96 sections on old systems; newer ones allow more, but
// thousands is corruption.
const MAX_SECTIONS = 1024;

export interface DataDirectory {
  rva: number;
  size: number;
}

export interface PeHeaders {
  machine: number;
  /** 'pe32' for 32-bit images, 'pe32+' for 64-bit ones. */
  format: 'pe32' | 'pe32+';
  timestamp: number;
  characteristics: number;
  imageBase: bigint;
  entryPoint: number;
  sizeOfImage: number;
  sizeOfHeaders: number;
  checksum: number;
  subsystem: number;
  dllCharacteristics: number;
  /** Always 16 slots; absent ones are {0, 0}. */
  dataDirectories: DataDirectory[];
  sections: ImageSection[];
}

export function machineName(machine: number): string {
  switch (machine) {
    case IMAGE_FILE_MACHINE_I386:
      return 'x86';
    case IMAGE_FILE_MACHINE_AMD64:
      return 'amd64';
    case IMAGE_FILE_MACHINE_ARM64:
      return 'arm64';
    case 0x1c0:
    case 0x1c4:
      return 'arm';
    default:
      return `0x${machine.toString(16)}`;
  }
}

/** Throws DumpError: 'not-a-dump' when the bytes are no PE image, 'truncated'/'corrupt' otherwise. */
export async function parsePeHeaders(reader: ImageReader): Promise<PeHeaders> {
  const dos = await reader.read(0, 0x40);
  if (!dos) throw new DumpError('truncated', `${reader.name}: PE DOS header not available`);
  if (u16(dos, 0) !== 0x5a4d) throw new DumpError('not-a-dump', `${reader.name}: no MZ signature, not a PE image`);
  const lfanew = u32(dos, 0x3c);
  if (lfanew > MAX_LFANEW) {
    throw new DumpError('corrupt', `${reader.name}: PE header offset 0x${lfanew.toString(16)} is out of range`);
  }

  // Signature (4) + IMAGE_FILE_HEADER (20); then the optional header, whose size it states.
  const nt = await reader.read(lfanew, 24);
  if (!nt) throw new DumpError('truncated', `${reader.name}: PE NT headers not available`);
  if (u32(nt, 0) !== 0x00004550) throw new DumpError('not-a-dump', `${reader.name}: no PE signature at 0x${lfanew.toString(16)}`);
  const machine = u16(nt, 4);
  const sectionCount = u16(nt, 6);
  const timestamp = u32(nt, 8);
  const optSize = u16(nt, 20);
  const characteristics = u16(nt, 22);
  if (sectionCount > MAX_SECTIONS) throw new DumpError('corrupt', `${reader.name}: ${sectionCount} sections is not plausible`);

  const optOffset = lfanew + 24;
  if (optSize < 2) throw new DumpError('corrupt', `${reader.name}: PE optional header is missing`);
  const opt = await reader.read(optOffset, optSize);
  if (!opt) throw new DumpError('truncated', `${reader.name}: PE optional header not available`);
  const magic = u16(opt, 0);
  let format: PeHeaders['format'];
  let dirOffset: number;
  let imageBase: bigint;
  if (magic === 0x10b) {
    format = 'pe32';
    dirOffset = 96;
    if (optSize < dirOffset) throw new DumpError('corrupt', `${reader.name}: PE32 optional header is ${optSize} bytes, too short`);
    imageBase = BigInt(u32(opt, 28));
  } else if (magic === 0x20b) {
    format = 'pe32+';
    dirOffset = 112;
    if (optSize < dirOffset) throw new DumpError('corrupt', `${reader.name}: PE32+ optional header is ${optSize} bytes, too short`);
    imageBase = u64(opt, 24);
  } else {
    throw new DumpError('corrupt', `${reader.name}: unknown optional header magic 0x${magic.toString(16)}`);
  }
  const rvaCount = u32(opt, dirOffset - 4);
  // The count may claim more than 16 or more than the header holds: trust neither.
  const dirCount = Math.min(rvaCount, 16, Math.floor((optSize - dirOffset) / 8));
  const dataDirectories: DataDirectory[] = [];
  for (let i = 0; i < 16; i++) {
    dataDirectories.push(i < dirCount ? { rva: u32(opt, dirOffset + i * 8), size: u32(opt, dirOffset + i * 8 + 4) } : { rva: 0, size: 0 });
  }

  const sizeOfImage = u32(opt, 56);
  const sizeOfHeaders = u32(opt, 60);
  if (sizeOfImage === 0) throw new DumpError('corrupt', `${reader.name}: SizeOfImage is zero`);

  const sectionOffset = optOffset + optSize;
  const sections: ImageSection[] = [];
  if (sectionCount > 0) {
    const table = await reader.read(sectionOffset, sectionCount * 40);
    if (!table) throw new DumpError('truncated', `${reader.name}: PE section table not available`);
    for (let i = 0; i < sectionCount; i++) {
      const at = i * 40;
      sections.push({
        name: cString(table.subarray(at, at + 8)),
        virtualSize: u32(table, at + 8),
        virtualAddress: u32(table, at + 12),
        rawSize: u32(table, at + 16),
        rawOffset: u32(table, at + 20),
        characteristics: u32(table, at + 36),
      });
    }
  }

  return {
    machine,
    format,
    timestamp,
    characteristics,
    imageBase,
    entryPoint: u32(opt, 16),
    sizeOfImage,
    sizeOfHeaders,
    checksum: u32(opt, 64),
    subsystem: u16(opt, 68),
    dllCharacteristics: u16(opt, 70),
    dataDirectories,
    sections,
  };
}

export function isExecutableSection(section: ImageSection): boolean {
  return (section.characteristics & (IMAGE_SCN_MEM_EXECUTE | IMAGE_SCN_CNT_CODE)) !== 0;
}

/** The section whose virtual range holds `rva`, or null (headers, gaps, past the end). */
export function sectionAt(sections: readonly ImageSection[], rva: number): ImageSection | null {
  for (const s of sections) {
    // Old linkers leave VirtualSize zero; the raw size is then the best bound there is.
    const span = s.virtualSize || s.rawSize;
    if (rva >= s.virtualAddress && rva < s.virtualAddress + span) return s;
  }
  return null;
}
