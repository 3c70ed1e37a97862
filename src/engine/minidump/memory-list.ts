// MemoryListStream: u32 count then MINIDUMP_MEMORY_DESCRIPTOR records, each with its own RVA.
// Minidumps (not full dumps) use it for stacks and the few pages around interesting pointers.
import type { StreamContext } from './location.ts';
import { readCountedList } from './list-header.ts';
import { MEMORY_DESCRIPTOR_SIZE, parseMemoryDescriptor, type MemoryDescriptor } from './memory-descriptor.ts';
import type { StreamEntry } from './directory.ts';

/** Ranges read at most, in either memory list: full dumps of large processes hold tens of thousands. */
export const MAX_MEMORY_RANGES = 1_000_000;

export async function readMemoryList(ctx: StreamContext, entry: StreamEntry): Promise<MemoryDescriptor[]> {
  const { r, start, count } = await readCountedList(ctx, entry, {
    entrySize: MEMORY_DESCRIPTOR_SIZE,
    countOf: 'range',
    what: 'memory ranges',
    cap: MAX_MEMORY_RANGES,
  });
  const out: MemoryDescriptor[] = [];
  for (let i = 0; i < count; i++) out.push(parseMemoryDescriptor(r, start + i * MEMORY_DESCRIPTOR_SIZE));
  return out;
}
