// Lines of a .sym file read on demand through a ByteSource: a line at an offset, the next line
// start after any offset (to resynchronise after seeking into the middle of a line), the line
// before a line, and a streaming pass for the fallback index. Reads go through a small cache of
// fixed-size chunks, because a binary search touches the same few chunks near the top of its
// tree on every lookup; what a lookup reads from the source is charged to its ReadBudget.
import type { ByteSource } from '../io/byte-source.ts';

/** Chunk read for probes and line reads: a few dozen records, one small read. Smaller chunks
 * make each probe cheaper; lines rarely exceed 100 bytes, so most probes read one chunk. */
export const CHUNK_BYTES = 2048;
/** Longest line parsed. Longer lines are cut to this before parsing (see `TextLine.cut`). */
export const MAX_LINE_BYTES = 64 * 1024;
/** Block read by the streaming pass that builds the fallback index. */
export const SCAN_BLOCK_BYTES = 1024 * 1024;

export class BudgetExceeded extends Error {
  constructor(limit: number) {
    super(`read more than ${limit} bytes`);
    this.name = 'BudgetExceeded';
  }
}

/** Bytes one operation may read from the source; a read past the limit throws BudgetExceeded. */
export class ReadBudget {
  readonly limit: number;
  used = 0;
  constructor(limit: number) {
    this.limit = limit;
  }
  charge(bytes: number): void {
    this.used += bytes;
    if (this.used > this.limit) throw new BudgetExceeded(this.limit);
  }
}

export interface TextLine {
  /** File offset of the line's first byte. */
  start: number;
  /** The line without its terminator, at most MAX_LINE_BYTES. */
  bytes: Uint8Array;
  /** True when the line was longer than MAX_LINE_BYTES and `bytes` is its beginning only. */
  cut: boolean;
  /** Offset just past the line's terminator (the file size for the last line). */
  next: number;
}

const LF = 0x0a;
const CR = 0x0d;

function isTerminator(byte: number): boolean {
  return byte === LF || byte === CR;
}

export class SymText {
  readonly source: ByteSource;
  readonly size: number;
  readonly #maxChunks: number;
  // Insertion order is recency: a hit is re-inserted, the first key is evicted first. Promises,
  // so concurrent lookups share one read of a chunk.
  readonly #chunks = new Map<number, Promise<Uint8Array>>();

  constructor(source: ByteSource, maxChunks: number) {
    this.source = source;
    this.size = source.size;
    this.#maxChunks = Math.max(4, Math.floor(maxChunks));
  }

  /** Bytes held by the chunk cache at most. */
  get heldBytes(): number {
    return this.#maxChunks * CHUNK_BYTES;
  }

  async chunk(index: number, budget: ReadBudget): Promise<Uint8Array> {
    const hit = this.#chunks.get(index);
    if (hit !== undefined) {
      this.#chunks.delete(index);
      this.#chunks.set(index, hit);
      return hit;
    }
    budget.charge(Math.min(CHUNK_BYTES, Math.max(0, this.size - index * CHUNK_BYTES)));
    const pending = this.source.read(index * CHUNK_BYTES, CHUNK_BYTES);
    pending.catch(() => {
      if (this.#chunks.get(index) === pending) this.#chunks.delete(index);
    });
    this.#chunks.set(index, pending);
    while (this.#chunks.size > this.#maxChunks) {
      const oldest = this.#chunks.keys().next().value;
      if (oldest === undefined) break;
      this.#chunks.delete(oldest);
    }
    return pending;
  }

  async byteAt(offset: number, budget: ReadBudget): Promise<number> {
    const chunk = await this.chunk(Math.floor(offset / CHUNK_BYTES), budget);
    return chunk[offset % CHUNK_BYTES] ?? -1;
  }

  /**
   * The first line starting at or after `offset`: `offset` itself when it is the start of a
   * line, else the line after the one `offset` falls in. Blank lines are skipped. Null at end
   * of file or when no line starts before `limit`.
   */
  async lineAtOrAfter(offset: number, limit: number, budget: ReadBudget): Promise<TextLine | null> {
    let at = Math.max(0, offset);
    if (at > 0 && at < this.size && !isTerminator(await this.byteAt(at - 1, budget))) {
      at = await this.#pastTerminator(at, limit, budget);
    }
    return this.lineAt(at, limit, budget);
  }

  /** The line starting at `offset` (a line start), skipping blank lines; null at `limit` or EOF. */
  async lineAt(offset: number, limit: number, budget: ReadBudget): Promise<TextLine | null> {
    const end = Math.min(limit, this.size);
    let at = offset;
    // Skip terminators (CRLF leaves an empty line between CR and LF; blank lines are nothing).
    for (;;) {
      if (at >= end) return null;
      const chunk = await this.chunk(Math.floor(at / CHUNK_BYTES), budget);
      let i = at % CHUNK_BYTES;
      while (i < chunk.length && isTerminator(chunk[i]!)) i++;
      at = Math.floor(at / CHUNK_BYTES) * CHUNK_BYTES + i;
      if (i < chunk.length || chunk.length < CHUNK_BYTES) break;
    }
    if (at >= end) return null;
    const start = at;
    const parts: Uint8Array[] = [];
    let length = 0;
    let cut = false;
    for (;;) {
      if (at >= this.size) break;
      const index = Math.floor(at / CHUNK_BYTES);
      const chunk = await this.chunk(index, budget);
      const from = at - index * CHUNK_BYTES;
      if (from >= chunk.length) break;
      let i = from;
      while (i < chunk.length && !isTerminator(chunk[i]!)) i++;
      const take = Math.min(i - from, MAX_LINE_BYTES - length);
      if (take > 0) {
        parts.push(chunk.subarray(from, from + take));
        length += take;
      }
      if (i - from > take) cut = true;
      at = index * CHUNK_BYTES + i;
      if (i < chunk.length) break; // found the terminator
      if (chunk.length < CHUNK_BYTES) break; // end of file
    }
    const next = at < this.size ? at + 1 : this.size;
    return { start, bytes: concat(parts, length), cut, next };
  }

  /** Start of the line before the one starting at `lineStart` (blank lines skipped), or null at `floor`. */
  async previousLineStart(lineStart: number, floor: number, budget: ReadBudget): Promise<number | null> {
    let at = lineStart - 1;
    while (at >= floor && isTerminator(await this.byteAt(at, budget))) at--;
    if (at < floor) return null;
    // Walk back to the previous terminator, a chunk at a time.
    while (at >= floor) {
      const index = Math.floor(at / CHUNK_BYTES);
      const chunk = await this.chunk(index, budget);
      let i = at - index * CHUNK_BYTES;
      while (i >= 0 && !isTerminator(chunk[i]!)) i--;
      if (i >= 0) return Math.max(floor, index * CHUNK_BYTES + i + 1);
      at = index * CHUNK_BYTES - 1;
    }
    return floor;
  }

  async #pastTerminator(offset: number, limit: number, budget: ReadBudget): Promise<number> {
    let at = offset;
    const end = Math.min(limit, this.size);
    while (at < end) {
      const index = Math.floor(at / CHUNK_BYTES);
      const chunk = await this.chunk(index, budget);
      let i = at - index * CHUNK_BYTES;
      while (i < chunk.length && !isTerminator(chunk[i]!)) i++;
      if (i < chunk.length) return index * CHUNK_BYTES + i + 1;
      if (chunk.length < CHUNK_BYTES) return this.size;
      at = (index + 1) * CHUNK_BYTES;
    }
    return end;
  }

