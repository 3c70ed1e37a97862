// UnloadedModuleListStream: a sized header (SizeOfHeader, SizeOfEntry, NumberOfEntries) then
// MINIDUMP_UNLOADED_MODULE records. The sizes come from the file so newer, longer records still
// read; shorter ones than we know are corrupt.
import { boundedCount, hex32, readLocation, type StreamContext } from './location.ts';
import { readOptionalString } from './strings.ts';
import type { StreamEntry } from './directory.ts';
import { DumpError } from '../errors.ts';

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
  const r = await readLocation(ctx, entry, entry.name);
  if (r.length < 12) throw new DumpError('truncated', `${entry.name}: ${r.length} bytes, too short for its header`);
  const headerSize = r.u32(0);
  const entrySize = r.u32(4);
  if (headerSize < 12 || entrySize < UNLOADED_MODULE_SIZE) {
    throw new DumpError('corrupt', `${entry.name}: header size ${headerSize} / entry size ${entrySize} are below the format's`);
  }
  const available = r.length > headerSize ? Math.floor((r.length - headerSize) / entrySize) : 0;
  const count = boundedCount(ctx, entry.name, 'unloaded modules', r.u32(8), available, MAX_UNLOADED_MODULES);
  const out: MinidumpUnloadedModule[] = [];
  for (let index = 0; index < count; index++) {
    const at = headerSize + index * entrySize;
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
