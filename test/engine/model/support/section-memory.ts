// Hand-laid process memory for the wait-recovery tests: sparse blocks, and RTL_CRITICAL_SECTION
// / RTL_CRITICAL_SECTION_DEBUG records in either layout.
import type { AddressSpace } from '../../../../src/engine/memory/address-space.ts';
import { SECTION_X64, SECTION_X86 } from '../../../../src/engine/model/minidump/critical-sections.ts';

/** Sparse memory: [address, bytes] blocks. */
export function memoryOf(blocks: [bigint, Uint8Array][]): AddressSpace {
  const find = (a: bigint, len: number) => blocks.find(([b, bytes]) => a >= b && a + BigInt(len) <= b + BigInt(bytes.length));
  return {
    async read(address, length) {
      const hit = find(address, length);
      if (!hit) return null;
      const off = Number(address - hit[0]);
      return hit[1].slice(off, off + length);
    },
    rangeAt(address) {
      const hit = find(address, 1);
      return hit ? { base: hit[0], size: BigInt(hit[1].length) } : null;
    },
  };
}

export interface Fields {
  debugInfo: bigint;
  lockCount: number;
  recursion: number;
  owner: bigint;
}

export function section(bits: 32 | 64, f: Fields): Uint8Array {
  const L = bits === 64 ? SECTION_X64 : SECTION_X86;
  const out = new Uint8Array(L.size);
  const v = new DataView(out.buffer);
  const ptr = (o: number, x: bigint) => (bits === 64 ? v.setBigUint64(o, x, true) : v.setUint32(o, Number(x), true));
  ptr(0, f.debugInfo);
  v.setInt32(L.lockCount, f.lockCount, true);
  v.setInt32(L.recursionCount, f.recursion, true);
  ptr(L.owningThread, f.owner);
  return out;
}

export function debugRecord(bits: 32 | 64, sectionAddress: bigint, contention = 7): Uint8Array {
  const L = bits === 64 ? SECTION_X64 : SECTION_X86;
  const out = new Uint8Array(L.debugSize);
  const v = new DataView(out.buffer);
  if (bits === 64) v.setBigUint64(L.debugCriticalSection, sectionAddress, true);
  else v.setUint32(L.debugCriticalSection, Number(sectionAddress), true);
  v.setInt32(L.debugContentionCount, contention, true);
  return out;
}

