// Memory64ListStream: full-memory dumps. A u64 count and a u64 BaseRva, then (address, size)
// pairs with no RVA of their own: the bytes of all ranges follow one another from BaseRva, in
// list order. So the file offset of range i is BaseRva + the sizes of ranges 0..i-1.
import { boundedCount, readLocation, type StreamContext } from './location.ts';
import { MAX_MEMORY_RANGES } from './memory-list.ts';
import type { StreamEntry } from './directory.ts';
import { DumpError } from '../core/errors.ts';

export const MEMORY64_DESCRIPTOR_SIZE = 16;

export interface Memory64Range {
  base: bigint;
  /** Bytes captured; bigint because one range may exceed 4 GiB. */
  size: bigint;
  /** File offset of the range's first byte (may lie past the end of a truncated file). */
  rva: bigint;
}

export interface Memory64List {
  baseRva: bigint;
  ranges: Memory64Range[];
  /** File offset just past the last range's bytes, as the list claims it. */
  end: bigint;
}

export async function readMemory64List(ctx: StreamContext, entry: StreamEntry): Promise<Memory64List> {
  const r = await readLocation(ctx, entry, entry.name);
  if (r.length < 16) throw new DumpError('truncated', `${entry.name}: ${r.length} bytes, too short for its header`);
  const declared = r.u64(0);
  const baseRva = r.u64(8);
  const count = boundedCount(
    ctx,
    entry.name,
    'memory ranges',
    declared,
    Math.floor((r.length - 16) / MEMORY64_DESCRIPTOR_SIZE),
    MAX_MEMORY_RANGES,
    r.length === entry.size,
  );
  const ranges: Memory64Range[] = [];
  let rva = baseRva;
  for (let i = 0; i < count; i++) {
    const at = 16 + i * MEMORY64_DESCRIPTOR_SIZE;
    const size = r.u64(at + 8);
    ranges.push({ base: r.u64(at), size, rva });
    rva += size;
  }
  return { baseRva, ranges, end: rva };
}
