// CommentStreamA / CommentStreamW: a free-text note the dump's author attached (procdump -ma
// writes the command line, .dump /c in WinDbg the comment given). NUL-terminated, no length.
import { MAX_STRING_BYTES } from '../io/binary-reader.ts';
import { readLocation, type StreamContext } from './location.ts';
import { StreamType } from './stream-types.ts';
import type { StreamEntry } from './directory.ts';

export async function readComment(ctx: StreamContext, entry: StreamEntry): Promise<string> {
  const r = await readLocation(ctx, entry, entry.name, MAX_STRING_BYTES);
  return entry.type === StreamType.CommentW ? r.utf16(0, r.length) : r.ansi(0, r.length);
}
