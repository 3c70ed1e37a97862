// MINIDUMP_HEADER: the 32 bytes at offset 0 that say "MDMP", how many streams there are and where
// their directory lies.
import { BinaryReader } from '../io/binary-reader.ts';
import { DumpError } from '../core/errors.ts';

export const HEADER_SIZE = 32;
/** 'MDMP' read as a little-endian u32. */
export const MINIDUMP_SIGNATURE = 0x504d444d;
/** 'PMDM': the signature as a big-endian writer leaves it. */
const SWAPPED_SIGNATURE = 0x4d444d50;
/** The low 16 bits of Version; the high 16 bits are the writer's build (dbghelp's internal version). */
export const MINIDUMP_VERSION = 0xa793;

export interface MinidumpHeader {
  signature: number;
  /** Full Version field; `version & 0xffff` should be 0xa793. */
  version: number;
  streamCount: number;
  streamDirectoryRva: number;
  checksum: number;
  /** time_t (seconds since 1970, UTC) the dump was written; 0 when the writer left it out. */
  timeDateStamp: number;
  /** MINIDUMP_TYPE flags (MiniDumpWithFullMemory = 0x2, …). */
  flags: bigint;
}

/** Parses the header from the first bytes of a file. `fileName` only feeds messages. */
export function parseHeader(bytes: Uint8Array, fileName: string): MinidumpHeader {
  if (bytes.length < 4) throw new DumpError('not-a-dump', `${fileName}: too short to be a minidump (${bytes.length} bytes)`);
  const r = new BinaryReader(bytes, `${fileName}: minidump header`);
  const signature = r.u32(0);
  if (signature === SWAPPED_SIGNATURE) {
    throw new DumpError('unsupported', `${fileName}: big-endian minidump (signature PMDM) is not supported`);
  }
  if (signature !== MINIDUMP_SIGNATURE) {
    throw new DumpError('not-a-dump', `${fileName}: not a minidump (no MDMP signature)`);
  }
  if (bytes.length < HEADER_SIZE) {
    throw new DumpError('truncated', `${fileName}: minidump header cut short at ${bytes.length} of ${HEADER_SIZE} bytes`);
  }
  return {
    signature,
    version: r.u32(4),
    streamCount: r.u32(8),
    streamDirectoryRva: r.u32(12),
    checksum: r.u32(16),
    timeDateStamp: r.u32(20),
    flags: r.u64(24),
  };
}

/** Names of the MINIDUMP_TYPE bits set in `flags`, for display ("MiniDumpWithFullMemory"). */
export function minidumpTypeNames(flags: bigint): string[] {
  const names: string[] = [];
  for (const [bit, name] of MINIDUMP_TYPE_BITS) if ((flags & bit) !== 0n) names.push(name);
  return names;
}

const MINIDUMP_TYPE_BITS: ReadonlyArray<readonly [bigint, string]> = [
  [0x1n, 'MiniDumpWithDataSegs'],
  [0x2n, 'MiniDumpWithFullMemory'],
  [0x4n, 'MiniDumpWithHandleData'],
  [0x8n, 'MiniDumpFilterMemory'],
  [0x10n, 'MiniDumpScanMemory'],
  [0x20n, 'MiniDumpWithUnloadedModules'],
  [0x40n, 'MiniDumpWithIndirectlyReferencedMemory'],
  [0x80n, 'MiniDumpFilterModulePaths'],
  [0x100n, 'MiniDumpWithProcessThreadData'],
  [0x200n, 'MiniDumpWithPrivateReadWriteMemory'],
  [0x400n, 'MiniDumpWithoutOptionalData'],
  [0x800n, 'MiniDumpWithFullMemoryInfo'],
  [0x1000n, 'MiniDumpWithThreadInfo'],
  [0x2000n, 'MiniDumpWithCodeSegs'],
  [0x4000n, 'MiniDumpWithoutAuxiliaryState'],
  [0x8000n, 'MiniDumpWithFullAuxiliaryState'],
  [0x10000n, 'MiniDumpWithPrivateWriteCopyMemory'],
  [0x20000n, 'MiniDumpIgnoreInaccessibleMemory'],
  [0x40000n, 'MiniDumpWithTokenInformation'],
  [0x80000n, 'MiniDumpWithModuleHeaders'],
  [0x100000n, 'MiniDumpFilterTriage'],
  [0x200000n, 'MiniDumpWithAvxXStateContext'],
  [0x400000n, 'MiniDumpWithIptTrace'],
  [0x800000n, 'MiniDumpScanInaccessiblePartialPages'],
  [0x1000000n, 'MiniDumpFilterWriteCombinedMemory'],
];
