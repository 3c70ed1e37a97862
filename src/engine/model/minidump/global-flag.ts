// Issue 12 fact (Instrumentation Information): PEB.NtGlobalFlag, the global flags (gflags) the
// loader applied to the process: page heap, heap tail and free checking, user-mode stack trace
// database, Application Verifier. It is in a dump that holds the PEB (full memory, or
// MiniDumpWithProcessThreadData on Windows). The PEB is found from a thread's TEB
// (TEB.ProcessEnvironmentBlock at +0x60 on x64, +0x30 on x86); NtGlobalFlag is at PEB+0xBC
// (x64) and PEB+0x68 (x86) on every release (the public PEB layout).
import { u32, u64 } from '../../io/little-endian.ts';
import type { AddressSpace } from '../../memory/address-space.ts';

const X64 = { tebSelf: 0x30, tebPeb: 0x60, ntGlobalFlag: 0xbc } as const;
const X86 = { tebSelf: 0x18, tebPeb: 0x30, ntGlobalFlag: 0x68 } as const;

/** TEBs tried before giving up: any thread's TEB leads to the one PEB. */
const MAX_TEBS_TRIED = 16;

/**
 * NtGlobalFlag from the PEB the first readable TEB points at, or null when no TEB or PEB is in
 * the dump. A TEB must point at itself (NT_TIB.Self) to be believed.
 */
export async function ntGlobalFlag(memory: AddressSpace, tebs: readonly bigint[], bits: 32 | 64): Promise<number | null> {
  const o = bits === 64 ? X64 : X86;
  for (const teb of tebs.filter((t) => t !== 0n).slice(0, MAX_TEBS_TRIED)) {
    const width = bits === 64 ? 8 : 4;
    const b = await memory.read(teb, o.tebPeb + width);
    if (!b) continue;
    const self = bits === 64 ? u64(b, o.tebSelf) : BigInt(u32(b, o.tebSelf));
    if (self !== teb) continue;
    const peb = bits === 64 ? u64(b, o.tebPeb) : BigInt(u32(b, o.tebPeb));
    if (peb === 0n) continue;
    const flag = await memory.read(peb + BigInt(o.ntGlobalFlag), 4);
    if (flag) return u32(flag, 0);
  }
  return null;
}
