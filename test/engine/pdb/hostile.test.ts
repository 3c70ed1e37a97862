// Damaged and hostile PDBs: openPdb rejects with a one-line PdbError naming the file, or opens;
// a lookup never throws or hangs, and names nothing it cannot prove — null and a warning
// instead of a guess.
import { describe, expect, it } from 'vitest';
import type { ByteSource } from '../../../src/engine/io/byte-source.ts';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { openPdb } from '../../../src/engine/pdb/open-pdb.ts';
import { PdbError } from '../../../src/engine/pdb/pdb-error.ts';
import type { SymbolFile } from '../../../src/engine/symbols/symbol-file.ts';
import { buildPdb, cvRecord, type PdbSpec } from '../../synth/pdb-builder.ts';
import { samplePdbSpec } from '../../synth/pdb-samples.ts';
import { RecordingSource } from '../../synth/recording-source.ts';

const S_GPROC32 = 0x1110;
const S_BLOCK32 = 0x1103;

function open(spec: PdbSpec, limits?: Parameters<typeof openPdb>[1]): Promise<SymbolFile> {
  return openPdb(new Uint8ArraySource(buildPdb(spec), 'bad.pdb'), limits);
}

function withProc(patch: Partial<NonNullable<PdbSpec['modules'][number]['procs']>[number]>, modulePatch: Partial<PdbSpec['modules'][number]> = {}): PdbSpec {
  const spec = samplePdbSpec();
  const app = spec.modules[1]!;
  spec.modules[1] = { ...app, ...modulePatch, procs: [{ ...app.procs![0]!, ...patch }, ...app.procs!.slice(1)] };
  return spec;
}

const SAMPLE_NAMES = new Set(['main', 'process', 'other_fn', 'helper', 'shop::Ledger::put', 'shop::tax', 'mainCRTStartup', '__crt_helper', 'g_table']);
const PROBES = [0x1000, 0x1090, 0x1100, 0x1122, 0x1130, 0x1144, 0x1168, 0x1210, 0x1250, 0x4020];

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Every lookup resolves, to null or to names the sample has. With `flips` bytes garbled, a name
 * may carry those garbled bytes (a PDB has no checksum over its names), but it must still be
 * read from a name's place: within `2 × flips` edits of one of the sample's names.
 */
async function probe(pdb: SymbolFile, flips = 0): Promise<void> {
  for (const rva of PROBES) {
    const r = await pdb.lookup(rva);
    if (r === null) continue;
    expect(r.levels.length).toBeGreaterThan(0);
    for (const l of r.levels) {
      const nearest = Math.min(...[...SAMPLE_NAMES].map((n) => editDistance(n, l.name)));
      expect(nearest, `0x${rva.toString(16)} named ${JSON.stringify(l.name)}`).toBeLessThanOrEqual(2 * flips);
    }
  }
  await pdb.x86FrameInfo(0x1100);
  for (const w of pdb.warnings) expect(w.message).toMatch(/^bad\.pdb: [^\n]+$/);
}

