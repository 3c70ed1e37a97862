// Many small reads (a module name here, a CodeView record there, eight bytes of stack) would each
// hit the file or the Blob. This wrapper reads fixed-size aligned blocks and keeps the most
// recently used ones, so memory stays bounded (blockSize × maxBlocks) whatever the dump's size.
import type { ByteSource } from './byte-source.ts';
import { clampRange } from './uint8array-source.ts';

export interface BlockCacheOptions {
  /** Bytes per block; a power of two keeps blocks aligned with page-sized structures. Default 64 KiB. */
  blockSize?: number;
  /** Blocks kept at most. Default 64 (4 MiB with the default block size). */
  maxBlocks?: number;
}

export const DEFAULT_BLOCK_SIZE = 64 * 1024;
export const DEFAULT_MAX_BLOCKS = 64;

export class BlockCache implements ByteSource {
  readonly size: number;
  readonly name: string;
  readonly inner: ByteSource;
  readonly blockSize: number;
  readonly maxBlocks: number;
  // Map iteration order is insertion order: re-inserting on use makes the first key the least
  // recently used one. Promises, not bytes, so two concurrent readers of one block share a read;
  // the bytes too once they arrive, for peek().
  readonly #blocks = new Map<number, { pending: Promise<Uint8Array>; bytes: Uint8Array | null }>();
  /** The block asked for last, already at the map's end. */
  #last = -1;

  constructor(inner: ByteSource, options: BlockCacheOptions = {}) {
    this.inner = inner;
    this.size = inner.size;
    this.name = inner.name;
    this.blockSize = Math.max(512, Math.floor(options.blockSize ?? DEFAULT_BLOCK_SIZE));
    this.maxBlocks = Math.max(1, Math.floor(options.maxBlocks ?? DEFAULT_MAX_BLOCKS));
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const [start, end] = clampRange(offset, length, this.size);
    if (end === start) return new Uint8Array(0);
    const first = Math.floor(start / this.blockSize);
    const last = Math.floor((end - 1) / this.blockSize);
    // A read spanning more than a quarter of the cache would evict everything useful for one use
    // (a whole stack, a big memory range): pass it through untouched.
    if (last - first + 1 > Math.max(1, this.maxBlocks / 4)) return this.inner.read(start, end - start);
    if (first === last) {
      const held = this.peek(start, end - start);
      if (held) return held.slice();
    }

    const out = new Uint8Array(end - start);
    let filled = 0;
    for (let index = first; index <= last; index++) {
      const block = await this.#block(index);
      const blockStart = index * this.blockSize;
      const from = Math.max(start, blockStart) - blockStart;
      const to = Math.min(end, blockStart + block.length) - blockStart;
      if (to <= from) break; // the file ended inside an earlier block
      out.set(block.subarray(from, to), filled);
      filled += to - from;
      if (blockStart + block.length < Math.min(end, blockStart + this.blockSize)) break; // short block
    }
    return filled === out.length ? out : out.slice(0, filled);
  }

  peek(offset: number, length: number): Uint8Array | undefined {
    if (!(offset >= 0) || !(length > 0) || offset + length > this.size) return undefined;
    const index = Math.floor(offset / this.blockSize);
    const from = offset - index * this.blockSize;
    if (from + length > this.blockSize) return undefined;
    const entry = this.#blocks.get(index);
    if (entry?.bytes == null || from + length > entry.bytes.length) return undefined;
    this.#touch(index, entry);
    return entry.bytes.subarray(from, from + length);
  }

  /** Makes `index` the most recently used block; already so when it was the last one asked for. */
  #touch(index: number, entry: { pending: Promise<Uint8Array>; bytes: Uint8Array | null }): void {
    if (index === this.#last) return;
    this.#blocks.delete(index);
    this.#blocks.set(index, entry);
    this.#last = index;
  }

  /** Blocks currently held (for tests and diagnostics). */
  get cachedBlocks(): number {
    return this.#blocks.size;
  }

  #block(index: number): Promise<Uint8Array> {
    const hit = this.#blocks.get(index);
    if (hit !== undefined) {
      this.#touch(index, hit);
      return hit.pending;
    }
    const pending = this.inner.read(index * this.blockSize, this.blockSize);
    const entry = { pending, bytes: null as Uint8Array | null };
    pending.then(
      (bytes) => {
        entry.bytes = bytes;
      },
      // A failed read must not stay cached: the next caller retries.
      () => {
        if (this.#blocks.get(index) === entry) this.#blocks.delete(index);
      },
    );
    this.#blocks.set(index, entry);
    this.#last = index;
    while (this.#blocks.size > this.maxBlocks) {
      const oldest = this.#blocks.keys().next().value;
      if (oldest === undefined) break;
      this.#blocks.delete(oldest);
    }
    return pending;
  }
}
