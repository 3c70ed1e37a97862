// Pointer-sized reads from dump memory. A value that is not in the dump is null, never zero:
// a walker that mistook missing memory for zeros would report a clean end of stack.
import type { AddressSpace } from '../memory/address-space.ts';

export async function readPointer(memory: AddressSpace, address: bigint, width: 4 | 8): Promise<bigint | null> {
  if (address < 0n || address > (width === 8 ? 0xffff_ffff_ffff_fff8n : 0xffff_fffcn)) return null;
  const bytes = await memory.read(address, width);
  if (!bytes || bytes.length < width) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, width);
  return width === 8 ? view.getBigUint64(0, true) : BigInt(view.getUint32(0, true));
}

/** x64 user and kernel addresses have bits 63..47 all equal; anything else cannot be code. */
export function isCanonical64(address: bigint): boolean {
  const top = address >> 47n;
  return top === 0n || top === 0x1ffffn;
}