describe('files that are not PDB 7.0', () => {
  const cases: Array<[string, Uint8Array, string]> = [
    ['empty', new Uint8Array(0), 'not-a-pdb'],
    ['a PNG', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(100).fill(0)]), 'not-a-pdb'],
    ['random bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) & 0xff), 'not-a-pdb'],
    ['a cut-short header', buildPdb(samplePdbSpec()).subarray(0, 40), 'truncated'],
  ];
  for (const [what, bytes, kind] of cases) {
    it(`refuses ${what}`, async () => {
      const err = await openPdb(new Uint8ArraySource(bytes, 'x.pdb')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PdbError);
      expect(err).toMatchObject({ kind, message: expect.stringMatching(/^x\.pdb: [^\n]+$/) });
    });
  }

  it('refuses an MSF 2.0 ("JG") program database by name', async () => {
    const jg = new Uint8Array(1024);
    jg.set(new TextEncoder().encode('Microsoft C/C++ program database 2.00\r\n\x1aJG\0\0'));
    const err = await openPdb(new Uint8ArraySource(jg, 'vc6.pdb')).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/^vc6\.pdb: an MSF 2\.0 \("JG"\) program database/) });
  });

  it('refuses impossible superblocks', async () => {
    const good = buildPdb(samplePdbSpec());
    const patch = (at: number, v: number): Uint8Array => {
      const b = good.slice();
      new DataView(b.buffer).setUint32(at, v, true);
      return b;
    };
    const kinds = async (b: Uint8Array): Promise<string> => ((await openPdb(new Uint8ArraySource(b, 'x.pdb')).catch((e: PdbError) => e)) as PdbError).kind;
    expect(await kinds(patch(32, 1000))).toBe('corrupt'); // block size
    expect(await kinds(patch(40, 0))).toBe('corrupt'); // no blocks
    expect(await kinds(patch(44, 0x7fffffff))).toBe('corrupt'); // directory size
    expect(await kinds(patch(52, 0xffffff))).toBe('corrupt'); // block map past the end
  });

  it('refuses a directory that lists more streams than the bound', async () => {
    const spec = samplePdbSpec();
    const good = buildPdb(spec);
    const dv = new DataView(good.buffer);
    const bs = dv.getUint32(32, true);
    const mapBlock = dv.getUint32(52, true);
    const dirBlock = dv.getUint32(mapBlock * bs, true);
    dv.setUint32(dirBlock * bs, 0x7fffffff, true);
    await expect(openPdb(new Uint8ArraySource(good, 'x.pdb'))).rejects.toMatchObject({ kind: 'too-large' });
  });

  it('reports a byte source that fails as io, at open and during a lookup', async () => {
    const failing: ByteSource = { size: 1 << 20, name: 'gone.pdb', read: () => Promise.reject(new Error('revoked')) };
    await expect(openPdb(failing)).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/^gone\.pdb: .*revoked/) });
    const src = new RecordingSource(new Uint8ArraySource(buildPdb(samplePdbSpec()), 'bad.pdb'));
    const pdb = await openPdb(src);
    src.fail = true;
    expect(await pdb.lookup(0x1100)).toBeNull();
    expect(pdb.warnings).toEqual([{ kind: 'symbols-unreadable', message: expect.stringMatching(/^bad\.pdb: .*disk on fire.*\(looking up RVA 0x1100\)$/) }]);
    src.fail = false;
    expect(await pdb.lookup(0x1100)).not.toBeNull();
  });

  it('tries tables again whose first opening failed', async () => {
    const src = new RecordingSource(new Uint8ArraySource(buildPdb({ ...samplePdbSpec(), fillerTypes: 2000 }), 'bad.pdb'));
    const pdb = await openPdb(src);
    src.fail = true;
    // Publics, the string table and the IPI are all first needed by these lookups.
    expect(await pdb.lookup(0x1000)).toBeNull();
    expect(await pdb.lookup(0x1122)).toBeNull();
    src.fail = false;
    expect((await pdb.lookup(0x1000))?.levels[0]?.name).toBe('mainCRTStartup');
    expect((await pdb.lookup(0x1122))?.levels.map((l) => l.name)).toEqual(['shop::Ledger::put', 'helper', 'main']);
  });
});

