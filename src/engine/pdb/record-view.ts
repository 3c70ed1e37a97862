// A bounds-checked little-endian view over bytes read from a PDB. Every field of the file is
// untrusted, so a read outside the slice throws a PdbError('corrupt') naming what was being read
// instead of yielding undefined or a garbage number.
import { PdbError } from './pdb-error.ts';

const UTF8 = new TextDecoder('utf-8', { fatal: false });

export class RecordView {
  readonly bytes: Uint8Array;
  /** What these bytes are, for messages ("DBI header", "S_GPROC32 at 0x1c4 of module 12"). */
  readonly what: string;
  readonly #view: DataView;

  constructor(bytes: Uint8Array, what: string) {
    this.bytes = bytes;
    this.what = what;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  #check(at: number, size: number): void {
    if (!(at >= 0 && at + size <= this.bytes.length)) {
      throw new PdbError('corrupt', `${this.what} is cut short (needs ${at + size} bytes, has ${this.bytes.length})`);
    }
  }

  u8(at: number): number {
    this.#check(at, 1);
    return this.#view.getUint8(at);
  }

  u16(at: number): number {
    this.#check(at, 2);
    return this.#view.getUint16(at, true);
  }

  u32(at: number): number {
    this.#check(at, 4);
    return this.#view.getUint32(at, true);
  }

  i32(at: number): number {
    this.#check(at, 4);
    return this.#view.getInt32(at, true);
  }

  /** A sub-view of `length` bytes at `at`. */
  slice(at: number, length: number, what = this.what): RecordView {
    this.#check(at, length);
    return new RecordView(this.bytes.subarray(at, at + length), what);
  }

  /**
   * A NUL-terminated UTF-8 string at `at`, which must end inside the view: a name that runs off
   * the end of its record is damage, and cutting it would make a wrong name.
   */
  cString(at: number): { text: string; end: number } {
    this.#check(at, 0);
    const nul = this.bytes.indexOf(0, at);
    if (nul < 0) throw new PdbError('corrupt', `${this.what}: a name runs past the end of its record`);
    return { text: UTF8.decode(this.bytes.subarray(at, nul)), end: nul + 1 };
  }
}

/** UTF-8 text of `bytes` (names in PDB 7.0 files are UTF-8). */
export function decodeUtf8(bytes: Uint8Array): string {
  return UTF8.decode(bytes);
}
