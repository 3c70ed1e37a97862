// ThreadNamesStream (type 24, Windows 10 1607+ dbghelp, and Crashpad): the SetThreadDescription
// names. u32 count, then packed 12-byte MINIDUMP_THREAD_NAME records {ThreadId u32,
// RvaOfThreadName RVA64}, each pointing at a MINIDUMP_STRING.
import { boundedCount, outOfTime, readLocation, type StreamContext } from './location.ts';
import { readOptionalString } from './strings.ts';
import { MAX_THREADS } from './thread-list.ts';
import type { StreamEntry } from './directory.ts';
import { DumpError } from '../core/errors.ts';

export const THREAD_NAME_SIZE = 12;

export interface MinidumpThreadName {
  threadId: number;
  /** Null when the name could not be read (a warning says why). */
  name: string | null;
}

export async function readThreadNames(ctx: StreamContext, entry: StreamEntry): Promise<MinidumpThreadName[]> {
  const r = await readLocation(ctx, entry, entry.name);
  if (r.length < 4) throw new DumpError('truncated', `${entry.name}: ${r.length} bytes, too short for a name count`);
  const count = boundedCount(ctx, entry.name, 'thread names', r.u32(0), Math.floor((r.length - 4) / THREAD_NAME_SIZE), MAX_THREADS, r.length === entry.size);
  const out: MinidumpThreadName[] = [];
  for (let i = 0; i < count; i++) {
    if (outOfTime(ctx, i, entry.name, 'thread names')) break;
    const at = 4 + i * THREAD_NAME_SIZE;
    const threadId = r.u32(at);
    const rva = r.u64(at + 4);
    out.push({ threadId, name: await readOptionalString(ctx, rva, `${entry.name} name of thread ${threadId}`) });
  }
  return out;
}