describe('damaged records', () => {
  it('walks scopes by nesting when a pEnd is wrong, and still names correctly', async () => {
    for (const badEnd of [0, 3, 0xffffff]) {
      const pdb = await open(withProc({ badEnd }));
      expect((await pdb.lookup(0x1210))?.levels[0]?.name).toBe('other_fn');
      expect((await pdb.lookup(0x1168))?.levels.map((l) => l.name)).toEqual(['shop::tax', 'process']);
    }
  });

  it('a procedure whose scope never closes makes its module unreadable, with a warning', async () => {
    const unclosed = cvRecord(S_GPROC32, (w) => {
      for (let i = 0; i < 7; i++) w.u32(0);
      w.u32(0x300);
      w.u16(1);
      w.u8(0);
      w.u8(0);
    });
    const pdb = await open(withProc({}, { rawSymbols: unclosed }));
    expect(await pdb.lookup(0x1100)).toBeNull();
    expect(pdb.warnings[0]?.message).toMatch(/^bad\.pdb: module 1 symbols: the scope opened at \d+ is never closed \(looking up RVA 0x1100\)$/);
    // Other modules are untouched.
    expect((await pdb.lookup(0x1210))?.levels[0]?.name).toBe('other_fn');
  });

  it('a record with an impossible length is damage', async () => {
    const zero = new Uint8Array([0, 0, 0x06, 0x00]);
    const pdb = await open(withProc({}, { rawSymbols: zero }));
    expect(await pdb.lookup(0x1100)).toBeNull();
    expect(pdb.warnings[0]).toMatchObject({ kind: 'symbols-partial', message: expect.stringMatching(/runs past its end/) });
  });

  it('nesting deeper than the bound stops with a warning, not a stack overflow', async () => {
    const deep = new Uint8Array(
      Array.from({ length: 400 }, () => [
        ...cvRecord(S_BLOCK32, (w) => {
          w.u32(0);
          w.u32(0);
          w.u32(4);
          w.u32(0x100);
          w.u16(1);
          w.u8(0);
        }),
      ]).flat(),
    );
    const pdb = await open(withProc({ badEnd: 0, rawBody: deep }));
    expect(await pdb.lookup(0x1100)).toBeNull();
    expect(pdb.warnings[0]?.message).toMatch(/nested deeper than 256/);
  });

  it('inline sites with bad annotations or a pEnd outside their parent make the lookup null', async () => {
    const spec = withProc({ inlines: [{ callee: 'helper', startLine: 5, ranges: [], annotations: new Uint8Array([0x0f, 0x01]) }] });
    const pdb = await open(spec);
    expect(await pdb.lookup(0x1120)).toBeNull();
    expect(pdb.warnings[0]?.message).toMatch(/unknown opcode 15/);

    const escaping = await open(withProc({ inlines: [{ callee: 'helper', startLine: 5, ranges: [{ start: 0x20, length: 4, line: 6 }], badEnd: 0xfff0 }] }));
    expect(await escaping.lookup(0x1120)).toBeNull();
    expect(escaping.warnings[0]?.message).toMatch(/outside its parent/);
  });

  it('a module claiming more symbol bytes than its stream has is damage', async () => {
    const pdb = await open(withProc({}, { symbolBytes: 0x7fffffff }));
    expect(await pdb.lookup(0x1100)).toBeNull();
    expect(pdb.warnings[0]?.message).toMatch(/do not fit its \d+-byte stream/);
  });

  it('a lookup that would read more than its budget gives up with a warning', async () => {
    const spec = samplePdbSpec();
    spec.modules[1]!.procs![0]!.locals = 5000;
    const pdb = await open({ ...spec, layout: { blockSize: 512 } }, { maxHeldBytes: 1 << 20, maxBytesPerLookup: 16 * 1024 });
    expect(await pdb.lookup(0x1100)).toBeNull();
    expect(pdb.warnings[0]?.message).toMatch(/would read more than 16384 bytes/);
  });

  it('keeps at most 100 warnings, each once', async () => {
    const pdb = await open(withProc({}, { symbolBytes: 0x7fffffff }));
    for (let i = 0; i < 300; i++) await pdb.lookup(0x1100 + (i % 0x60));
    expect(pdb.warnings.length).toBeLessThanOrEqual(100);
    expect(new Set(pdb.warnings.map((w) => w.message)).size).toBe(pdb.warnings.length);
  });
});

describe('cut-short and garbled files', () => {
  const good = buildPdb({ ...samplePdbSpec(), layout: { blockSize: 512, scatter: true } });

  it('never throws from a lookup, never names what the file does not, at any length', async () => {
    for (let len = 0; len < good.length; len += len < 4096 ? 61 : 509) {
      const bytes = good.subarray(0, len);
      let pdb: SymbolFile;
      try {
        pdb = await openPdb(new Uint8ArraySource(bytes, 'bad.pdb'));
      } catch (err) {
        expect(err).toBeInstanceOf(PdbError);
        expect((err as PdbError).message).toMatch(/^bad\.pdb: [^\n]+$/);
        continue;
      }
      await probe(pdb);
    }
  });

  it('survives seeded random corruption', async () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let opened = 0;
    for (let c = 0; c < 400; c++) {
      const bytes = good.slice();
      const flips = 1 + rand(8);
      for (let k = 0; k < flips; k++) {
        const at = rand(bytes.length);
        bytes[at] = rand(4) === 0 ? 0xff : rand(256);
      }
      let pdb: SymbolFile;
      try {
        pdb = await openPdb(new Uint8ArraySource(bytes, 'bad.pdb'));
      } catch (err) {
        expect(err).toBeInstanceOf(PdbError);
        continue;
      }
      opened++;
      await probe(pdb, flips);
    }
    expect(opened).toBeGreaterThan(100);
  });
});
