// A ByteSource that passes reads through to another and records them: the test double for
// checking that readers stay lazy (how little of a file a parse touches) and that caches
// coalesce reads. It can also be told to fail, as a disk or a revoked file handle does.
import type { ByteSource } from '../../src/engine/io/byte-source.ts';

export class RecordingSource implements ByteSource {
  readonly inner: ByteSource;
  /** Every read asked for, as [offset, length], in order; failed ones included. */
  readonly calls: Array<[number, number]> = [];
  /** Reads that succeeded, and the bytes they returned. */
  reads = 0;
  bytesRead = 0;
  /** While set, every read rejects. */
  fail = false;

  constructor(inner: ByteSource) {
    this.inner = inner;
  }

  get size(): number {
    return this.inner.size;
  }

  get name(): string {
    return this.inner.name;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    this.calls.push([offset, length]);
    if (this.fail) throw new Error('disk on fire');
    const out = await this.inner.read(offset, length);
    this.reads++;
    this.bytesRead += out.length;
    return out;
  }
}
