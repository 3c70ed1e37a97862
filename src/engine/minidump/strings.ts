// The two string encodings a minidump points at: MINIDUMP_STRING (u32 byte length + UTF-16LE,
// used by Windows streams) and Crashpad's MinidumpUTF8String (u32 byte length + UTF-8 + NUL).
import { DumpError } from '../core/errors.ts';
import { BinaryReader, MAX_STRING_BYTES } from '../io/binary-reader.ts';
import { hex32, type StreamContext } from './location.ts';

type Encoding = 'utf16' | 'utf8';

/**
 * String bytes decoded in full per dump (16 MiB). 100 000 module records may all point at one
 * 64 KiB name: 6 GB of names, and a report no JSON can hold. Past this, each string is cut to
 * CUT_STRING_BYTES, with one warning for the dump.
 */
export const MAX_TOTAL_STRING_BYTES = 16 * 1024 * 1024;
export const CUT_STRING_BYTES = 512;

async function readLengthPrefixed(
  ctx: StreamContext,
  rva: number | bigint,
  label: string,
  encoding: Encoding,
): Promise<string> {
  const fileSize = ctx.source.size;
  if (typeof rva === 'bigint') {
    if (rva >= BigInt(fileSize)) throw pastEnd(label, rva, fileSize);
    rva = Number(rva);
  }
  if (rva + 4 > fileSize) throw pastEnd(label, rva, fileSize);
  const head = new BinaryReader(await ctx.source.read(rva, 4), label, rva);
  let length = head.u32(0, 'string length');
  if (length > MAX_STRING_BYTES) {
    ctx.warn('cap-string', `${label}: string of ${length} bytes at ${hex32(rva)} cut to ${MAX_STRING_BYTES}`);
    length = MAX_STRING_BYTES;
  }
  const budget = ctx.strings;
  if (budget) {
    if (length > budget.left && length > CUT_STRING_BYTES) {
      ctx.warn('cap-strings', `strings beyond the first ${MAX_TOTAL_STRING_BYTES} bytes of the dump's strings are cut to ${CUT_STRING_BYTES} bytes each`);
      length = CUT_STRING_BYTES;
    }
    budget.left = Math.max(0, budget.left - length);
  }
  const body = await ctx.source.read(rva + 4, length);
  if (body.length < length) {
    ctx.warn('stream-truncated', `${label}: string at ${hex32(rva)} is cut short by the end of the file`);
  }
  const r = new BinaryReader(body, label, rva + 4);
  return encoding === 'utf16' ? r.utf16(0, body.length) : r.utf8(0, body.length);
}

/**
 * Charges one more use of a string already read (a reader that decodes each RVA once and hands
 * the result to every record naming it): a use costs what reading it again would, so 100 000
 * handles naming one 64 KiB string spend the budget like 100 000 strings, not like one. Past
 * the budget a use gets the string cut to CUT_STRING_BYTES, as a fresh read would; `cut` keeps
 * that cut copy, so the uses share it too.
 */
export function chargeReuse(ctx: StreamContext, text: string, cut: { text?: string }): string {
  const budget = ctx.strings;
  if (!budget) return text;
  const bytes = text.length * 2;
  if (bytes > budget.left && bytes > CUT_STRING_BYTES) {
    ctx.warn('cap-strings', `strings beyond the first ${MAX_TOTAL_STRING_BYTES} bytes of the dump's strings are cut to ${CUT_STRING_BYTES} bytes each`);
    cut.text ??= text.slice(0, CUT_STRING_BYTES / 2);
    budget.left = Math.max(0, budget.left - CUT_STRING_BYTES);
    return cut.text;
  }
  budget.left = Math.max(0, budget.left - bytes);
  return text;
}

function pastEnd(label: string, rva: number | bigint, fileSize: number): DumpError {
  return new DumpError('truncated', `${label}: string at 0x${rva.toString(16)} lies past the end of the file (${fileSize} bytes)`);
}

/** A MINIDUMP_STRING (UTF-16LE). Throws DumpError('truncated') when it lies past the file's end. */
export function readMinidumpString(ctx: StreamContext, rva: number | bigint, label: string): Promise<string> {
  return readLengthPrefixed(ctx, rva, label, 'utf16');
}

/**
 * A string a record may lack: 0 means none. An unreadable one becomes null with a warning, so one
 * bad name does not cost the rest of the list.
 */
export async function readOptionalString(
  ctx: StreamContext,
  rva: number | bigint,
  label: string,
  encoding: Encoding = 'utf16',
): Promise<string | null> {
  if (rva === 0 || rva === 0n) return null;
  try {
    return await readLengthPrefixed(ctx, rva, label, encoding);
  } catch (err) {
    if (!(err instanceof DumpError)) throw err;
    ctx.warn('string-unreadable', err.message);
    return null;
  }
}
