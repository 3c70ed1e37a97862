// A ByteSource over bytes already in memory: tests, synthetic dumps, and small files a page
// received as one ArrayBuffer.
import type { ByteSource } from './byte-source.ts';

export class Uint8ArraySource implements ByteSource {
  readonly size: number;
  readonly name: string;
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array, name = 'memory') {
    this.#bytes = bytes;
    this.size = bytes.length;
    this.name = name;
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    const [start, end] = clampRange(offset, length, this.size);
    // A copy, not a view: callers may keep the bytes, and the source must not change under them.
    return Promise.resolve(this.#bytes.slice(start, end));
  }

  peek(offset: number, length: number): Uint8Array | undefined {
    const [start, end] = clampRange(offset, length, this.size);
    return end - start === length ? this.#bytes.subarray(start, end) : undefined;
  }
}

/** Turns (offset, length) into [start, end) inside [0, size]; negative, NaN or empty reads give [0, 0]. */
export function clampRange(offset: number, length: number, size: number): [number, number] {
  if (!Number.isFinite(offset) || !Number.isFinite(length) || length <= 0 || offset < 0 || offset >= size) return [0, 0];
  const start = Math.max(0, Math.floor(offset));
  const end = Math.min(size, start + Math.floor(length));
  return end > start ? [start, end] : [0, 0];
}
