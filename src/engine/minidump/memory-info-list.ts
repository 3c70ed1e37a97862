// MemoryInfoListStream: the VirtualQuery view of the whole address space (state, protection,
// type of every region), captured or not. A sized header: SizeOfHeader u32, SizeOfEntry u32,
// NumberOfEntries u64; MINIDUMP_MEMORY_INFO records of 48 bytes.
import type { StreamContext } from './location.ts';
import { readSizedList } from './list-header.ts';
import type { StreamEntry } from './directory.ts';

export const MEMORY_INFO_SIZE = 48;
/** Regions read at most; a large 64-bit process has tens of thousands (500 000 × 48 B = 24 MB). */
export const MAX_MEMORY_INFO = 500_000;

export const MemoryState = { commit: 0x1000, reserve: 0x2000, free: 0x10000 } as const;
export const MemoryType = { private: 0x20000, mapped: 0x40000, image: 0x1000000 } as const;

export interface MinidumpMemoryInfo {
  base: bigint;
  allocationBase: bigint;
  /** PAGE_* protection the allocation was made with. */
  allocationProtect: number;
  regionSize: bigint;
  /** MEM_COMMIT 0x1000, MEM_RESERVE 0x2000, MEM_FREE 0x10000. */
  state: number;
  /** PAGE_* protection now (PAGE_READWRITE 0x04, PAGE_EXECUTE_READ 0x20, PAGE_GUARD 0x100…). */
  protect: number;
  /** MEM_PRIVATE 0x20000, MEM_MAPPED 0x40000, MEM_IMAGE 0x1000000. */
  type: number;
}

export async function readMemoryInfoList(ctx: StreamContext, entry: StreamEntry): Promise<MinidumpMemoryInfo[]> {
  const { r, start, entrySize, count } = await readSizedList(ctx, entry, {
    headerSize: 16,
    entrySize: MEMORY_INFO_SIZE,
    wideCount: true,
    what: 'regions',
    cap: MAX_MEMORY_INFO,
    maxBytes: 64 + MAX_MEMORY_INFO * MEMORY_INFO_SIZE,
  });
  const out: MinidumpMemoryInfo[] = [];
  for (let i = 0; i < count; i++) {
    const at = start + i * entrySize;
    out.push({
      base: r.u64(at),
      allocationBase: r.u64(at + 8),
      allocationProtect: r.u32(at + 16),
      regionSize: r.u64(at + 24),
      state: r.u32(at + 32),
      protect: r.u32(at + 36),
      type: r.u32(at + 40),
    });
  }
  return out;
}
