// Sequential parsing over a stream without an await per field: a window of the stream's bytes
// is read once and records are cut from it; a record that crosses the window's end reloads the
// window from that record. Scans that skip ahead (a procedure's pEnd) use a small window, so
// the bytes they jump over are never read.
import type { MsfStream } from './msf.ts';
import { RecordView } from './record-view.ts';

export class StreamWindow {
  readonly stream: MsfStream;
  readonly #chunk: number;
  #start = 0;
  #bytes: Uint8Array = new Uint8Array(0);

  /** `chunk`: how much to read past a record when the window must move (at least the record). */
  constructor(stream: MsfStream, chunk: number) {
    this.stream = stream;
    this.#chunk = Math.max(512, chunk);
  }

  /** A view of `length` bytes at `offset` of the stream (past its end: PdbError 'corrupt'). */
  async view(offset: number, length: number, what: string): Promise<RecordView> {
    if (offset >= this.#start && offset + length <= this.#start + this.#bytes.length) {
      const at = offset - this.#start;
      return new RecordView(this.#bytes.subarray(at, at + length), what);
    }
    if (offset + length > this.stream.size || offset < 0 || length < 0) {
      // Let the stream raise its own message for a range past the end.
      await this.stream.read(offset, length);
    }
    // To the end of the chunk-aligned region around `offset` (at least the record): windows then
    // follow the stream's pages, so a sequential scan reads each page once.
    const chunkEnd = Math.floor(offset / this.#chunk) * this.#chunk + this.#chunk;
    const end = Math.min(this.stream.size, Math.max(offset + length, chunkEnd));
    this.#bytes = await this.stream.read(offset, end - offset);
    this.#start = offset;
    return new RecordView(this.#bytes.subarray(0, length), what);
  }
}
