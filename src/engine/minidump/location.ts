// Reading a (size, rva) location of the file safely. Every stream and record is reached through
// here, so the checks against the file size and the caps live in one place: a hostile size or
// RVA costs a warning or a typed error, never a huge allocation or a read of the whole file.
import type { ByteSource } from '../io/byte-source.ts';
import { BinaryReader } from '../io/binary-reader.ts';
import type { Budget } from '../core/budget.ts';
import { DumpError } from '../core/errors.ts';
import { hex } from '../core/hex.ts';
import type { WarningKind } from '../core/warnings.ts';

/** MINIDUMP_LOCATION_DESCRIPTOR: where a piece of data lies in the file. */
export interface Location {
  size: number;
  rva: number;
}

/** What stream readers need: the bytes and a place to put non-fatal findings. */
export interface StreamContext {
  readonly source: ByteSource;
  warn(kind: WarningKind, message: string): void;
  /** Bytes of strings the dump may still decode in full (see strings.ts); absent = no limit. */
  readonly strings?: { left: number };
  /** The analysis's time budget, looked at by lists whose every record costs reads. */
  readonly budget?: Budget;
}

/**
 * Records of such a list read between two looks at the budget: a record costs a few reads (a
 * name, a CodeView record), some microseconds each, so the clock is read well under a
 * millisecond apart, whatever the list holds.
 */
export const BUDGET_POLL_RECORDS = 256;

/**
 * True when the budget is spent at record `index` of a list (looked at every
 * BUDGET_POLL_RECORDS records): the list ends there, with a `cap-time` warning, and the model
 * says what it lacks. Throws DumpError('cancelled') when the caller aborted.
 */
export function outOfTime(ctx: StreamContext, index: number, label: string, what: string): boolean {
  const budget = ctx.budget;
  if (!budget || index === 0 || index % BUDGET_POLL_RECORDS !== 0) return false;
  budget.throwIfCancelled();
  if (!budget.expired) return false;
  ctx.warn('cap-time', budget.warning(`${label}: only the first ${index} ${what} were read`).message);
  return true;
}

/** Largest single structure read in one piece (16 MiB): a 100 000-entry list fits well below. */
export const MAX_READ_BYTES = 16 * 1024 * 1024;

export function parseLocation(r: BinaryReader, offset: number): Location {
  return { size: r.u32(offset, 'location size'), rva: r.u32(offset + 4, 'location rva') };
}

/** An RVA or another 32-bit field as "0x…", for messages. */
export function hex32(n: number): string {
  return hex(n >>> 0);
}

/**
 * Reads up to `max` bytes of `loc`. A location past the end of the file throws
 * DumpError('truncated'); one cut short by the end of the file, or longer than `max`, is read in
 * part with a warning, since most readers can use a prefix (the first N records of a list).
 */
export async function readLocation(
  ctx: StreamContext,
  loc: Location,
  label: string,
  max: number = MAX_READ_BYTES,
): Promise<BinaryReader> {
  if (loc.size === 0) return new BinaryReader(new Uint8Array(0), label, loc.rva);
  const fileSize = ctx.source.size;
  if (loc.rva >= fileSize) {
    throw new DumpError(
      'truncated',
      `${label}: its ${loc.size} bytes at ${hex32(loc.rva)} lie past the end of the file (${fileSize} bytes)`,
    );
  }
  let want = loc.size;
  if (want > max) {
    ctx.warn('cap-size', `${label}: ${loc.size} bytes claimed, only the first ${max} read`);
    want = max;
  }
  const bytes = await ctx.source.read(loc.rva, want);
  if (bytes.length < want) {
    ctx.warn(
      'stream-truncated',
      `${label}: ${want - bytes.length} of its ${want} bytes are past the end of the file`,
    );
  }
  return new BinaryReader(bytes, label, loc.rva);
}

/**
 * How many records of a list to read: the declared count, lowered to what the bytes can hold and
 * to the cap, with a warning for each cut. `what` names the records ("threads"). `whole` says the
 * bytes are all the stream's directory entry claims: a count beyond them then contradicts the
 * stream's own size (a corrupt count, 'stream-count'), where otherwise the file ended first.
 */
export function boundedCount(
  ctx: StreamContext,
  label: string,
  what: string,
  declared: number | bigint,
  available: number,
  cap: number,
  whole = false,
): number {
  let n = typeof declared === 'bigint' ? (declared > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(declared)) : declared;
  if (n > available) {
    const kind = whole ? 'stream-count' : 'stream-truncated';
    ctx.warn(kind, `${label}: claims ${declared} ${what} but holds only ${Math.max(0, available)}`);
    n = Math.max(0, available);
  }
  if (n > cap) {
    ctx.warn('cap-count', `${label}: ${n} ${what}, only the first ${cap} read`);
    n = cap;
  }
  return n;
}

/**
 * The offset of the first record in a list stream whose header is a 32-bit count. Some writers
 * pad the count to 8 bytes so the 64-bit fields that follow are aligned; the stream is then 4
 * bytes longer than count × size (Breakpad's reader accepts both the same way).
 */
export function listStart(streamSize: number, count: number, entrySize: number): number {
  return streamSize === 8 + count * entrySize ? 8 : 4;
}
