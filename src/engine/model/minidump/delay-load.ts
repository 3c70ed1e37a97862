// Issue 12 fact (Missing Component): the names behind a delay-load failure. MSVC's delay-load
// helper (and mingw-w64's, which copies it) raises VcppException(ERROR_SEVERITY_ERROR,
// ERROR_MOD_NOT_FOUND) = 0xc06d007e when the DLL cannot be loaded and ERROR_PROC_NOT_FOUND
// (0xc06d007f) when the function is not in it, with one parameter: the address of its
// DelayLoadInfo (delayimp.h), on the helper's stack. That record names the DLL and the function:
//   x64: cb u32 (72) | pidd @8 | ppfn @16 | szDll @24 | dlp { fImportByName u32 @32, szProcName
//        or dwOrdinal @40 } | hmodCur @48 | pfnCur @56 | dwLastError u32 @64
//   x86: cb u32 (36) | pidd @4 | ppfn @8 | szDll @12 | dlp { fImportByName @16, name/ordinal
//        @20 } | hmodCur @24 | pfnCur @28 | dwLastError @32
// The strings live in the image's read-only data: in dump memory for a full dump, else in the
// module file given beside the dump (read through the module index, by RVA).
import { u32, u64 } from '../../io/little-endian.ts';
import type { AddressSpace } from '../../memory/address-space.ts';
import type { ModuleLookup } from '../../unwind/types.ts';

export const DELAY_LOAD_MOD_NOT_FOUND = 0xc06d007e;
export const DELAY_LOAD_PROC_NOT_FOUND = 0xc06d007f;
/** Longest DLL or function name read (MAX_PATH for a DLL; decorated C++ names run longer). */
const MAX_NAME = 512;

const LAYOUT = {
  64: { size: 72, szDll: 24, byName: 32, proc: 40, lastError: 64, ptr: 8 },
  32: { size: 36, szDll: 12, byName: 16, proc: 20, lastError: 32, ptr: 4 },
} as const;

export interface DelayLoadFact {
  dll: string | null;
  procedure: string | null;
  ordinal: number | null;
  lastError: number | null;
}

/** An ASCII name at `address`, from dump memory or from the image of the module that holds it. */
async function readName(address: bigint, memory: AddressSpace, modules: ModuleLookup): Promise<string | null> {
  if (address === 0n) return null;
  let bytes = await readUpTo(memory, address);
  if (!bytes) {
    const m = modules.moduleAt(address);
    const image = m ? await m.image() : null;
    bytes = image ? await image.read(Number(address - m!.base), MAX_NAME) : null;
    // A name near the end of its section: read what there is.
    for (let n = MAX_NAME / 2; !bytes && image && n >= 16; n /= 2) bytes = await image.read(Number(address - m!.base), n);
  }
  if (!bytes) return null;
  const end = bytes.indexOf(0);
  if (end <= 0) return null;
  const text = String.fromCharCode(...bytes.subarray(0, end));
  // A DLL or function name is printable ASCII; anything else is not the string we want.
  return /^[\x20-\x7e]+$/.test(text) ? text : null;
}

async function readUpTo(memory: AddressSpace, address: bigint): Promise<Uint8Array | null> {
  const range = memory.rangeAt(address);
  if (!range) return null;
  const left = Number(range.base + range.size - address);
  return memory.read(address, Math.min(MAX_NAME, left));
}

/**
 * What the delay-load helper was loading, or null when the exception is not a delay-load
 * failure or its DelayLoadInfo is not in the dump (or is not one: its cb field must match).
 */
export async function delayLoadFact(code: number, parameters: readonly bigint[], bits: 32 | 64, memory: AddressSpace, modules: ModuleLookup): Promise<DelayLoadFact | null> {
  if (code !== DELAY_LOAD_MOD_NOT_FOUND && code !== DELAY_LOAD_PROC_NOT_FOUND) return null;
  const info = parameters[0];
  if (info === undefined || info === 0n) return null;
  const o = LAYOUT[bits];
  const b = await memory.read(info, o.size);
  if (!b || u32(b, 0) !== o.size) return null;
  const ptr = (at: number): bigint => (o.ptr === 8 ? u64(b, at) : BigInt(u32(b, at)));
  const byName = u32(b, o.byName) !== 0;
  return {
    dll: await readName(ptr(o.szDll), memory, modules),
    procedure: byName ? await readName(ptr(o.proc), memory, modules) : null,
    ordinal: byName ? null : u32(b, o.proc) & 0xffff,
    lastError: u32(b, o.lastError),
  };
}
