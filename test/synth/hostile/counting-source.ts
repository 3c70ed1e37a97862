// An in-memory source that counts what is read from it, with no cache in between: the engine
// wraps other sources in a BlockCache but reads in-memory ones directly (openMinidump), and
// this one is an in-memory source. So its count, reads and peeks, is every byte a reader asked
// for — the measure of work for shapes whose cost is reading the same bytes again and again.
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';

export class CountingSource extends Uint8ArraySource {
  bytesRead = 0;
  reads = 0;

  override async read(offset: number, length: number): Promise<Uint8Array> {
    const out = await super.read(offset, length);
    this.reads++;
    this.bytesRead += out.length;
    return out;
  }

  // Bytes taken without a read (the stack walkers' pointers) are bytes asked for all the same.
  override peek(offset: number, length: number): Uint8Array | undefined {
    const out = super.peek(offset, length);
    if (out) {
      this.reads++;
      this.bytesRead += out.length;
    }
    return out;
  }
}
