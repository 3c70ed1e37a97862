// ThreadInfoListStream: per-thread times, start address and affinity (dbghelp with
// MiniDumpWithThreadInfo). Sized header: SizeOfHeader, SizeOfEntry, NumberOfEntries (u32 each).
import type { StreamContext } from './location.ts';
import { readSizedList } from './list-header.ts';
import { MAX_THREADS } from './thread-list.ts';
import type { StreamEntry } from './directory.ts';

export const THREAD_INFO_SIZE = 64;

export interface MinidumpThreadInfo {
  threadId: number;
  /** MINIDUMP_THREAD_INFO_* flags (0x1 error thread, 0x2 writing thread, 0x4 exited…). */
  dumpFlags: number;
  /** HRESULT of a failure to capture the thread, 0 when none. */
  dumpError: number;
  exitStatus: number;
  /** FILETIME (100 ns ticks since 1601-01-01 UTC); 0 when unknown. */
  createTime: bigint;
  exitTime: bigint;
  /** 100 ns ticks spent in kernel and user mode. */
  kernelTime: bigint;
  userTime: bigint;
  startAddress: bigint;
  affinity: bigint;
}

export async function readThreadInfoList(ctx: StreamContext, entry: StreamEntry): Promise<MinidumpThreadInfo[]> {
  const { r, start, entrySize, count } = await readSizedList(ctx, entry, {
    headerSize: 12,
    entrySize: THREAD_INFO_SIZE,
    what: 'threads',
    cap: MAX_THREADS,
  });
  const out: MinidumpThreadInfo[] = [];
  for (let i = 0; i < count; i++) {
    const at = start + i * entrySize;
    out.push({
      threadId: r.u32(at),
      dumpFlags: r.u32(at + 4),
      dumpError: r.u32(at + 8),
      exitStatus: r.u32(at + 12),
      createTime: r.u64(at + 16),
      exitTime: r.u64(at + 24),
      kernelTime: r.u64(at + 32),
      userTime: r.u64(at + 40),
      startAddress: r.u64(at + 48),
      affinity: r.u64(at + 56),
    });
  }
  return out;
}
