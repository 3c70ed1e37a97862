// Issue 12 fact (Last Error Collection): each thread's TEB.LastErrorValue, the value
// GetLastError returns on that thread. The TEB is in a dump written with
// MiniDumpWithProcessThreadData or full memory; a MiniDumpNormal dump (and Wine's small dumps,
// which ignore that flag) holds none, and the value is then unknown, never 0.
//
// Offsets are the public TEB layout's, the same on every release: NT_TIB.Self at +0x30 (x64)
// / +0x18 (x86), LastErrorValue at +0x68 (x64) / +0x34 (x86). A WOW64 thread's 32-bit code
// sets the value in its TEB32 (two pages above the TEB64 on every x64 Windows), so that one is
// read for it.
import { u32, u64 } from '../../io/little-endian.ts';
import type { AddressSpace } from '../../memory/address-space.ts';
import { TEB32_DISTANCE } from '../../wow64/teb.ts';

const TEB64 = { self: 0x30, lastErrorValue: 0x68 } as const;
const TEB32 = { self: 0x18, lastErrorValue: 0x34 } as const;

/**
 * The LastErrorValue of the TEB at `teb`, or null when the TEB is not in the dump or does not
 * point at itself (NT_TIB.Self): a value read from anything else would be a guess.
 */
export async function lastErrorValue(memory: AddressSpace, teb: bigint, bits: 32 | 64, wow64: boolean): Promise<number | null> {
  if (teb === 0n) return null;
  if (bits === 64 && !wow64) {
    const b = await memory.read(teb, TEB64.lastErrorValue + 4);
    if (!b || u64(b, TEB64.self) !== teb) return null;
    return u32(b, TEB64.lastErrorValue);
  }
  const teb32 = bits === 64 ? teb + TEB32_DISTANCE : teb;
  const b = await memory.read(teb32, TEB32.lastErrorValue + 4);
  if (!b || BigInt(u32(b, TEB32.self)) !== teb32) return null;
  return u32(b, TEB32.lastErrorValue);
}
