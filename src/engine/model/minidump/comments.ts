// Issue 12 fact (Embedded Comments): every comment stream of the dump. The minidump layer's
// comment() keeps one (W before A), as the banner does; a dump may carry both, with different
// text (an application's note in one, the dumping tool's in the other), and each is worth
// reading.
import type { Minidump } from '../../minidump/minidump.ts';
import { StreamType } from '../../minidump/stream-types.ts';
import { MAX_STRING_BYTES } from '../../io/binary-reader.ts';

const utf16 = new TextDecoder('utf-16le');
// WHATWG maps "latin1" to windows-1252, the usual ANSI code page of CommentStreamA writers.
const ansi = new TextDecoder('latin1');

export interface DumpComment {
  stream: 'CommentStreamA' | 'CommentStreamW';
  text: string;
}

/** The comment streams in directory order, each cut at its first NUL and at 64 KiB. */
export async function dumpComments(md: Minidump): Promise<DumpComment[]> {
  const out: DumpComment[] = [];
  for (const entry of md.streams) {
    if (entry.type !== StreamType.CommentA && entry.type !== StreamType.CommentW) continue;
    // One of each kind: a second copy is a duplicate stream, already warned about.
    const stream = entry.type === StreamType.CommentW ? 'CommentStreamW' : 'CommentStreamA';
    if (out.some((c) => c.stream === stream)) continue;
    const bytes = await md.streamBytes(entry, MAX_STRING_BYTES);
    const decoded = stream === 'CommentStreamW' ? utf16.decode(bytes.subarray(0, bytes.length & ~1)) : ansi.decode(bytes);
    const nul = decoded.indexOf('\u0000');
    const text = (nul < 0 ? decoded : decoded.slice(0, nul)).trim();
    if (text) out.push({ stream, text });
  }
  return out;
}
