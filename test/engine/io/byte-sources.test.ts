import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { BlobSource } from '../../../src/engine/io/blob-source.ts';
import { NodeFileSource } from '../../../src/engine/io/node-file-source.ts';
import { DumpError } from '../../../src/engine/core/errors.ts';
import type { ByteSource } from '../../../src/engine/io/byte-source.ts';

const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);

async function contract(src: ByteSource): Promise<void> {
  expect(src.size).toBe(1000);
  expect(Array.from(await src.read(10, 5))).toEqual(Array.from(data.subarray(10, 15)));
  // Past the end: what exists, then nothing; never a throw.
  expect((await src.read(995, 100)).length).toBe(5);
  expect((await src.read(1000, 10)).length).toBe(0);
  expect((await src.read(5000, 10)).length).toBe(0);
  expect((await src.read(-5, 10)).length).toBe(0);
  expect((await src.read(0, 0)).length).toBe(0);
  expect((await src.read(0, 1000))[999]).toBe(data[999]);
}

describe('Uint8ArraySource', () => {
  it('follows the ByteSource contract', async () => {
    await contract(new Uint8ArraySource(data, 'x.dmp'));
  });
  it('returns copies the caller may keep', async () => {
    const src = new Uint8ArraySource(data);
    const a = await src.read(0, 4);
    a[0] = 99;
    expect((await src.read(0, 4))[0]).toBe(data[0]);
  });
});

describe('BlobSource', () => {
  it('follows the ByteSource contract', async () => {
    const src = new BlobSource(new Blob([data]), 'blob.dmp');
    expect(src.name).toBe('blob.dmp');
    await contract(src);
  });
  it('takes a File name', () => {
    expect(new BlobSource(new File([data], 'crash.dmp')).name).toBe('crash.dmp');
  });
});

describe('NodeFileSource', () => {
  it('follows the ByteSource contract and closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dumpatlas-'));
    try {
      const path = join(dir, 'file.dmp');
      writeFileSync(path, data);
      const src = await NodeFileSource.open(path);
      expect(src.name).toBe('file.dmp');
      await contract(src);
      await src.close();
      await expect(src.read(0, 4)).rejects.toBeInstanceOf(DumpError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('reports a missing file as an io DumpError', async () => {
    const err = await NodeFileSource.open('/nonexistent/really.dmp').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DumpError);
    expect((err as DumpError).kind).toBe('io');
    expect((err as DumpError).message).toContain('really.dmp');
  });
});
