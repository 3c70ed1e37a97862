// A ByteSource over a browser File or Blob (a dropped file). Blob.slice is lazy, so only the
// requested bytes are ever read from disk; Node 24 has the same global Blob.
import type { ByteSource } from './byte-source.ts';
import { DumpError } from '../core/errors.ts';
import { clampRange } from './uint8array-source.ts';

export class BlobSource implements ByteSource {
  readonly size: number;
  readonly name: string;
  readonly #blob: Blob;

  constructor(blob: Blob, name?: string) {
    this.#blob = blob;
    this.size = blob.size;
    this.name = name ?? ('name' in blob && typeof blob.name === 'string' ? blob.name : 'blob');
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const [start, end] = clampRange(offset, length, this.size);
    if (end === start) return new Uint8Array(0);
    try {
      return new Uint8Array(await this.#blob.slice(start, end).arrayBuffer());
    } catch (err) {
      // A File whose underlying disk file changed or vanished rejects with NotReadableError.
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new DumpError('io', `${this.name}: could not read bytes ${start}..${end}: ${why}`);
    }
  }
}
