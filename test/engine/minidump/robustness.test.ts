// Truncated, corrupt and hostile input: a typed DumpError or a partial result with warnings,
// never another exception and never a hang.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { openMinidump } from '../../../src/engine/minidump/minidump.ts';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { DumpError } from '../../../src/engine/core/errors.ts';
import { CORPUS, corpusSource } from './support/corpus.ts';
import { exercise } from './support/exercise.ts';

async function openOrError(bytes: Uint8Array, name: string) {
  try {
    return await openMinidump(new Uint8ArraySource(bytes, name));
  } catch (err) {
    if (!(err instanceof DumpError)) throw err;
    return err;
  }
}

describe('not a minidump', () => {
  const cases: Array<[string, Uint8Array]> = [
    ['empty', new Uint8Array(0)],
    ['png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
    ['zip', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0])],
    ['text', new TextEncoder().encode('Microsoft (R) Windows Debugger Version 10.0\n')],
    ['kernel dump', new TextEncoder().encode('PAGEDU64' + '\0'.repeat(64))],
  ];
  for (const [name, bytes] of cases) {
    it(`refuses ${name} as not-a-dump`, async () => {
      const err = await openOrError(bytes, name);
      expect(err).toBeInstanceOf(DumpError);
      expect((err as DumpError).kind).toBe('not-a-dump');
      expect((err as DumpError).message).toContain(name);
    });
  }

  it('refuses a big-endian dump as unsupported', async () => {
    const err = await openOrError(new TextEncoder().encode('PMDM' + '\0'.repeat(28)), 'be.dmp');
    expect((err as DumpError).kind).toBe('unsupported');
  });

  it('calls a header cut short truncated', async () => {
    const bytes = readFileSync(`${CORPUS}breakpad/minidump2.dmp`).subarray(0, 20);
    const err = await openOrError(bytes, 'short.dmp');
    expect((err as DumpError).kind).toBe('truncated');
  });
});

describe('truncated dump', () => {
  it('opens with a warning saying how many bytes are missing', async () => {
    const full = readFileSync(`${CORPUS}breakpad/minidump2.dmp`);
    const md = await openMinidump(new Uint8ArraySource(full.subarray(0, 10_000), 'cut.dmp'));
    // Every stream of this dump lies before the cut; only memory contents lie after it, which the
    // thread and memory lists reveal when read.
    expect(md.truncatedBytes).toBe(0);
    expect((await md.memoryList())!.length).toBe(3);
    expect(md.truncatedBytes).toBe(full.length - 10_000);
    expect(md.warnings).toContainEqual({
      kind: 'dump-truncated',
      message: `cut.dmp: the dump is truncated; ${full.length - 10_000} bytes are missing from its end`,
    });
    // Streams wholly inside the first 10 000 bytes still read.
    expect((await md.threads())!.length).toBe(2);
    expect((await md.modules())!.length).toBe(13);
    expect((await md.systemInfo())!.arch).toBe('x86');
    // The second thread's stack (0x918 bytes at 0x231d) is cut: what is there, with a warning.
    const threads = (await md.threads())!;
    expect((await md.stackBytes(threads[1]!))?.length).toBe(10_000 - 0x231d);
    expect(md.warnings.some((w) => w.kind === 'stream-truncated' && w.message.startsWith('stack of thread 4544'))).toBe(true);
    // Through the address space, a read running into the missing part is null, not zeros.
    const mem = await md.memory();
    expect(await mem.read(threads[1]!.stack.base, 16)).not.toBeNull();
    expect(await mem.read(threads[1]!.stack.base + 0x900n, 16)).toBeNull();
  });
});

describe('rust-minidump invalid-*.dmp', () => {
  for (const file of ['invalid-range.dmp', 'invalid-record-count.dmp', 'invalid-parameter.dmp']) {
    it(`${file}: typed errors or partial results only`, async () => {
      const md = await openMinidump(corpusSource(`rust-minidump/${file}`));
      const result = await exercise(md);
      for (const f of result.failed) expect(['truncated', 'corrupt', 'unsupported', 'too-large']).toContain(f.kind);
      if (file !== 'invalid-parameter.dmp') expect(md.warnings.length).toBeGreaterThan(0);
    });
  }

  it('invalid-range.dmp: its LinuxMaps stream at RVA 0 reads as bounded text, its directory is listed', async () => {
    const md = await openMinidump(corpusSource('rust-minidump/invalid-range.dmp'));
    expect(md.streams.length).toBe(4);
    expect((await md.linuxText('maps'))?.length).toBeGreaterThan(0);
    expect(await md.threads()).toBeNull();
  });
});

/** A small deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const corpusDumps = ['breakpad', 'lldb', 'rust-minidump', 'wine'].flatMap((dir) =>
  readdirSync(`${CORPUS}${dir}`)
    .filter((f) => f.endsWith('.dmp'))
    .map((f) => `${dir}/${f}`),
);

describe('every corpus dump, cut at many lengths', () => {
  for (const rel of corpusDumps) {
    it(rel, async () => {
      const full = new Uint8Array(readFileSync(`${CORPUS}${rel}`));
      const cuts = new Set([0, 3, 4, 31, 32, 40, 100, 300, 1000, 4000, full.length >> 2, full.length >> 1, full.length - 1]);
      for (const cut of cuts) {
        if (cut > full.length) continue;
        const md = await openOrError(full.subarray(0, cut), rel);
        if (md instanceof DumpError) {
          expect(['not-a-dump', 'truncated', 'corrupt', 'unsupported']).toContain(md.kind);
          continue;
        }
        await exercise(md);
        // Never more missing than was cut (the invalid-* files claim garbage sizes on purpose); a
        // dump cut in half always misses something it lists.
        if (!rel.includes('invalid-')) expect(md.truncatedBytes).toBeLessThanOrEqual(full.length - cut);
        if (cut === full.length >> 1 && md.streams.length > 0) expect(md.truncatedBytes).toBeGreaterThan(0);
      }
    });
  }
});

describe('corrupted bytes', () => {
  const targets = ['breakpad/minidump2.dmp', 'lldb/fizzbuzz_no_heap.dmp', 'breakpad/minidump_crashpad_annotation.dmp', 'lldb/regions-memlist64.dmp', 'breakpad/tiny-exe-with-cet-xsave.dmp', 'rust-minidump/linux-mini.dmp'];
  for (const rel of targets) {
    it(`${rel}: 150 mutants with random words overwritten in the first 4 KiB`, async () => {
      const full = new Uint8Array(readFileSync(`${CORPUS}${rel}`));
      const rand = rng(rel.length * 7919);
      const span = Math.min(full.length, 4096);
      for (let round = 0; round < 150; round++) {
        const bytes = full.slice();
        const flips = 1 + Math.floor(rand() * 8);
        for (let i = 0; i < flips; i++) {
          const at = 4 + Math.floor(rand() * (span - 8));
          // Extreme values hit the bounds checks hardest.
          const pick = rand();
          const word = pick < 0.3 ? 0xffffffff : pick < 0.5 ? 0 : pick < 0.6 ? 0x7fffffff : Math.floor(rand() * 2 ** 32);
          new DataView(bytes.buffer).setUint32(at, word >>> 0, true);
        }
        const md = await openOrError(bytes, `${rel}#${round}`);
        if (md instanceof DumpError) continue;
        await exercise(md);
      }
    }, 30_000);
  }
});
