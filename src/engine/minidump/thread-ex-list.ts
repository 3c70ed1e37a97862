// ThreadExListStream: MINIDUMP_THREAD_EX records (64 bytes): a MINIDUMP_THREAD plus the IA-64
// register backing store. Written only for Itanium; read for completeness.
import type { StreamContext } from './location.ts';
import type { StreamEntry } from './directory.ts';
import { readThreadRecords, THREAD_EX_SIZE, type MinidumpThread } from './thread-list.ts';

export function readThreadExList(ctx: StreamContext, entry: StreamEntry): Promise<MinidumpThread[]> {
  return readThreadRecords(ctx, entry, THREAD_EX_SIZE);
}
