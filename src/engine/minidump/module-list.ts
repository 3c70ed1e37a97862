// ModuleListStream: u32 count, then MINIDUMP_MODULE records (108 bytes each). Names, CodeView
// and version live elsewhere in the file; a bad one costs a warning, not the list.
import { BinaryReader } from '../io/binary-reader.ts';
import { hex32, outOfTime, parseLocation, readLocation, type Location, type StreamContext } from './location.ts';
import { readCountedList } from './list-header.ts';
import { readOptionalString } from './strings.ts';
import { MAX_CODEVIEW_BYTES, parseCodeView, type CodeViewRecord } from './codeview.ts';
import type { StreamEntry } from './directory.ts';
import { DumpError } from '../core/errors.ts';

export const MODULE_SIZE = 108;
/** Modules read at most; real processes load a few hundred to a few thousand. */
export const MAX_MODULES = 100_000;
export const VS_FFI_SIGNATURE = 0xfeef04bd;

/** VS_FIXEDFILEINFO, the binary part of a PE's version resource. */
export interface FixedFileInfo {
  signature: number;
  structVersion: number;
  fileVersionMS: number;
  fileVersionLS: number;
  productVersionMS: number;
  productVersionLS: number;
  fileFlagsMask: number;
  fileFlags: number;
  fileOS: number;
  fileType: number;
  fileSubtype: number;
  fileDateMS: number;
  fileDateLS: number;
}

export interface MinidumpModule {
  index: number;
  base: bigint;
  size: number;
  checksum: number;
  /** PE TimeDateStamp (time_t); 0 for ELF/Mach-O modules. */
  timestamp: number;
  /** Full path as loaded ("C:\Windows\System32\ntdll.dll"); "" when unreadable. */
  name: string;
  versionInfo: FixedFileInfo;
  /** "5.1.2600.2180" from versionInfo, or null when the record has no version. */
  version: string | null;
  productVersion: string | null;
  cvRecord: Location;
  codeView: CodeViewRecord | null;
  miscRecord: Location;
  /** Breakpad's code identifier: TimeDateStamp as %08X then SizeOfImage as %x ("45D35F6C2d000"). */
  codeId: string;
}

export function parseFixedFileInfo(r: BinaryReader, offset: number): FixedFileInfo {
  const f = (i: number): number => r.u32(offset + i * 4);
  return {
    signature: f(0),
    structVersion: f(1),
    fileVersionMS: f(2),
    fileVersionLS: f(3),
    productVersionMS: f(4),
    productVersionLS: f(5),
    fileFlagsMask: f(6),
    fileFlags: f(7),
    fileOS: f(8),
    fileType: f(9),
    fileSubtype: f(10),
    fileDateMS: f(11),
    fileDateLS: f(12),
  };
}

function dotted(ms: number, ls: number): string {
  return `${ms >>> 16}.${ms & 0xffff}.${ls >>> 16}.${ls & 0xffff}`;
}

export async function readModuleList(ctx: StreamContext, entry: StreamEntry): Promise<MinidumpModule[]> {
  const { r, start, count } = await readCountedList(ctx, entry, { entrySize: MODULE_SIZE, countOf: 'module', what: 'modules', cap: MAX_MODULES });
  const modules: MinidumpModule[] = [];
  for (let index = 0; index < count; index++) {
    if (outOfTime(ctx, index, entry.name, 'modules')) break;
    const at = start + index * MODULE_SIZE;
    const base = r.u64(at);
    const size = r.u32(at + 8);
    const timestamp = r.u32(at + 16);
    const nameRva = r.u32(at + 20);
    const versionInfo = parseFixedFileInfo(r, at + 24);
    const cvRecord = parseLocation(r, at + 76);
    const miscRecord = parseLocation(r, at + 84);
    const label = `${entry.name} module ${index}`;
    const name = (await readOptionalString(ctx, nameRva, `${label} name at ${hex32(nameRva)}`)) ?? '';
    if (nameRva === 0) ctx.warn('module-unnamed', `${label} at 0x${base.toString(16)} has no name`);
    const hasVersion = versionInfo.signature === VS_FFI_SIGNATURE;
    modules.push({
      index,
      base,
      size,
      checksum: r.u32(at + 12),
      timestamp,
      name,
      versionInfo,
      version: hasVersion ? dotted(versionInfo.fileVersionMS, versionInfo.fileVersionLS) : null,
      productVersion: hasVersion ? dotted(versionInfo.productVersionMS, versionInfo.productVersionLS) : null,
      cvRecord,
      codeView: await readCodeView(ctx, cvRecord, `${label} (${name || '?'}) CodeView record`),
      miscRecord,
      codeId: `${timestamp.toString(16).toUpperCase().padStart(8, '0')}${size.toString(16)}`,
    });
  }
  return modules;
}

async function readCodeView(ctx: StreamContext, loc: Location, label: string): Promise<CodeViewRecord | null> {
  if (loc.size === 0 || loc.rva === 0) return null;
  if (loc.size > MAX_CODEVIEW_BYTES) {
    ctx.warn('codeview-corrupt', `${label}: ${loc.size} bytes is too large for a CodeView record`);
    return null;
  }
  try {
    return parseCodeView(await readLocation(ctx, loc, label));
  } catch (err) {
    if (!(err instanceof DumpError)) throw err;
    ctx.warn('codeview-unreadable', err.message);
    return null;
  }
}
