import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { openPdb } from '../../../src/engine/pdb/open-pdb.ts';
import type { SymbolLookup } from '../../../src/engine/symbols/symbol-file.ts';
import { buildPdb, type PdbSpec } from '../../synth/pdb-builder.ts';
import { samplePdbSpec } from '../../synth/pdb-samples.ts';

function open(spec: PdbSpec, name = 'app.pdb') {
  return openPdb(new Uint8ArraySource(buildPdb(spec), name));
}

/** name@file:line, innermost first; "public name" for a public fallback. */
function show(r: SymbolLookup | null): string[] | string | null {
  if (r === null) return null;
  if (r.from === 'public') return `public ${r.levels.map((l) => l.name).join(' ')}`;
  return r.levels.map((l) => `${l.inlined ? '~' : ''}${l.name}@${l.source ? `${l.source.file.replace(/^C:\\src\\/, '')}:${l.source.line}` : '-'}`);
}

describe('openPdb identity', () => {
  it('spells the debug id from the GUID and the DBI age, the file name as given', async () => {
    const pdb = await open({ ...samplePdbSpec(), age: 3, dbiAge: 0x1f }, 'C:\\out\\app.pdb');
    expect(pdb.format).toBe('pdb');
    expect(pdb.name).toBe('C:\\out\\app.pdb');
    expect(pdb.identity).toEqual({ debugFile: 'app.pdb', debugId: '5A9832E5287241C1838ED98914E9B7FF1F' });
  });

  it('falls back to the info stream age when the DBI has none', async () => {
    const pdb = await open({ ...samplePdbSpec(), age: 3, dbiAge: 0 }, 'dir/app.pdb');
    expect(pdb.identity).toEqual({ debugFile: 'app.pdb', debugId: '5A9832E5287241C1838ED98914E9B7FF3' });
  });
});

