import { describe, expect, it } from 'vitest';
import { BlockCache } from '../../../src/engine/io/block-cache.ts';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { RecordingSource } from '../../synth/recording-source.ts';

const data = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 13 + 5) & 0xff);

describe('BlockCache', () => {
  it('serves many small reads from one block read', async () => {
    const rec = new RecordingSource(new Uint8ArraySource(data));
    const cache = new BlockCache(rec, { blockSize: 1024, maxBlocks: 4 });
    for (let i = 0; i < 100; i++) {
      expect(Array.from(await cache.read(i * 8, 8))).toEqual(Array.from(data.subarray(i * 8, i * 8 + 8)));
    }
    expect(rec.calls).toEqual([[0, 1024]]);
  });

  it('reads spanning blocks correctly, and the short last block', async () => {
    const cache = new BlockCache(new Uint8ArraySource(data), { blockSize: 1024, maxBlocks: 8 });
    expect(Array.from(await cache.read(1020, 10))).toEqual(Array.from(data.subarray(1020, 1030)));
    expect(Array.from(await cache.read(9990, 50))).toEqual(Array.from(data.subarray(9990)));
    expect((await cache.read(10_000, 5)).length).toBe(0);
  });

  it('stays bounded and evicts the least recently used block', async () => {
    const rec = new RecordingSource(new Uint8ArraySource(data));
    const cache = new BlockCache(rec, { blockSize: 1024, maxBlocks: 2 });
    await cache.read(0, 1); // block 0
    await cache.read(1024, 1); // block 1
    await cache.read(0, 1); // block 0 used again
    await cache.read(2048, 1); // block 2 evicts block 1
    expect(cache.cachedBlocks).toBe(2);
    rec.calls.length = 0;
    await cache.read(5, 1);
    expect(rec.calls).toEqual([]);
    await cache.read(1030, 1);
    expect(rec.calls).toEqual([[1024, 1024]]);
  });

  it('passes large reads through without filling the cache', async () => {
    const rec = new RecordingSource(new Uint8ArraySource(data));
    const cache = new BlockCache(rec, { blockSize: 512, maxBlocks: 8 });
    const all = await cache.read(0, 10_000);
    expect(all.length).toBe(10_000);
    expect(rec.calls).toEqual([[0, 10_000]]);
    expect(cache.cachedBlocks).toBe(0);
  });

  it('does not keep a failed read', async () => {
    const rec = new RecordingSource(new Uint8ArraySource(data));
    const cache = new BlockCache(rec, { blockSize: 1024 });
    rec.fail = true;
    await expect(cache.read(0, 4)).rejects.toThrow('disk on fire');
    rec.fail = false;
    expect((await cache.read(0, 4))[0]).toBe(data[0]);
  });

  it('peeks only at bytes it holds, inside one block, as they are', async () => {
    const rec = new RecordingSource(new Uint8ArraySource(data));
    const cache = new BlockCache(rec, { blockSize: 1024, maxBlocks: 2 });
    expect(cache.peek(8, 8)).toBeUndefined(); // not read yet: peeking never reads
    expect(rec.calls).toEqual([]);
    await cache.read(0, 1);
    expect(Array.from(cache.peek(8, 8)!)).toEqual(Array.from(data.subarray(8, 16)));
    expect(cache.peek(1020, 8)).toBeUndefined(); // runs into block 1
    expect(cache.peek(-1, 4)).toBeUndefined();
    expect(cache.peek(9_998, 4)).toBeUndefined(); // past the end of the file
    await cache.read(1024, 1);
    await cache.read(2048, 1); // evicts block 0
    expect(cache.peek(8, 8)).toBeUndefined();
    expect(rec.calls).toEqual([
      [0, 1024],
      [1024, 1024],
      [2048, 1024],
    ]);
  });

  it('holds no bytes of a failed read', async () => {
    const rec = new RecordingSource(new Uint8ArraySource(data));
    const cache = new BlockCache(rec, { blockSize: 1024 });
    rec.fail = true;
    await expect(cache.read(0, 4)).rejects.toThrow('disk on fire');
    expect(cache.peek(0, 4)).toBeUndefined();
  });
});
