import { describe, expect, it } from 'vitest';
import { DumpMemory, MAX_MEMORY_READ, normalizeRanges } from '../../../src/engine/memory/dump-memory.ts';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { openMinidump } from '../../../src/engine/minidump/minidump.ts';
import { DumpError } from '../../../src/engine/core/errors.ts';
import { MinidumpBuilder } from '../../synth/minidump-builder.ts';
import { Section } from '../../synth/section.ts';

// A "file" whose byte at offset i is i & 0xff, so any read shows where it came from.
const file = new Uint8ArraySource(Uint8Array.from({ length: 4096 }, (_, i) => i & 0xff), 'mem.dmp');

function collect(): { warn: (k: string, m: string) => void; got: string[] } {
  const got: string[] = [];
  return { got, warn: (k) => got.push(k) };
}

describe('normalizeRanges', () => {
  it('sorts, drops empty ranges and keeps file offsets', () => {
    const w = collect();
    const r = normalizeRanges(
      [
        { base: 0x3000n, size: 16, rva: 100 },
        { base: 0x1000n, size: 0, rva: 0 },
        { base: 0x1000n, size: 32n, rva: 200n },
      ],
      4096,
      w.warn,
    );
    expect(r).toEqual([
      { base: 0x1000n, size: 32n, rva: 200, end: 0x1020n },
      { base: 0x3000n, size: 16n, rva: 100, end: 0x3010n },
    ]);
    expect(w.got).toEqual([]);
  });

  it('trims overlaps (the lower range wins) and drops contained ranges', () => {
    const w = collect();
    const r = normalizeRanges(
      [
        { base: 0x1000n, size: 0x100, rva: 0 },
        { base: 0x1080n, size: 0x100, rva: 1000 }, // overlaps the last 0x80 bytes
        { base: 0x1010n, size: 0x10, rva: 2000 }, // wholly inside the first
      ],
      4096,
      w.warn,
    );
    expect(r).toEqual([
      { base: 0x1000n, size: 0x100n, rva: 0, end: 0x1100n },
      { base: 0x1100n, size: 0x80n, rva: 1000 + 0x80, end: 0x1180n },
    ]);
    expect(w.got).toEqual(['memory-overlap']);
  });

  it('cuts ranges running past the file or past 2^64, drops ranges wholly outside the file', () => {
    const w = collect();
    const r = normalizeRanges(
      [
        { base: 0x1000n, size: 100, rva: 4000 }, // 4 bytes past the end
        { base: 0x2000n, size: 100, rva: 5000 }, // entirely past the end
        { base: 0xffff_ffff_ffff_fff0n, size: 0x100, rva: 0 }, // wraps the address space
      ],
      4096,
      w.warn,
    );
    expect(r).toEqual([
      { base: 0x1000n, size: 96n, rva: 4000, end: 0x1060n },
      { base: 0xffff_ffff_ffff_fff0n, size: 0x10n, rva: 0, end: 1n << 64n },
    ]);
    expect(w.got.sort()).toEqual(['memory-range-corrupt', 'memory-truncated']);
  });
});

describe('DumpMemory', () => {
  const mem = new DumpMemory(file, [
    { base: 0x1000n, size: 0x10, rva: 0 },
    { base: 0x1010n, size: 0x10, rva: 0x100 }, // adjacent in memory, elsewhere in the file
    { base: 0x2000n, size: 0x10, rva: 0x200 },
  ]);

  it('finds ranges by binary search', () => {
    expect(mem.rangeAt(0x1000n)).toMatchObject({ base: 0x1000n });
    expect(mem.rangeAt(0x101fn)).toMatchObject({ base: 0x1010n });
    expect(mem.rangeAt(0x1020n)).toBeNull();
    expect(mem.rangeAt(0xfffn)).toBeNull();
    expect(mem.fileOffset(0x2004n)).toBe(0x204);
    expect(mem.totalBytes).toBe(0x30n);
  });

  it('reads within a range and across adjacent ranges', async () => {
    expect(Array.from((await mem.read(0x1004n, 4))!)).toEqual([4, 5, 6, 7]);
    // 0x100e..0x1011 spans the two adjacent ranges: file offsets 0x0e, 0x0f, 0x100, 0x101
    expect(Array.from((await mem.read(0x100en, 4))!)).toEqual([0x0e, 0x0f, 0x00, 0x01]);
    expect(await mem.readPointer(0x2000n, 4)).toBe(0x03020100n);
    expect(await mem.readPointer(0x2008n, 8)).toBe(0x0f0e0d0c0b0a0908n);
  });

  it('returns null when any byte is missing, never zeros', async () => {
    expect(await mem.read(0x101cn, 8)).toBeNull(); // runs into the gap after 0x1020
    expect(await mem.read(0x1800n, 1)).toBeNull();
    expect(await mem.read(0xffff_ffff_ffff_fffcn, 8)).toBeNull();
    expect(await mem.readPointer(0x200cn, 8)).toBeNull();
    expect((await mem.read(0x1800n, 0))!.length).toBe(0);
  });

  it('peeks at held bytes inside one range only, and reads the same bytes as read()', async () => {
    expect(Array.from(mem.peek(0x1004n, 4)!)).toEqual([4, 5, 6, 7]);
    expect(mem.peek(0x100en, 4)).toBeUndefined(); // spans two ranges: read() joins them
    expect(mem.peek(0x1800n, 1)).toBeUndefined(); // not captured: read() says null
    expect(mem.peek(0x200cn, 8)).toBeUndefined(); // runs past the range
    const copy = (await mem.read(0x1004n, 4))!;
    copy[0] = 0xee; // read() gives a copy; peek() a view of the source's own bytes
    expect(mem.peek(0x1004n, 1)![0]).toBe(4);
  });

  it('refuses absurd read lengths with a typed error', async () => {
    await expect(mem.read(0x1000n, MAX_MEMORY_READ + 1)).rejects.toMatchObject({ kind: 'too-large' });
    await expect(mem.read(0x1000n, -1)).rejects.toBeInstanceOf(DumpError);
  });
});

