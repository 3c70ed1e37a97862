// UnloadedModuleListStream: a sized header (SizeOfHeader, SizeOfEntry, NumberOfEntries) then
// MINIDUMP_UNLOADED_MODULE records. The sizes come from the file so newer, longer records still
// read; shorter ones than we know are corrupt.
import { hex32, outOfTime, type StreamContext } from './location.ts';
import { readSizedList } from './list-header.ts';
import { readOptionalString } from './strings.ts';
import type { StreamEntry } from './directory.ts';

export const UNLOADED_MODULE_SIZE = 24;
/** Windows keeps the last 64 unloads per process; 100 000 is far beyond any real list. */
export const MAX_UNLOADED_MODULES = 100_000;

export interface MinidumpUnloadedModule {
  index: number;
  base: bigint;
  size: number;
  checksum: number;
  timestamp: number;
  name: string;
}

export async function readUnloadedModuleList(ctx: StreamContext, entry: StreamEntry): Promise<MinidumpUnloadedModule[]> {
  const { r, start, entrySize, count } = await readSizedList(ctx, entry, {
    headerSize: 12,
    entrySize: UNLOADED_MODULE_SIZE,
    what: 'unloaded modules',
    cap: MAX_UNLOADED_MODULES,
  });
  const out: MinidumpUnloadedModule[] = [];
  for (let index = 0; index < count; index++) {
    if (outOfTime(ctx, index, entry.name, 'unloaded modules')) break;
    const at = start + index * entrySize;
    const nameRva = r.u32(at + 20);
    out.push({
      index,
      base: r.u64(at),
      size: r.u32(at + 8),
      checksum: r.u32(at + 12),
      timestamp: r.u32(at + 16),
      name: (await readOptionalString(ctx, nameRva, `${entry.name} entry ${index} name at ${hex32(nameRva)}`)) ?? '',
    });
  }
  return out;
}