  /**
   * Calls `onLine` for every line in [start, end) in order, reading SCAN_BLOCK_BYTES at a time
   * around the chunk cache (a pass must not evict what lookups use). `line` is only valid
   * during the call. Lines longer than MAX_LINE_BYTES arrive cut, with `cut` set.
   */
  async scanLines(
    start: number,
    end: number,
    budget: ReadBudget,
    onLine: (line: Uint8Array, lineStart: number, cut: boolean) => void,
  ): Promise<void> {
    const stop = Math.min(end, this.size);
    let carry: Uint8Array = new Uint8Array(0); // the unfinished line from the previous block (≤ MAX_LINE_BYTES)
    let carryStart = start;
    let carryCut = false;
    let at = start;
    while (at < stop) {
      const want = Math.min(SCAN_BLOCK_BYTES, stop - at);
      budget.charge(want);
      const block = await this.source.read(at, want);
      if (block.length === 0) break;
      let lineFrom = 0;
      for (let i = 0; i < block.length; i++) {
        if (!isTerminator(block[i]!)) continue;
        if (carry.length > 0 || carryCut) {
          const joined = appendCapped(carry, block.subarray(lineFrom, i));
          onLine(joined.bytes, carryStart, carryCut || joined.cut);
          carry = new Uint8Array(0);
          carryCut = false;
        } else if (i > lineFrom) {
          const cut = i - lineFrom > MAX_LINE_BYTES;
          onLine(block.subarray(lineFrom, cut ? lineFrom + MAX_LINE_BYTES : i), at + lineFrom, cut);
        }
        lineFrom = i + 1;
      }
      if (lineFrom < block.length) {
        if (carry.length === 0 && !carryCut) carryStart = at + lineFrom;
        const joined = appendCapped(carry, block.subarray(lineFrom));
        carry = joined.bytes;
        carryCut = carryCut || joined.cut;
      }
      at += block.length;
      if (block.length < want) break;
    }
    if (carry.length > 0) onLine(carry, carryStart, carryCut);
  }
}

function appendCapped(head: Uint8Array, tail: Uint8Array): { bytes: Uint8Array; cut: boolean } {
  const room = MAX_LINE_BYTES - head.length;
  const take = Math.min(room, tail.length);
  const out = new Uint8Array(head.length + take);
  out.set(head, 0);
  out.set(tail.subarray(0, take), head.length);
  return { bytes: out, cut: tail.length > take };
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const UTF8 = new TextDecoder('utf-8');

/** A line's text: UTF-8 (names may hold any script), a trailing cut marked with '…'. */
export function lineText(line: Pick<TextLine, 'bytes' | 'cut'>): string {
  const text = UTF8.decode(line.bytes);
  return line.cut ? `${text}…` : text;
}
