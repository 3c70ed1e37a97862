import { describe, expect, it } from 'vitest';
import { BinaryReader, MAX_STRING_BYTES } from '../../../src/engine/io/binary-reader.ts';
import { DumpError } from '../../../src/engine/core/errors.ts';

const bytes = Uint8Array.from([
  0x4d, 0x44, 0x4d, 0x50, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x88,
]);

describe('BinaryReader', () => {
  const r = new BinaryReader(bytes, 'test slice', 0x100);

  it('reads little-endian integers', () => {
    expect(r.u8(0)).toBe(0x4d);
    expect(r.u16(0)).toBe(0x444d);
    expect(r.u32(0)).toBe(0x504d444d);
    expect(r.u32(4)).toBe(0xffffffff);
    expect(r.i32(4)).toBe(-1);
    expect(r.u64(8)).toBe(0x8807060504030201n);
    expect(r.u128(0)).toBe((0x8807060504030201n << 64n) | 0xffffffff504d444dn);
  });

  it('throws a truncated DumpError naming the slice past its end', () => {
    for (const read of [() => r.u8(16), () => r.u32(13), () => r.u64(9), () => r.slice(10, 7), () => r.u32(-1)]) {
      let err: unknown;
      try {
        read();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DumpError);
      expect((err as DumpError).kind).toBe('truncated');
      expect((err as DumpError).message).toMatch(/^test slice: /);
    }
  });

  it('decodes UTF-16, UTF-8 and ANSI strings cut at NUL', () => {
    const s = new BinaryReader(Uint8Array.from([0x68, 0, 0xe9, 0, 0, 0, 0x78, 0]), 's');
    expect(s.utf16(0, 8)).toBe('hé');
    const u = new BinaryReader(new TextEncoder().encode('größe\0junk'), 'u');
    expect(u.utf8(0, u.length)).toBe('größe');
    const a = new BinaryReader(Uint8Array.from([0x41, 0xe9, 0x80, 0]), 'a');
    expect(a.ansi(0, 4)).toBe('Aé€'); // windows-1252: 0x80 is the euro sign
  });

  it('caps decoded strings', () => {
    const big = new BinaryReader(new Uint8Array(MAX_STRING_BYTES * 2).fill(0x41), 'big');
    expect(big.utf8(0, big.length).length).toBe(MAX_STRING_BYTES);
  });

  it('formats GUIDs with mixed-endian fields', () => {
    const g = Uint8Array.from([0xe5, 0x32, 0x98, 0x5a, 0x72, 0x28, 0xc1, 0x41, 0x83, 0x8e, 0xd9, 0x89, 0x14, 0xe9, 0xb7, 0xff]);
    expect(new BinaryReader(g, 'g').guid(0)).toBe('5a9832e5-2872-41c1-838e-d98914e9b7ff');
  });

  it('sub-readers keep file offsets and bounds', () => {
    const sub = r.sub(8, 4, 'inner');
    expect(sub.base).toBe(0x108);
    expect(sub.u32(0)).toBe(0x04030201);
    expect(() => sub.u8(4)).toThrow(DumpError);
  });
});
