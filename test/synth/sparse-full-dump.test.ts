import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readU32, readU64 } from './byte-writer.ts';
import { writeSparseFullMemoryDump } from './sparse-full-dump.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sparse-dump-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAt(path: string, offset: number, length: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(length);
    await fh.read(buf, 0, length, offset);
    return buf;
  } finally {
    await fh.close();
  }
}

describe('writeSparseFullMemoryDump', () => {
  it('writes a Memory64List dump whose ranges follow the metadata, in sparse mode', async () => {
    const path = join(dir, 'sparse.dmp');
    const total = 5 * 1024 * 1024 + 12345;
    const r = await writeSparseFullMemoryDump(path, { totalBytes: total, rangeSize: 1024 * 1024, threadCount: 2 });
    expect(r.ranges.length).toBe(6);
    expect(r.ranges.reduce((a, x) => a + x.size, 0n)).toBe(BigInt(total));
    expect((await stat(path)).size).toBe(Number(r.fileSize));
    const head = await readAt(path, 0, 32);
    expect(readU32(head, 0)).toBe(0x504d444d);
    expect(readU64(head, 24) & 2n).toBe(2n);
    // the Memory64List: count includes the two held stacks, BaseRva is where stack data starts
    const meta = await readAt(path, 0, Number(r.ranges[0]!.rva));
    const n = readU32(meta, 8);
    const dirAt = readU32(meta, 12);
    const entries = Array.from({ length: n }, (_, i) => ({ type: readU32(meta, dirAt + i * 12), rva: readU32(meta, dirAt + i * 12 + 8) }));
    const m64 = entries.find((e) => e.type === 9)!;
    expect(readU64(meta, m64.rva)).toBe(8n);
    const baseRva = readU64(meta, m64.rva + 8);
    // held stacks (2 × 64 KiB) come first, then the declared ranges
    expect(r.ranges[0]!.rva).toBe(baseRva + 2n * 0x10000n);
    for (const range of r.ranges) {
      const marker = await readAt(path, Number(range.rva), 8);
      expect(readU64(marker, 0)).toBe(range.address);
    }
  });

  it('fills every page with its address in pattern mode', async () => {
    const path = join(dir, 'pattern.dmp');
    const r = await writeSparseFullMemoryDump(path, { totalBytes: 3 * 1024 * 1024, rangeSize: 2 * 1024 * 1024, fill: 'pattern', chunkSize: 256 * 1024 });
    const second = r.ranges[1]!;
    expect(second.size).toBe(1024n * 1024n);
    const page = await readAt(path, Number(second.rva) + 5 * 4096, 16);
    expect(readU64(page, 0)).toBe(second.address + 5n * 4096n);
    expect(readU64(page, 8)).toBe(0n);
    const lastPage = await readAt(path, Number(r.fileSize) - 4096, 8);
    expect(readU64(lastPage, 0)).toBe(second.address + second.size - 4096n);
  });
});
