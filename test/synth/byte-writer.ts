// A growable little-endian byte buffer for the test-data writers. Writers append fixed parts
// first and patch offsets (RVAs, counts) once the data they point at has been placed, the way a
// linker resolves labels; `at()` remembers where a field went so it can be patched later.

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;

  constructor(initialCapacity = 4096) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.len;
  }

  private ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): number {
    this.ensure(1);
    const at = this.len;
    this.view.setUint8(at, v & 0xff);
    this.len += 1;
    return at;
  }

  u16(v: number): number {
    this.ensure(2);
    const at = this.len;
    this.view.setUint16(at, v & 0xffff, true);
    this.len += 2;
    return at;
  }

  u32(v: number | bigint): number {
    this.ensure(4);
    const at = this.len;
    this.view.setUint32(at, Number(BigInt.asUintN(32, BigInt(v))), true);
    this.len += 4;
    return at;
  }

  u64(v: number | bigint): number {
    this.ensure(8);
    const at = this.len;
    this.view.setBigUint64(at, BigInt.asUintN(64, BigInt(v)), true);
    this.len += 8;
    return at;
  }

  bytes(data: Uint8Array): number {
    this.ensure(data.length);
    const at = this.len;
    this.buf.set(data, at);
    this.len += data.length;
    return at;
  }

  zeros(count: number): number {
    this.ensure(count);
    const at = this.len;
    this.buf.fill(0, at, at + count);
    this.len += count;
    return at;
  }

  /** Pads with zeros to a multiple of `alignment`; returns the new length. */
  align(alignment: number): number {
    const rem = this.len % alignment;
    if (rem !== 0) this.zeros(alignment - rem);
    return this.len;
  }

  patchU8(offset: number, v: number): void {
    this.view.setUint8(offset, v & 0xff);
  }

  patchU16(offset: number, v: number): void {
    this.view.setUint16(offset, v & 0xffff, true);
  }

  patchU32(offset: number, v: number | bigint): void {
    this.view.setUint32(offset, Number(BigInt.asUintN(32, BigInt(v))), true);
  }

  patchU64(offset: number, v: number | bigint): void {
    this.view.setBigUint64(offset, BigInt.asUintN(64, BigInt(v)), true);
  }

  patchBytes(offset: number, data: Uint8Array): void {
    this.buf.set(data, offset);
  }

  /** A copy of the bytes written so far. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** UTF-16LE bytes of `text`, without a terminator. */
export function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i * 2] = c & 0xff;
    out[i * 2 + 1] = c >> 8;
  }
  return out;
}

/** Bytes of `text` as UTF-8, without a terminator. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Little-endian field reads for tests that check what the writers laid out. */
export function readU16(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(offset, true);
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, true);
}

export function readU64(bytes: Uint8Array, offset: number): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset, true);
}