describe('Memory64List through a synthetic full-memory dump', () => {
  it('locates each range from BaseRva plus the sizes before it', async () => {
    const w = MinidumpBuilder.raw();
    w.stream(7, w.systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045 }));
    const a = Uint8Array.from({ length: 0x20 }, (_, i) => 0xa0 + (i & 0xf));
    const b = Uint8Array.from({ length: 0x30 }, (_, i) => 0xb0 + (i & 0xf));
    const c = Uint8Array.from({ length: 0x10 }, (_, i) => 0xc0 + i);
    w.memory64([
      { address: 0x7ff0_0000_0000n, bytes: a },
      { address: 0x7ff0_0000_0020n, bytes: b }, // adjacent to a
      { address: 0x1_0000n, bytes: c }, // out of address order on purpose
    ]);
    const bytes = w.finish({ flags: 2n });
    const md = await openMinidump(new Uint8ArraySource(bytes, 'full.dmp'));
    const list = (await md.memory64List())!;
    expect(list.ranges.map((r) => [r.base, r.size])).toEqual([
      [0x7ff0_0000_0000n, 0x20n],
      [0x7ff0_0000_0020n, 0x30n],
      [0x1_0000n, 0x10n],
    ]);
    expect(list.ranges[1]!.rva).toBe(list.baseRva + 0x20n);
    expect(list.ranges[2]!.rva).toBe(list.baseRva + 0x50n);
    const mem = await md.memory();
    expect(mem.ranges.map((r) => r.base)).toEqual([0x1_0000n, 0x7ff0_0000_0000n, 0x7ff0_0000_0020n]);
    expect(Array.from((await mem.read(0x1_0004n, 2))!)).toEqual([0xc4, 0xc5]);
    expect(Array.from((await mem.read(0x7ff0_0000_001en, 4))!)).toEqual([0xae, 0xaf, 0xb0, 0xb1]);
    expect(md.truncatedBytes).toBe(0);
    expect(md.warnings).toEqual([]);
  });

  it('reports the missing bytes of a full dump cut short', async () => {
    const w = MinidumpBuilder.raw();
    w.memory64([
      { address: 0x1000n, bytes: new Uint8Array(0x100).fill(1) },
      { address: 0x2000n, bytes: new Uint8Array(0x100).fill(2) },
    ]);
    const bytes = w.finish();
    // The writer puts the 12-byte directory last, after the ranges' data. Drop the last 0x80
    // bytes of range data and put the directory back after them: the list still claims them.
    const dataEnd = bytes.length - 12;
    const cut = new Uint8Array(bytes.subarray(0, dataEnd - 0x80));
    const fixed = new Section().bytes(cut).u32(9).u32(48).u32(0x20).toBytes();
    new DataView(fixed.buffer).setUint32(12, cut.length, true); // StreamDirectoryRva
    const md = await openMinidump(new Uint8ArraySource(fixed, 'cut-full.dmp'));
    const mem = await md.memory();
    expect(md.truncatedBytes).toBe(0x80 - 12);
    expect(md.warnings.map((w) => w.kind)).toContain('memory-truncated');
    expect(Array.from((await mem.read(0x2000n, 2))!)).toEqual([2, 2]);
    expect(await mem.read(0x20f0n, 8)).toBeNull();
  });
});
