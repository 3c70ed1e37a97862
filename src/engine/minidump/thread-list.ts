// ThreadListStream: u32 count, then MINIDUMP_THREAD records (48 bytes each).
import { parseLocation, type Location, type StreamContext } from './location.ts';
import { readCountedList } from './list-header.ts';
import { MEMORY_DESCRIPTOR_SIZE, parseMemoryDescriptor, type MemoryDescriptor } from './memory-descriptor.ts';
import type { BinaryReader } from '../io/binary-reader.ts';
import type { StreamEntry } from './directory.ts';

export const THREAD_SIZE = 48;
export const THREAD_EX_SIZE = 64;
/** Threads read at most. Processes with more than 100 000 threads do not exist in practice. */
export const MAX_THREADS = 100_000;

export interface MinidumpThread {
  /** Position in the thread list. */
  index: number;
  id: number;
  suspendCount: number;
  priorityClass: number;
  priority: number;
  /** Thread environment block address (Linux/Breakpad: the TLS/pthread pointer, often 0). */
  teb: bigint;
  /** The captured stack: base is the lowest captured address (around the stack pointer). */
  stack: MemoryDescriptor;
  /** Where the thread's CONTEXT lies; decode with Minidump.threadContext(). */
  context: Location;
  /** ThreadExListStream only: the IA-64 register backing store. */
  backingStore?: MemoryDescriptor;
}

/** Parses one MINIDUMP_THREAD (or the first 48 bytes of a MINIDUMP_THREAD_EX). */
export function parseThread(r: BinaryReader, offset: number, index: number): MinidumpThread {
  return {
    index,
    id: r.u32(offset),
    suspendCount: r.u32(offset + 4),
    priorityClass: r.u32(offset + 8),
    priority: r.u32(offset + 12),
    teb: r.u64(offset + 16),
    stack: parseMemoryDescriptor(r, offset + 24),
    context: parseLocation(r, offset + 24 + MEMORY_DESCRIPTOR_SIZE),
  };
}

/** Reads a thread list whose records are `entrySize` bytes (48, or 64 for ThreadExList). */
export async function readThreadRecords(
  ctx: StreamContext,
  entry: StreamEntry,
  entrySize: number,
): Promise<MinidumpThread[]> {
  const { r, start, count } = await readCountedList(ctx, entry, { entrySize, countOf: 'thread', what: 'threads', cap: MAX_THREADS });
  const threads: MinidumpThread[] = [];
  for (let i = 0; i < count; i++) {
    const at = start + i * entrySize;
    const thread = parseThread(r, at, i);
    if (entrySize >= THREAD_EX_SIZE) thread.backingStore = parseMemoryDescriptor(r, at + THREAD_SIZE);
    threads.push(thread);
  }
  return threads;
}

export function readThreadList(ctx: StreamContext, entry: StreamEntry): Promise<MinidumpThread[]> {
  return readThreadRecords(ctx, entry, THREAD_SIZE);
}
