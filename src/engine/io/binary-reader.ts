// Little-endian reads over one slice of a dump (a stream, a record). Every read is checked
// against the slice, and a read past its end throws DumpError('truncated') naming what was being
// read, so a parser never sees `undefined` or a silently zero-filled field.
import { DumpError } from '../core/errors.ts';

/** Longest string any reader decodes (64 KiB): a path or a name, never a megabyte of garbage. */
export const MAX_STRING_BYTES = 64 * 1024;

const utf16 = new TextDecoder('utf-16le');
const utf8 = new TextDecoder('utf-8');
// WHATWG maps "latin1" to windows-1252, the usual ANSI code page of CommentStreamA writers.
const ansi = new TextDecoder('latin1');

export class BinaryReader {
  readonly bytes: Uint8Array;
  /** What the slice holds, for messages ("ThreadListStream"). */
  readonly label: string;
  /** File offset of bytes[0], for messages. */
  readonly base: number;
  readonly #view: DataView;

  constructor(bytes: Uint8Array, label: string, base = 0) {
    this.bytes = bytes;
    this.label = label;
    this.base = base;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** True when `length` bytes at `offset` are inside the slice. */
  has(offset: number, length: number): boolean {
    return Number.isInteger(offset) && offset >= 0 && length >= 0 && offset + length <= this.bytes.length;
  }

  #check(offset: number, length: number, what: string): void {
    if (!this.has(offset, length)) {
      throw new DumpError(
        'truncated',
        `${this.label}: ${what} needs ${length} bytes at offset ${offset}, but the data is ${this.bytes.length} bytes long`,
      );
    }
  }

  u8(offset: number, what = 'u8'): number {
    this.#check(offset, 1, what);
    return this.#view.getUint8(offset);
  }

  u16(offset: number, what = 'u16'): number {
    this.#check(offset, 2, what);
    return this.#view.getUint16(offset, true);
  }

  u32(offset: number, what = 'u32'): number {
    this.#check(offset, 4, what);
    return this.#view.getUint32(offset, true);
  }

  i32(offset: number, what = 'i32'): number {
    this.#check(offset, 4, what);
    return this.#view.getInt32(offset, true);
  }

  u64(offset: number, what = 'u64'): bigint {
    this.#check(offset, 8, what);
    return this.#view.getBigUint64(offset, true);
  }

  /** A 128-bit little-endian value (an XMM or NEON register). */
  u128(offset: number, what = 'u128'): bigint {
    this.#check(offset, 16, what);
    return (this.#view.getBigUint64(offset + 8, true) << 64n) | this.#view.getBigUint64(offset, true);
  }

  /** A view (not a copy) of `length` bytes at `offset`. */
  slice(offset: number, length: number, what = 'bytes'): Uint8Array {
    this.#check(offset, length, what);
    return this.bytes.subarray(offset, offset + length);
  }

  /** A reader over part of this one, sharing the bytes. */
  sub(offset: number, length: number, label = this.label): BinaryReader {
    return new BinaryReader(this.slice(offset, length, label), label, this.base + offset);
  }

  /** UTF-16LE text of `byteLength` bytes, cut at the first NUL; at most MAX_STRING_BYTES are decoded. */
  utf16(offset: number, byteLength: number, what = 'UTF-16 string'): string {
    const len = Math.min(byteLength, MAX_STRING_BYTES) & ~1;
    return cutAtNul(utf16.decode(this.slice(offset, len, what)));
  }

  /** UTF-8 text of `byteLength` bytes, cut at the first NUL. */
  utf8(offset: number, byteLength: number, what = 'UTF-8 string'): string {
    return cutAtNul(utf8.decode(this.slice(offset, Math.min(byteLength, MAX_STRING_BYTES), what)));
  }

  /** Single-byte (ANSI code page) text, cut at the first NUL. */
  ansi(offset: number, byteLength: number, what = 'ANSI string'): string {
    return cutAtNul(ansi.decode(this.slice(offset, Math.min(byteLength, MAX_STRING_BYTES), what)));
  }

  /** A Windows GUID (Data1 u32, Data2 u16, Data3 u16, Data4 8 bytes) as lower-case 8-4-4-4-12. */
  guid(offset: number, what = 'GUID'): string {
    this.#check(offset, 16, what);
    const h = (v: number, w: number): string => v.toString(16).padStart(w, '0');
    const tail = Array.from(this.bytes.subarray(offset + 8, offset + 16), (b) => h(b, 2)).join('');
    return `${h(this.u32(offset), 8)}-${h(this.u16(offset + 4), 4)}-${h(this.u16(offset + 6), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`;
  }
}

function cutAtNul(text: string): string {
  const nul = text.indexOf('\0');
  return nul === -1 ? text : text.slice(0, nul);
}