describe('lookup', () => {
  it('names a procedure and its line, the byte given', async () => {
    const pdb = await open(samplePdbSpec());
    expect(show(await pdb.lookup(0x1100))).toEqual(['main@app.c:10']);
    expect(show(await pdb.lookup(0x110f))).toEqual(['main@app.c:10']);
    expect(show(await pdb.lookup(0x1110))).toEqual(['main@app.c:11']);
    expect(show(await pdb.lookup(0x115f))).toEqual(['main@app.c:14']);
    expect(show(await pdb.lookup(0x1200))).toEqual(['other_fn@other.c:3']);
    expect(show(await pdb.lookup(0x122f))).toEqual(['other_fn@other.c:4']);
    const r = await pdb.lookup(0x1110);
    expect(r?.levels[0]).toEqual({ name: 'main', startRva: 0x1100, inlined: false, source: { file: 'C:\\src\\app.c', line: 11 } });
    expect(pdb.warnings).toEqual([]);
  });

  it('gives inline levels innermost first, each at its own line', async () => {
    const pdb = await open(samplePdbSpec());
    // 0x1122: put (member, qualified by its class) inlined into helper, inlined into main.
    expect(show(await pdb.lookup(0x1122))).toEqual(['~shop::Ledger::put@util.h:21', '~helper@util.h:6', 'main@app.c:12']);
    expect(show(await pdb.lookup(0x1126))).toEqual(['~helper@util.h:6', 'main@app.c:12']);
    // helper's second range, then a gap, then its second inlined call.
    expect(show(await pdb.lookup(0x1130))).toEqual(['~helper@util.h:7', 'main@app.c:12']);
    expect(show(await pdb.lookup(0x1138))).toEqual(['main@app.c:12']);
    expect(show(await pdb.lookup(0x1144))).toEqual(['~helper@util.h:8', 'main@app.c:13']);
    const r = await pdb.lookup(0x1122);
    expect(r?.levels.map((l) => [l.startRva, l.inlined])).toEqual([
      [0x1122, true],
      [0x1120, true],
      [0x1100, false],
    ]);
  });

  it('finds inline sites inside an S_BLOCK32 and namespace-qualified function ids', async () => {
    const pdb = await open(samplePdbSpec());
    expect(show(await pdb.lookup(0x1168))).toEqual(['~shop::tax@app.c:41', 'process@app.c:31']);
    expect(show(await pdb.lookup(0x1178))).toEqual(['process@app.c:31']);
  });

  it('reads S_GPROC32_ID closed by S_PROC_ID_END, S_INLINESITE2 and thunks', async () => {
    const spec: PdbSpec = {
      sections: [{ name: '.text', rva: 0x1000, size: 0x1000 }],
      modules: [
        {
          name: 'ids.obj',
          files: ['ids.c'],
          procs: [
            { name: 'first', kind: 'gproc-id', section: 1, offset: 0, size: 0x20, lines: [{ offset: 0, line: 1 }], inlines: [{ callee: 'in2', startLine: 50, site2: true, ranges: [{ start: 4, length: 4, line: 52 }] }] },
            { name: 'jump_thunk', kind: 'thunk', section: 1, offset: 0x20, size: 6 },
            { name: 'second', kind: 'lproc-id', section: 1, offset: 0x30, size: 0x10, lines: [{ offset: 0, line: 9 }] },
          ],
        },
      ],
    };
    const pdb = await open(spec);
    expect(show(await pdb.lookup(0x1004))).toEqual(['~in2@ids.c:52', 'first@ids.c:1']);
    expect(show(await pdb.lookup(0x1025))).toEqual(['jump_thunk@-']);
    expect(show(await pdb.lookup(0x1026))).toBeNull();
    expect(show(await pdb.lookup(0x1031))).toEqual(['second@ids.c:9']);
    expect(pdb.warnings).toEqual([]);
  });

  it('falls back to the nearest public in the same section where no procedure covers the address', async () => {
    const pdb = await open(samplePdbSpec());
    // crt.o has no symbol stream.
    expect(show(await pdb.lookup(0x1000))).toBe('public mainCRTStartup');
    expect(show(await pdb.lookup(0x1090))).toBe('public __crt_helper');
    const r = await pdb.lookup(0x1090);
    expect(r).toEqual({ from: 'public', levels: [{ name: '__crt_helper', startRva: 0x1080, inlined: false, source: null }] });
    // Past other_fn, in no contribution: still the nearest public before it.
    expect(show(await pdb.lookup(0x1250))).toBe('public other_fn');
    // .rdata: the data public; before it in .rdata, nothing (a .text public is not used).
    expect(show(await pdb.lookup(0x4020))).toBe('public g_table');
    expect(await pdb.lookup(0x4008)).toBeNull();
  });

  it('names a stripped PDB (no module symbols) from publics only', async () => {
    const spec = samplePdbSpec();
    spec.modules = spec.modules.map((m) => ({ ...m, procs: [], contributions: m.contributions ?? (m.procs ?? []).map((p) => ({ section: p.section, offset: p.offset, size: p.size })), noSymbols: true }));
    const pdb = await open(spec);
    expect(show(await pdb.lookup(0x1122))).toBe('public main');
    expect(show(await pdb.lookup(0x1210))).toBe('public other_fn');
  });

  it('gives null outside every section and for impossible RVAs', async () => {
    const pdb = await open(samplePdbSpec());
    expect(await pdb.lookup(0x10)).toBeNull();
    expect(await pdb.lookup(0x9000)).toBeNull();
    expect(await pdb.lookup(-1)).toBeNull();
    expect(await pdb.lookup(0x1_0000_0000)).toBeNull();
    expect(await pdb.lookup(1.5)).toBeNull();
    expect(pdb.warnings).toEqual([]);
  });

  it('without publics, an address no procedure covers is unnamed', async () => {
    const pdb = await open({ ...samplePdbSpec(), omit: { publics: true } });
    expect(await pdb.lookup(0x1000)).toBeNull();
    expect(show(await pdb.lookup(0x1100))).toEqual(['main@app.c:10']);
  });

  it('finds records without the type index offsets, by walking from the first', async () => {
    const pdb = await open({ ...samplePdbSpec(), omit: { typeIndexOffsets: true }, fillerTypes: 500 });
    expect(show(await pdb.lookup(0x1122))).toEqual(['~shop::Ledger::put@util.h:21', '~helper@util.h:6', 'main@app.c:12']);
  });

  it('reads streams scattered over the file and small blocks', async () => {
    for (const layout of [{ scatter: true }, { blockSize: 512, scatter: true }, { blockSize: 1024 }]) {
      const pdb = await open({ ...samplePdbSpec(), fillerTypes: 300, layout });
      expect(show(await pdb.lookup(0x1122))).toEqual(['~shop::Ledger::put@util.h:21', '~helper@util.h:6', 'main@app.c:12']);
      expect(show(await pdb.lookup(0x1090))).toBe('public __crt_helper');
    }
  });

  it('answers concurrent lookups as it answers them one by one', async () => {
    const pdb = await open(samplePdbSpec());
    const rvas = [0x1122, 0x1000, 0x1210, 0x1168, 0x4020, 0x10, 0x1144];
    const together = await Promise.all(rvas.map((r) => pdb.lookup(r)));
    const fresh = await open(samplePdbSpec());
    const alone: Array<SymbolLookup | null> = [];
    for (const r of rvas) alone.push(await fresh.lookup(r));
    expect(together).toEqual(alone);
  });

  it('declines to name anything in an image rearranged after linking (OMAP)', async () => {
    const pdb = await open({ ...samplePdbSpec(), omap: true });
    expect(await pdb.lookup(0x1100)).toBeNull();
    expect(pdb.warnings).toEqual([{ kind: 'symbols-partial', message: expect.stringMatching(/^app\.pdb: .*OMAP/) }]);
  });

  it('without "/names", a lookup that needs a file name is null with a warning', async () => {
    const pdb = await open({ ...samplePdbSpec(), omit: { names: true } });
    expect(await pdb.lookup(0x1100)).toBeNull();
    expect(show(await pdb.lookup(0x1000))).toBe('public mainCRTStartup');
    expect(pdb.warnings).toEqual([{ kind: 'symbols-partial', message: expect.stringMatching(/^app\.pdb: .*string table.*\(looking up RVA 0x1100\)$/) }]);
  });

  it('without section headers the file is refused', async () => {
    await expect(open({ ...samplePdbSpec(), omit: { sectionHeaders: true } })).rejects.toMatchObject({ kind: 'corrupt', message: expect.stringMatching(/^app\.pdb: no section headers/) });
  });
});
