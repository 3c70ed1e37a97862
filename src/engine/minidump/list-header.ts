// The two ways a list stream says how many records it holds. Older streams (threads, modules,
// memory) start with a u32 count and records of a fixed size; newer ones (thread info, unloaded
// modules, memory info, handles) start with a sized header — SizeOfHeader, SizeOfEntry, then the
// count — so that a later Windows can lengthen both and older readers still find the records.
// Either way the count is lowered to what the bytes hold and to the reader's cap (boundedCount).
import type { BinaryReader } from '../io/binary-reader.ts';
import { DumpError } from '../core/errors.ts';
import type { StreamEntry } from './directory.ts';
import { boundedCount, listStart, readLocation, MAX_READ_BYTES, type StreamContext } from './location.ts';

export interface ListRecords {
  r: BinaryReader;
  /** Offset of record 0 in `r`. */
  start: number;
  /** Bytes from one record to the next. */
  entrySize: number;
  /** Records to read, already bounded. */
  count: number;
}

/**
 * A list stream with a u32 count. `countOf` names the count in the error ("thread" → "too short
 * for a thread count"); `what` names the records in warnings ("threads").
 */
export async function readCountedList(
  ctx: StreamContext,
  entry: StreamEntry,
  spec: { entrySize: number; countOf: string; what: string; cap: number },
): Promise<ListRecords> {
  const r = await readLocation(ctx, entry, entry.name);
  if (r.length < 4) throw new DumpError('truncated', `${entry.name}: ${r.length} bytes, too short for a ${spec.countOf} count`);
  const declared = r.u32(0, `${spec.countOf} count`);
  const start = listStart(entry.size, declared, spec.entrySize);
  const count = boundedCount(ctx, entry.name, spec.what, declared, Math.floor((r.length - start) / spec.entrySize), spec.cap, r.length === entry.size);
  return { r, start, entrySize: spec.entrySize, count };
}

/**
 * A list stream with a sized header. `headerSize` and `entrySize` are the format's (the smallest
 * a writer may declare); the count is a u32 at +8, or a u64 when `wideCount` (MemoryInfoList).
 * `entryWord` is what the header calls a record ("entry", HandleData's "descriptor").
 */
export async function readSizedList(
  ctx: StreamContext,
  entry: StreamEntry,
  spec: {
    headerSize: number;
    entrySize: number;
    what: string;
    cap: number;
    wideCount?: boolean;
    entryWord?: string;
    maxBytes?: number;
  },
): Promise<ListRecords> {
  const r = await readLocation(ctx, entry, entry.name, spec.maxBytes ?? MAX_READ_BYTES);
  if (r.length < spec.headerSize) throw new DumpError('truncated', `${entry.name}: ${r.length} bytes, too short for its header`);
  const headerSize = r.u32(0);
  const entrySize = r.u32(4);
  if (headerSize < spec.headerSize || entrySize < spec.entrySize) {
    throw new DumpError(
      'corrupt',
      `${entry.name}: header size ${headerSize} / ${spec.entryWord ?? 'entry'} size ${entrySize} are below the format's`,
    );
  }
  const available = r.length > headerSize ? Math.floor((r.length - headerSize) / entrySize) : 0;
  const declared = spec.wideCount ? r.u64(8) : r.u32(8);
  const count = boundedCount(ctx, entry.name, spec.what, declared, available, spec.cap, r.length === entry.size);
  return { r, start: headerSize, entrySize, count };
}
