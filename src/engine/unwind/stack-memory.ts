// Pointer-sized reads from dump memory. A value that is not in the dump is null, never zero:
// a walker that mistook missing memory for zeros would report a clean end of stack.
import type { AddressSpace } from '../memory/address-space.ts';

export function readPointer(memory: AddressSpace, address: bigint, width: 4 | 8): Promise<bigint | null> {
  if (address < 0n || address > (width === 8 ? 0xffff_ffff_ffff_fff8n : 0xffff_fffcn)) return Promise.resolve(null);
  // A walk reads thousands of pointers, nearly all from stack blocks already read: those are
  // decoded here and now, without a promise per layer below.
  const held = memory.peek?.(address, width);
  if (held) return Promise.resolve(pointerValue(held, width));
  return memory.read(address, width).then((bytes) => (bytes && bytes.length >= width ? pointerValue(bytes, width) : null));
}

function pointerValue(bytes: Uint8Array, width: 4 | 8): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, width);
  return width === 8 ? view.getBigUint64(0, true) : BigInt(view.getUint32(0, true));
}

/** x64 user and kernel addresses have bits 63..47 all equal; anything else cannot be code. */
export function isCanonical64(address: bigint): boolean {
  const top = address >> 47n;
  return top === 0n || top === 0x1ffffn;
}
