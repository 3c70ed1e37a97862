// The stream directory: an array of MINIDUMP_DIRECTORY (type, size, rva) at StreamDirectoryRva.
import { BinaryReader } from '../io/binary-reader.ts';
import { streamTypeName } from './stream-types.ts';

export const DIRECTORY_ENTRY_SIZE = 12;
/**
 * Streams read at most. Real writers emit fewer than 30; a header claiming millions is corrupt,
 * and reading them all would cost megabytes for nothing.
 */
export const MAX_STREAMS = 4096;

export interface StreamEntry {
  /** Position in the directory. */
  index: number;
  type: number;
  /** Conventional name ("ThreadListStream", "Unknown(0xfff0)"). */
  name: string;
  size: number;
  rva: number;
}

/** Parses `count` entries from bytes read at the directory's RVA (as many as the bytes hold). */
export function parseDirectory(bytes: Uint8Array, count: number, fileName: string): StreamEntry[] {
  const r = new BinaryReader(bytes, `${fileName}: stream directory`);
  const n = Math.min(count, Math.floor(bytes.length / DIRECTORY_ENTRY_SIZE));
  const entries: StreamEntry[] = [];
  for (let index = 0; index < n; index++) {
    const at = index * DIRECTORY_ENTRY_SIZE;
    const type = r.u32(at);
    entries.push({ index, type, name: streamTypeName(type), size: r.u32(at + 4), rva: r.u32(at + 8) });
  }
  return entries;
}
