// MemoryListStream: u32 count then MINIDUMP_MEMORY_DESCRIPTOR records, each with its own RVA.
// Minidumps (not full dumps) use it for stacks and the few pages around interesting pointers.
import { boundedCount, listStart, readLocation, type StreamContext } from './location.ts';
import { MEMORY_DESCRIPTOR_SIZE, parseMemoryDescriptor, type MemoryDescriptor } from './memory-descriptor.ts';
import type { StreamEntry } from './directory.ts';
import { DumpError } from '../errors.ts';

/** Ranges read at most, in either memory list: full dumps of large processes hold tens of thousands. */
export const MAX_MEMORY_RANGES = 1_000_000;

export async function readMemoryList(ctx: StreamContext, entry: StreamEntry): Promise<MemoryDescriptor[]> {
  const r = await readLocation(ctx, entry, entry.name);
  if (r.length < 4) throw new DumpError('truncated', `${entry.name}: ${r.length} bytes, too short for a range count`);
  const declared = r.u32(0);
  const start = listStart(entry.size, declared, MEMORY_DESCRIPTOR_SIZE);
  const count = boundedCount(
    ctx,
    entry.name,
    'memory ranges',
    declared,
    Math.floor((r.length - start) / MEMORY_DESCRIPTOR_SIZE),
    MAX_MEMORY_RANGES,
  );
  const out: MemoryDescriptor[] = [];
  for (let i = 0; i < count; i++) out.push(parseMemoryDescriptor(r, start + i * MEMORY_DESCRIPTOR_SIZE));
  return out;
}
