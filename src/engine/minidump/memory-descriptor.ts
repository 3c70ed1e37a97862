// MINIDUMP_MEMORY_DESCRIPTOR (16 bytes): a range of process memory and where its bytes lie in
// the file. Thread stacks, MemoryListStream entries and backing stores all use it.
import type { BinaryReader } from '../io/binary-reader.ts';

export const MEMORY_DESCRIPTOR_SIZE = 16;

export interface MemoryDescriptor {
  /** Virtual address of the first byte. */
  base: bigint;
  /** Bytes captured (u32: a single descriptor never covers more than 4 GiB). */
  size: number;
  /** File offset of the captured bytes. */
  rva: number;
}

export function parseMemoryDescriptor(r: BinaryReader, offset: number): MemoryDescriptor {
  return { base: r.u64(offset), size: r.u32(offset + 8), rva: r.u32(offset + 12) };
}
