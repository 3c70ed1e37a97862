// The two TEBs of a WOW64 thread. A 32-bit thread on 64-bit Windows has a native TEB64 (the
// one the minidump's thread record points at) and a TEB32 that the 32-bit code sees through
// FS. Offsets are those of winternl.h / the public TEB layouts (NT_TIB first, then
// EnvironmentPointer, ClientId, ActiveRpcHandle, ThreadLocalStoragePointer, PEB,
// LastErrorValue), the same on every x64 release; TlsSlots sits at TEB64+0x1480 (the value
// WinDbg's wow64exts hard-codes, per pykd's kdlib cpucontext.cpp).
import { i32, u32 as u32At, u64 } from '../io/little-endian.ts';
import type { AddressSpace } from '../memory/address-space.ts';
import type { Warning } from '../core/dump-model.ts';
import type { WindowsVersion } from './windows-version.ts';

export const TEB64_OFFSETS = {
  /** NT_TIB64.ExceptionList: unused by 64-bit SEH, so WOW64 stores the TEB32 address here. */
  exceptionList: 0x00,
  stackBase: 0x08,
  stackLimit: 0x10,
  self: 0x30,
  clientIdProcess: 0x40,
  clientIdThread: 0x48,
  peb: 0x60,
  tlsSlots: 0x1480,
  /** LONG WowTebOffset (Windows 10 and later; a spare field before). */
  wowTebOffset: 0x180c,
} as const;

export const TEB32_OFFSETS = {
  exceptionList: 0x00,
  stackBase: 0x04,
  stackLimit: 0x08,
  self: 0x18,
  clientIdProcess: 0x20,
  clientIdThread: 0x24,
  peb: 0x30,
  lastErrorValue: 0x34,
} as const;

/** Bytes of the TEB32 head we read (through LastErrorValue). */
const TEB32_HEAD = 0x38;

/**
 * Every released x64 Windows allocates the TEB32 two pages after the TEB64 (the TEB64 is just
 * over one page, 0x1818..0x1838 bytes). The seed dump shows it too: TEBs 3 pages apart
 * (7efdb000, 7efd8000 …), two for the TEB64 and one for the TEB32.
 */
export const TEB32_DISTANCE = 0x2000n;

/** wow64tls.h: slot 1 of the TEB64 TLS array holds the CPU simulator's per-thread area. */
export const WOW64_TLS_CPURESERVED = 1;

/** First Windows 10 build; WowTebOffset is only trusted from here on. */
const WINDOWS_10_FIRST_BUILD = 10240;

export interface Teb32 {
  address: bigint;
  exceptionList: bigint;
  stackBase: bigint;
  stackLimit: bigint;
  self: bigint;
  clientId: { process: bigint; thread: bigint };
  peb: bigint;
  lastErrorValue: bigint;
}

/** A 32-bit TEB field, widened to an address. */
function u32(bytes: Uint8Array, at: number): bigint {
  return BigInt(u32At(bytes, at));
}

/** Reads the head of a TEB32, or null when those bytes are not in the dump. */
export async function readTeb32(space: AddressSpace, address: bigint): Promise<Teb32 | null> {
  const b = await space.read(address, TEB32_HEAD);
  if (!b) return null;
  const o = TEB32_OFFSETS;
  return {
    address,
    exceptionList: u32(b, o.exceptionList),
    stackBase: u32(b, o.stackBase),
    stackLimit: u32(b, o.stackLimit),
    self: u32(b, o.self),
    clientId: { process: u32(b, o.clientIdProcess), thread: u32(b, o.clientIdThread) },
    peb: u32(b, o.peb),
    lastErrorValue: u32(b, o.lastErrorValue),
  };
}

/** Reads TEB64.TlsSlots[slot], or null when not in the dump. */
export async function readTeb64TlsSlot(space: AddressSpace, teb64: bigint, slot: number): Promise<bigint | null> {
  const b = await space.read(teb64 + BigInt(TEB64_OFFSETS.tlsSlots + slot * 8), 8);
  return b ? u64(b, 0) : null;
}

export interface Teb32Location {
  /** The TEB32 the rest of the recovery uses. */
  address: bigint;
  /** Its head, when the dump holds it. */
  teb32: Teb32 | null;
  /** How the address was established ("teb64+0x2000", "TEB64.NtTib.ExceptionList", "WowTebOffset"). */
  source: string;
  warnings: Warning[];
}

/**
 * Finds the TEB32 of a WOW64 thread. TEB64+0x2000 is the rule; TEB64.NtTib.ExceptionList and
 * (Windows 10+) TEB64.WowTebOffset are cross-checks. A candidate is confirmed when the TEB32
 * there points at itself (NtTib.Self), as every TEB does.
 */
export async function locateTeb32(space: AddressSpace, teb64: bigint, version: WindowsVersion | null): Promise<Teb32Location> {
  const warnings: Warning[] = [];
  const candidates: { address: bigint; source: string }[] = [{ address: teb64 + TEB32_DISTANCE, source: 'teb64+0x2000' }];
  const head = await space.read(teb64, 0x10);
  if (head) {
    const exceptionList = u64(head, TEB64_OFFSETS.exceptionList);
    if (exceptionList !== 0n && exceptionList < 0x1_0000_0000n) candidates.push({ address: exceptionList, source: 'TEB64.NtTib.ExceptionList' });
  }
  if (version && version.major >= 10 && version.build >= WINDOWS_10_FIRST_BUILD) {
    const w = await space.read(teb64 + BigInt(TEB64_OFFSETS.wowTebOffset), 4);
    if (w) {
      const off = i32(w, 0);
      if (off !== 0) candidates.push({ address: teb64 + BigInt(off), source: 'TEB64.WowTebOffset' });
    }
  }

  const primary = candidates[0]!;
  const disagree = candidates.filter((c) => c.address !== primary.address);
  for (const c of disagree) {
    warnings.push({
      kind: 'wow64-teb32-mismatch',
      message: `${c.source} says the TEB32 is at 0x${c.address.toString(16)}, not 0x${primary.address.toString(16)} (TEB64+0x2000)`,
    });
  }
  for (const c of candidates) {
    const teb32 = await readTeb32(space, c.address);
    if (teb32 && teb32.self === c.address) return { address: c.address, teb32, source: c.source, warnings };
  }
  // Nothing confirmed itself: keep the rule's answer and say why it is unconfirmed.
  const teb32 = await readTeb32(space, primary.address);
  if (!teb32) {
    warnings.push({ kind: 'wow64-teb32-missing', message: `TEB32 at 0x${primary.address.toString(16)} is not in the dump` });
  } else {
    warnings.push({
      kind: 'wow64-teb32-unconfirmed',
      message: `TEB32 at 0x${primary.address.toString(16)} does not point at itself (NtTib.Self = 0x${teb32.self.toString(16)})`,
    });
  }
  return { address: primary.address, teb32, source: primary.source, warnings };
}
