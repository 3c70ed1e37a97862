// Debugger logs arrive as UTF-8, UTF-16 (WinDbg's .logopen /u, Notepad's "Unicode") or
// Windows-1252. Decoding is bounded: a log larger than the cap is read up to the cap and the
// model says so, because no real session log needs more and a noise file must not hang us.
import { DumpError } from './core/errors.ts';
import type { ByteSource } from './io/byte-source.ts';

/** Text inputs larger than this are cut (64 MiB covers `!analyze -v` + `~*kv` of thousands of threads). */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;

export interface DecodedText {
  text: string;
  truncated: boolean;
}

export async function decodeTextSource(source: ByteSource): Promise<DecodedText> {
  const length = Math.min(source.size, MAX_TEXT_BYTES);
  const bytes = await source.read(0, length);
  return { text: decodeTextBytes(bytes), truncated: source.size > MAX_TEXT_BYTES };
}

/** Bytes decoded first to tell text from binary, before a large file is decoded whole. */
const SAMPLE_BYTES = 64 * 1024;

export function decodeTextBytes(bytes: Uint8Array): string {
  // A 50 MB binary file is refused on its first 64 KiB, not after decoding all of it. (A
  // multi-byte character cut at the sample's end costs one replacement character, far below
  // the threshold.)
  if (bytes.length > SAMPLE_BYTES && isMostlyBinary(decodeWhole(bytes.subarray(0, SAMPLE_BYTES)))) {
    throw new DumpError('not-a-dump', 'this file is neither a minidump (no MDMP signature) nor readable text');
  }
  const text = decodeWhole(bytes);
  if (isMostlyBinary(text)) {
    throw new DumpError('not-a-dump', 'this file is neither a minidump (no MDMP signature) nor readable text');
  }
  return text;
}

function decodeWhole(bytes: Uint8Array): string {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else if (looksLikeUtf16le(bytes)) text = new TextDecoder('utf-16le').decode(bytes);
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = new TextDecoder('windows-1252').decode(bytes);
    }
  }
  return text;
}

/** ASCII text stored as UTF-16LE has a zero in (nearly) every odd byte. */
function looksLikeUtf16le(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 8) return false;
  let zeros = 0;
  for (let i = 1; i < n; i += 2) if (bytes[i] === 0) zeros++;
  return zeros > (n / 2) * 0.9;
}

function isMostlyBinary(text: string): boolean {
  const sample = text.slice(0, 65536);
  if (sample.length === 0) return false;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0xfffd) control++;
  }
  return control / sample.length > 0.1;
}
