// RTL_CRITICAL_SECTION read from dump memory, and the checks that decide whether an address
// really holds one (issue 12). A waiting thread's registers and stack hold many pointers; the
// one to the section it waits for is told apart by the section's own consistency, never by
// where it happened to be found:
//   - DebugInfo, unless NULL or -1 (Windows 8+ may allocate none), points at an
//     RTL_CRITICAL_SECTION_DEBUG whose CriticalSection field points back at this address;
//   - it is locked, by an OwningThread that is a thread of this dump, with RecursionCount ≥ 1;
//   - LockCount agrees with "locked" in one of its two encodings.
// A section whose DebugInfo is not in the dump cannot be checked that way and is not used.
//
// Layouts (x64 / x86): DebugInfo +0 / +0, LockCount (i32) +8 / +4, RecursionCount (i32)
// +0xc / +8, OwningThread (HANDLE holding the thread id) +0x10 / +0xc, LockSemaphore +0x18 /
// +0x10, SpinCount +0x20 / +0x14; 0x28 / 0x18 bytes. RTL_CRITICAL_SECTION_DEBUG: Type (u16) +0,
// CreatorBackTraceIndex (u16) +2, CriticalSection +8 / +4, ProcessLocksList +0x10 / +8,
// EntryCount +0x20 / +0x10, ContentionCount +0x24 / +0x14.
import type { AddressSpace } from '../../memory/address-space.ts';

export interface SectionLayout {
  bits: 32 | 64;
  size: number;
  lockCount: number;
  recursionCount: number;
  owningThread: number;
  lockSemaphore: number;
  debugCriticalSection: number;
  debugEntryCount: number;
  debugContentionCount: number;
  debugSize: number;
}

export const SECTION_X64: SectionLayout = {
  bits: 64,
  size: 0x28,
  lockCount: 0x8,
  recursionCount: 0xc,
  owningThread: 0x10,
  lockSemaphore: 0x18,
  debugCriticalSection: 0x8,
  debugEntryCount: 0x20,
  debugContentionCount: 0x24,
  debugSize: 0x28,
};

export const SECTION_X86: SectionLayout = {
  bits: 32,
  size: 0x18,
  lockCount: 0x4,
  recursionCount: 0x8,
  owningThread: 0xc,
  lockSemaphore: 0x10,
  debugCriticalSection: 0x4,
  debugEntryCount: 0x10,
  debugContentionCount: 0x14,
  debugSize: 0x18,
};

export function sectionLayout(bits: 32 | 64): SectionLayout {
  return bits === 64 ? SECTION_X64 : SECTION_X86;
}

/** A section that passed every check. */
export interface ValidSection {
  address: bigint;
  bits: 32 | 64;
  /** The RTL_CRITICAL_SECTION_DEBUG address, or null when DebugInfo is NULL or -1. */
  debugInfo: bigint | null;
  /** LockCount as stored. */
  rawLockCount: number;
  /** Threads waiting, as `!locks` prints LockCount (see `decodeLockCount`). */
  waiters: number;
  recursionCount: number;
  ownerThreadId: number;
  contention: number | null;
}

export type SectionCheck = { ok: true; section: ValidSection } | { ok: false; reason: string };

/**
 * LockCount has two encodings. Before Vista (and in Wine): -1 free, 0 locked with nobody
 * waiting, n > 0 locked with n waiters. Vista and later: it starts at -1, bit 0 clear means
 * locked, bit 1 clear means a waiter was woken, and each waiter subtracts 4, so a locked value
 * is ≤ -2 and waiters = (-1 - LockCount) >> 2. The sign tells them apart.
 */
export function decodeLockCount(raw: number): { locked: boolean; waiters: number } {
  if (raw >= 0) return { locked: true, waiters: raw };
  if (raw === -1) return { locked: false, waiters: 0 };
  return { locked: (raw & 1) === 0, waiters: (-1 - raw) >> 2 };
}

/** RecursionCount above this is no real nesting of EnterCriticalSection calls. */
const MAX_RECURSION = 1_000_000;

function readPtr(bytes: Uint8Array, offset: number, bits: 32 | 64): bigint {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return bits === 64 ? v.getBigUint64(offset, true) : BigInt(v.getUint32(offset, true));
}

function readI32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(offset, true);
}

/**
 * Reads the section at `address` and checks it. `threadIds` are the dump's threads. Two reads
 * at most (the section and its debug record), both of fixed size.
 */
export async function checkSection(memory: AddressSpace, address: bigint, bits: 32 | 64, threadIds: ReadonlySet<number>): Promise<SectionCheck> {
  const L = sectionLayout(bits);
  if (address === 0n || address % BigInt(bits / 8) !== 0n) return { ok: false, reason: 'not pointer-aligned' };
  const bytes = await memory.read(address, L.size);
  if (!bytes) return { ok: false, reason: 'not in the dump' };
  const debugRaw = readPtr(bytes, 0, bits);
  const rawLockCount = readI32(bytes, L.lockCount);
  const recursionCount = readI32(bytes, L.recursionCount);
  const owner = readPtr(bytes, L.owningThread, bits);
  const { locked, waiters } = decodeLockCount(rawLockCount);
  if (!locked) return { ok: false, reason: 'not locked' };
  if (owner === 0n || owner > 0xffffffffn || !threadIds.has(Number(owner))) return { ok: false, reason: 'its owner is no thread of this dump' };
  if (recursionCount < 1 || recursionCount > MAX_RECURSION) return { ok: false, reason: 'RecursionCount does not fit a locked section' };

  const none = debugRaw === 0n || debugRaw === (bits === 64 ? 0xffffffffffffffffn : 0xffffffffn);
  let contention: number | null = null;
  if (!none) {
    const debug = await memory.read(debugRaw, L.debugSize);
    if (!debug) return { ok: false, reason: 'its DebugInfo is not in the dump' };
    if (readPtr(debug, L.debugCriticalSection, bits) !== address) return { ok: false, reason: 'its DebugInfo does not point back at it' };
    contention = readI32(debug, L.debugContentionCount);
  }
  return {
    ok: true,
    section: {
      address,
      bits,
      debugInfo: none ? null : debugRaw,
      rawLockCount,
      waiters,
      recursionCount,
      ownerThreadId: Number(owner),
      contention,
    },
  };
}
