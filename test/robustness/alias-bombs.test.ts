// Findings F1 and F2 of issue 15 at the probe's full size (the generators of test/synth/hostile;
// hostile-shapes.test.ts checks the same shapes smaller, and in the CLI under a heap limit): one
// export-bomb image (65,536 forwarded exports named by one 1 KiB string) aliased by 256 modules
// on one walk, by 2,000 threads' modules, and given once as a file for 256 modules of its name.
// Before, each module parsed and kept its own table and decoded every name: 4.3 GB and a V8
// abort. The checks count work, not time: how many images were parsed, what they hold, how many
// bytes were read.
import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../src/engine/io/uint8array-source.ts';
import { readMinidumpModel } from '../../src/engine/model/from-minidump.ts';
import { openMinidump } from '../../src/engine/minidump/minidump.ts';
import { createModuleIndex } from '../../src/engine/unwind/module-index.ts';
import { nameFrames } from '../../src/engine/unwind/symbolize.ts';
import { exportBombImage, RETURN_RVA_X86 } from '../synth/hostile/export-bomb-image.ts';
import { threadBombDump } from '../synth/hostile/thread-bomb.ts';
import { walkBombDump, walkBombImages } from '../synth/hostile/walk-bomb.ts';
import { RecordingSource } from '../synth/recording-source.ts';
import { loadPeFile } from '../../src/engine/pe/pe-image.ts';

describe('F1: 256 modules aliasing one export-bomb image, one walk through all of them', () => {
  it('parses the image once and reads little more than the file', async () => {
    const bytes = walkBombDump();
    const source = new RecordingSource(new Uint8ArraySource(bytes, 'walkbomb.dmp'));
    const model = await readMinidumpModel(source);
    const frames = model.threads[0]!.frames;
    expect(frames).toHaveLength(256);
    // Every export is a forwarder: nothing names the code, so module+offset, as WinDbg would.
    expect(frames[1]).toMatchObject({ module: 'm1', symbol: null, offset: `0x${RETURN_RVA_X86.toString(16)}` });
    expect(model.warnings.map((w) => w.kind)).toContain('cap-frames');
    expect(source.bytesRead).toBeLessThan(4 * bytes.length);
  });

  it('keeps one image for all aliases, holding about a megabyte', async () => {
    const bytes = walkBombDump();
    const md = await openMinidump(new Uint8ArraySource(bytes, 'walkbomb.dmp'));
    const memory = await md.memory();
    const index = createModuleIndex(((await md.modules()) ?? []).map((m) => ({ name: m.name, base: m.base, size: BigInt(m.size) })), memory);
    for (const m of index.modules) await nameFrames(m.base + BigInt(RETURN_RVA_X86), index);
    expect(index.images.size).toBe(1);
    expect(index.images.heldBytes).toBeLessThan(2 * 1024 * 1024);
  });

  it('through a module file given for 256 modules of its name: one parse', async () => {
    const { dump, image } = walkBombImages();
    const file = new RecordingSource(new Uint8ArraySource(image.bytes, image.name));
    const model = await readMinidumpModel(new Uint8ArraySource(dump, 'mods.dmp'), { images: [file] });
    expect(model.threads[0]!.frames.length).toBeGreaterThan(16);
    // The directory's arrays once, the one shared string once: well under two reads of the file.
    expect(file.bytesRead).toBeLessThan(2 * image.bytes.length);
  });
});

describe('F2: 2,000 threads, each in its own alias of the image', () => {
  it('parses the image once', async () => {
    const bytes = threadBombDump();
    const source = new RecordingSource(new Uint8ArraySource(bytes, 'threadbomb.dmp'));
    const model = await readMinidumpModel(source);
    expect(model.threads).toHaveLength(2000);
    expect(model.threads[1999]!.frames[0]).toMatchObject({ module: 'm1999', offset: '0x1000' });
    expect(source.bytesRead).toBeLessThan(4 * bytes.length);
  });
});

describe('the export table of the bomb', () => {
  it('costs its count, not its strings: names are decoded only when an address is named by one', async () => {
    const built = exportBombImage({ functions: 65_536, nameLength: 1023 });
    const file = new RecordingSource(new Uint8ArraySource(built.file, 'evil.dll'));
    const image = await loadPeFile(file);
    const table = (await image.exports())!;
    const codeRva = 0x1007;
    expect(table.rvas.length).toBe(65_536);
    expect(table.heldBytes()).toBeLessThan(65_536 * 16);
    const before = file.bytesRead;
    expect(await table.string(table.nameRvas[0]!)).toHaveLength(1023);
    expect(await table.string(table.nameRvas[65_535]!)).toHaveLength(1023);
    // One string, one read.
    expect(file.bytesRead - before).toBeLessThanOrEqual(1024);
    expect(table.nearest(codeRva)).toBe(-1); // only forwarders: nothing names the code
  });
});

describe('the image cache bound', () => {
  it('drops the least recently used images past its bound, says so once, and still answers', async () => {
    const built = exportBombImage({ functions: 4096, nameLength: 15 });
    // Ten distinct copies (not aliases), each holding ~60 KB once its exports are read.
    const { SyntheticAddressSpace } = await import('../synth/memory-space.ts');
    const memory = new SyntheticAddressSpace();
    const bases = Array.from({ length: 10 }, (_, k) => 0x10000000n + BigInt(k) * 0x1000000n);
    for (const b of bases) memory.add(b, built.mapped);
    const index = createModuleIndex(
      bases.map((base, k) => ({ name: `m${k}.dll`, base, size: BigInt(built.sizeOfImage) })),
      memory,
      [],
      { maxImageBytes: 200 * 1024 },
    );
    for (let round = 0; round < 2; round++) {
      for (const base of bases) {
        const image = await index.moduleAt(base)!.image();
        expect(await image!.exports()).not.toBeNull();
      }
    }
    expect(index.images.evicted).toBeGreaterThan(0);
    expect(index.images.heldBytes).toBeLessThanOrEqual(200 * 1024 + 128 * 1024);
    expect(index.warnings.filter((w) => w.kind === 'cap-cache')).toHaveLength(1);
  });
});

describe('the time budget inside naming and export parsing', () => {
  it('an export table read stops when the budget says so, by entries handled', async () => {
    const built = exportBombImage({ functions: 65_536, nameLength: 15 });
    let polls = 0;
    const image = await loadPeFile(new Uint8ArraySource(built.file, 'evil.dll'), { shouldStop: () => ++polls > 3 });
    expect(await image.exports()).toBeNull();
    // Polled every 4096 entries: it stopped after the fourth poll, long before 2 × 65,536 steps.
    expect(polls).toBe(4);
  });

  it('once the budget is spent, frames are named by module and offset without reading images', async () => {
    const bytes = walkBombDump({ modules: 8, functions: 1024, nameLength: 15 });
    const md = await openMinidump(new Uint8ArraySource(bytes, 'walkbomb.dmp'));
    const memory = await md.memory();
    const index = createModuleIndex(((await md.modules()) ?? []).map((m) => ({ name: m.name, base: m.base, size: BigInt(m.size) })), memory);
    const names = await nameFrames(index.modules[3]!.base + 0x1100n, index, { shouldStop: () => true });
    expect(names).toEqual([{ module: 'm3', symbol: null, offset: 0x1100n, source: null, inline: false }]);
    expect(index.images.size).toBe(0);
  });
});
