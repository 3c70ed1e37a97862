// The "/names" stream: the string table that line tables and FRAMEDATA programs point into by
// byte offset. Header: signature 0xEFFEEFFE, hash version, byte size of the strings; then the
// strings, NUL-terminated. Strings are read one at a time where an offset points, never whole.
import type { MsfFile, MsfStream } from './msf.ts';
import { HeldCache } from './held-cache.ts';
import { PdbError } from './pdb-error.ts';
import { RecordView, decodeUtf8 } from './record-view.ts';

const SIGNATURE = 0xeffeeffe;
const HEADER_BYTES = 12;
/** File paths and FRAMEDATA programs are far shorter; longer is damage. */
export const MAX_STRING_BYTES = 4096;

export class StringTable {
  readonly #stream: MsfStream;
  readonly #bufferSize: number;
  readonly #cache: HeldCache<number, string>;

  private constructor(stream: MsfStream, bufferSize: number, cacheBytes: number) {
    this.#stream = stream;
    this.#bufferSize = bufferSize;
    this.#cache = new HeldCache(cacheBytes);
  }

  static async open(msf: MsfFile, streamIndex: number, cacheBytes: number): Promise<StringTable> {
    const stream = msf.openStream(streamIndex, 'string table (/names)');
    if (stream === null) throw new PdbError('corrupt', `the string table stream ${streamIndex} does not exist`);
    const v = new RecordView(await stream.read(0, Math.min(HEADER_BYTES, stream.size)), 'string table header');
    if (v.u32(0) !== SIGNATURE) throw new PdbError('corrupt', 'the string table has a wrong signature');
    const bufferSize = v.u32(8);
    if (HEADER_BYTES + bufferSize > stream.size) throw new PdbError('corrupt', `the string table claims ${bufferSize} bytes of strings in a ${stream.size}-byte stream`);
    return new StringTable(stream, bufferSize, cacheBytes);
  }

  /** The string at byte `offset` of the table. */
  async get(offset: number): Promise<string> {
    const cached = this.#cache.get(offset);
    if (cached !== undefined) return cached;
    if (offset >= this.#bufferSize) throw new PdbError('corrupt', `string table offset ${offset} is past its ${this.#bufferSize} bytes`);
    const length = Math.min(this.#bufferSize - offset, MAX_STRING_BYTES + 1);
    const bytes = await this.#stream.read(HEADER_BYTES + offset, length);
    const nul = bytes.indexOf(0);
    if (nul < 0) throw new PdbError('corrupt', `the string at table offset ${offset} has no end within ${MAX_STRING_BYTES} bytes`);
    const text = decodeUtf8(bytes.subarray(0, nul));
    this.#cache.set(offset, text, 32 + text.length * 2);
    return text;
  }
}
