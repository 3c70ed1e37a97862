// Random access to one record of the TPI (types, stream 2) or IPI (ids, stream 4) stream by its
// type index. Records are variable-length and numbered in order, so the hash stream's index
// offset buffer — (type index, offset) pairs every ~8 KB of records — is binary searched for
// the nearest pair at or before the wanted index, and only the records from there are walked.
//
// Header (56 bytes): version, header size, first and end type index, record bytes, hash
// stream number, …, index offset buffer offset and length (in the hash stream), ….
import type { MsfFile } from './msf.ts';
import { PdbError } from './pdb-error.ts';
import { RecordView } from './record-view.ts';
import { StreamWindow } from './stream-window.ts';

export const TPI_STREAM = 2;
export const IPI_STREAM = 4;
const HEADER_BYTES = 56;
/** Bytes walked from an index offset to a record: pairs are ~8 KB apart in real PDBs. */
export const MAX_TYPE_WALK_BYTES = 4 * 1024 * 1024;

export class TypeStream {
  readonly label: string;
  readonly begin: number;
  readonly end: number;
  readonly #window: StreamWindow;
  readonly #recordsAt: number;
  readonly #recordsEnd: number;
  /** Hash stream window and the index offset buffer's place in it, when there is one. */
  readonly #hash: { window: StreamWindow; at: number; count: number } | null;

  private constructor(
    label: string,
    window: StreamWindow,
    begin: number,
    end: number,
    recordsAt: number,
    recordsEnd: number,
    hash: { window: StreamWindow; at: number; count: number } | null,
  ) {
    this.label = label;
    this.#window = window;
    this.begin = begin;
    this.end = end;
    this.#recordsAt = recordsAt;
    this.#recordsEnd = recordsEnd;
    this.#hash = hash;
  }

  /** The stream's header and where its index offsets are; null when the stream does not exist. */
  static async open(msf: MsfFile, index: number, label: string): Promise<TypeStream | null> {
    const stream = msf.openStream(index, label);
    if (stream === null || stream.size < HEADER_BYTES) return null;
    const h = new RecordView(await stream.read(0, HEADER_BYTES), `${label} header`);
    const headerSize = h.u32(4);
    const begin = h.u32(8);
    const end = h.u32(12);
    const recordBytes = h.u32(16);
    if (headerSize < HEADER_BYTES || headerSize + recordBytes > stream.size || end < begin) {
      throw new PdbError('corrupt', `${label}: header (size ${headerSize}, ${recordBytes} record bytes, indexes ${begin}..${end}) does not fit its ${stream.size}-byte stream`);
    }
    let hash: { window: StreamWindow; at: number; count: number } | null = null;
    const hashStream = msf.openStream(h.u16(20), `${label} hash`);
    const ioAt = h.i32(40);
    const ioLength = h.u32(44);
    if (hashStream !== null && ioAt >= 0 && ioLength >= 8 && ioAt + ioLength <= hashStream.size) {
      hash = { window: new StreamWindow(hashStream, 4096), at: ioAt, count: Math.floor(ioLength / 8) };
    }
    return new TypeStream(label, new StreamWindow(stream, 4096), begin, end, headerSize, headerSize + recordBytes, hash);
  }

  /** The record of type index `ti` (its 4-byte length and kind included), or null outside the stream. */
  async record(ti: number): Promise<RecordView | null> {
    if (ti < this.begin || ti >= this.end) return null;
    let index = this.begin;
    let offset = 0;
    if (this.#hash !== null) {
      const { window, at, count } = this.#hash;
      let lo = 0;
      let hi = count;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const pairTi = (await window.view(at + mid * 8, 4, `${this.label} index offsets`)).u32(0);
        if (pairTi <= ti) lo = mid + 1;
        else hi = mid;
      }
      if (lo > 0) {
        const pair = await window.view(at + (lo - 1) * 8, 8, `${this.label} index offsets`);
        const pairTi = pair.u32(0);
        const pairOffset = pair.u32(4);
        // A pair that contradicts the header is ignored: walking from the start is slower, not wrong.
        if (pairTi >= this.begin && pairTi <= ti && this.#recordsAt + pairOffset < this.#recordsEnd) {
          index = pairTi;
          offset = pairOffset;
        }
      }
    }
    let at = this.#recordsAt + offset;
    const walkEnd = at + MAX_TYPE_WALK_BYTES;
    while (at + 4 <= this.#recordsEnd) {
      if (at > walkEnd) throw new PdbError('too-large', `${this.label}: type 0x${ti.toString(16)} lies more than ${MAX_TYPE_WALK_BYTES} bytes past the nearest index offset`);
      const length = (await this.#window.view(at, 2, this.label)).u16(0);
      if (length < 2 || at + 2 + length > this.#recordsEnd) throw new PdbError('corrupt', `${this.label}: record 0x${index.toString(16)} at ${at} runs past the records`);
      if (index === ti) return this.#window.view(at, 2 + length, `${this.label} record 0x${ti.toString(16)}`);
      at += 2 + length;
      index++;
    }
    throw new PdbError('corrupt', `${this.label}: the records end before type 0x${ti.toString(16)}`);
  }
}

/** The size of a numeric leaf at `at` (a value below 0x8000 is stored inline), for skipping it. */
export function numericLeafBytes(v: RecordView, at: number): number {
  const leaf = v.u16(at);
  if (leaf < 0x8000) return 2;
  switch (leaf) {
    case 0x8000: // LF_CHAR
      return 3;
    case 0x8001: // LF_SHORT
    case 0x8002: // LF_USHORT
      return 4;
    case 0x8003: // LF_LONG
    case 0x8004: // LF_ULONG
      return 6;
    case 0x8009: // LF_QUADWORD
    case 0x800a: // LF_UQUADWORD
      return 10;
    case 0x8017: // LF_OCTWORD
    case 0x8018: // LF_UOCTWORD
      return 18;
    default:
      throw new PdbError('corrupt', `${v.what}: size is a numeric leaf of kind 0x${leaf.toString(16)}`);
  }
}

