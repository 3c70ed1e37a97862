// Adds a MemoryInfoList stream to a real dump that lacks one. Wine's dbghelp writes none, so
// fixtures/programs/insufficient-memory-committed-memory.c walks its own address space with VirtualQuery when it
// runs out of memory (insufficient-memory-committed-memory.meminfo.json, beside the dump) and this module turns the
// walk into the stream Windows' dbghelp writes from the same calls (MiniDumpWithFullMemoryInfo):
// MINIDUMP_MEMORY_INFO_LIST (SizeOfHeader 16, SizeOfEntry 48, NumberOfEntries u64) and one
// MINIDUMP_MEMORY_INFO per region: BaseAddress, AllocationBase, AllocationProtect, 4 bytes of
// alignment, RegionSize, State, Protect, Type, 4 bytes of alignment. The rest of the dump stays
// byte for byte (stream-appender.ts); the augmenter checks the walk's process id against MiscInfo.
import { appendStream, miscProcessId } from './stream-appender.ts';

export const MEMORY_INFO_LIST_STREAM = 16;

export interface MemoryRegionFact {
  base: number;
  allocationBase: number;
  allocationProtect: number;
  size: number;
  state: number;
  protect: number;
  type: number;
}

export interface MemoryWalk {
  processId: number;
  regions: MemoryRegionFact[];
}

function int(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new Error(`memory walk: ${what} is not a non-negative integer`);
  return value;
}

export function parseMemoryWalk(json: string): MemoryWalk {
  const root = JSON.parse(json) as Record<string, unknown>;
  const list = root['regions'];
  if (!Array.isArray(list)) throw new Error('memory walk: regions is not an array');
  const regions = list.map((raw, i): MemoryRegionFact => {
    const r = raw as Record<string, unknown>;
    return {
      base: int(r['base'], `region ${i} base`),
      allocationBase: int(r['allocationBase'], `region ${i} allocationBase`),
      allocationProtect: int(r['allocationProtect'], `region ${i} allocationProtect`),
      size: int(r['size'], `region ${i} size`),
      state: int(r['state'], `region ${i} state`),
      protect: int(r['protect'], `region ${i} protect`),
      type: int(r['type'], `region ${i} type`),
    };
  });
  return { processId: int(root['processId'], 'processId'), regions };
}

/** A copy of `dump` with a MemoryInfoList stream made of `walk`. */
export function addMemoryInfoList(dump: Uint8Array, walk: MemoryWalk): Uint8Array {
  const pid = miscProcessId(dump);
  if (pid !== null && pid !== walk.processId) throw new Error(`the memory walk is of process ${walk.processId}, the dump of ${pid}`);
  return appendStream(dump, {
    type: MEMORY_INFO_LIST_STREAM,
    build: () => {
      const bytes = new Uint8Array(16 + 48 * walk.regions.length);
      const v = new DataView(bytes.buffer);
      v.setUint32(0, 16, true);
      v.setUint32(4, 48, true);
      v.setBigUint64(8, BigInt(walk.regions.length), true);
      walk.regions.forEach((r, i) => {
        const at = 16 + 48 * i;
        v.setBigUint64(at, BigInt(r.base), true);
        v.setBigUint64(at + 8, BigInt(r.allocationBase), true);
        v.setUint32(at + 16, r.allocationProtect, true);
        v.setBigUint64(at + 24, BigInt(r.size), true);
        v.setUint32(at + 32, r.state, true);
        v.setUint32(at + 36, r.protect, true);
        v.setUint32(at + 40, r.type, true);
      });
      return bytes;
    },
  });
}
