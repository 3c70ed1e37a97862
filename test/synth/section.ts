// A chainable little-endian byte buffer that knows its own address, like rust-minidump's
// test `Section`: lay out a structure (a PE header, a stack, a minidump stream) call by call,
// ask where each part landed, patch fields later. byte-writer.ts is the builders' buffer, whose
// writes return offsets instead.
export class Section {
  readonly origin: bigint;
  #bytes: number[] = [];

  constructor(origin: bigint | number = 0n) {
    this.origin = BigInt(origin);
  }

  get length(): number {
    return this.#bytes.length;
  }

  /** Address (origin + offset) of the next byte written. */
  get here(): bigint {
    return this.origin + BigInt(this.#bytes.length);
  }

  /** Offset of the next byte written (an RVA when the origin is the image base). */
  get offset(): number {
    return this.#bytes.length;
  }

  u8(v: number): this {
    this.#bytes.push(v & 0xff);
    return this;
  }

  u16(v: number): this {
    return this.u8(v).u8(v >> 8);
  }

  u32(v: number): this {
    return this.u16(v & 0xffff).u16((v >>> 16) & 0xffff);
  }

  u64(v: bigint | number): this {
    const b = BigInt.asUintN(64, BigInt(v));
    return this.u32(Number(b & 0xffffffffn)).u32(Number(b >> 32n));
  }

  bytes(data: ArrayLike<number>): this {
    for (let i = 0; i < data.length; i++) this.u8(data[i]!);
    return this;
  }

  /** UTF-16LE code units, no terminator. */
  utf16(text: string): this {
    for (let i = 0; i < text.length; i++) this.u16(text.charCodeAt(i));
    return this;
  }

  ascii(text: string, nul = true): this {
    for (const c of text) this.u8(c.charCodeAt(0));
    return nul ? this.u8(0) : this;
  }

  zeros(n: number): this {
    for (let i = 0; i < n; i++) this.u8(0);
    return this;
  }

  align(n: number): this {
    while (this.#bytes.length % n !== 0) this.u8(0);
    return this;
  }

  /** Pads with zeros up to `offset`. */
  padTo(offset: number): this {
    if (offset < this.#bytes.length) throw new Error(`padTo(${offset}) behind current offset ${this.#bytes.length}`);
    return this.zeros(offset - this.#bytes.length);
  }

  patchU32(offset: number, v: number): this {
    for (let i = 0; i < 4; i++) this.#bytes[offset + i] = (v >>> (8 * i)) & 0xff;
    return this;
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}
