// A real product's .sym is hundreds of megabytes: the reader must answer a lookup by probing,
// not by reading. A ~5 MB file generated here stands in for one (the fraction read shrinks as
// the file grows: the probes grow with log2 of its size), and every answer is checked against
// what the generator wrote.
import { describe, expect, it } from 'vitest';
import { openBreakpadSym } from '../../../src/engine/breakpad-sym/open-breakpad-sym.ts';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { RecordingSource } from '../../synth/recording-source.ts';
import { expectedName, generateSym, random } from './generate-sym.ts';

const sorted = generateSym({ functions: 10000, seed: 7 });
const shuffled = generateSym({ functions: 4000, seed: 9, shuffle: true });

function sampleRvas(sym: ReturnType<typeof generateSym>, count: number, seed: number): number[] {
  const rand = random(seed);
  const last = sym.functions[sym.functions.length - 1]!;
  const top = last.address + last.size + 0x80;
  return Array.from({ length: count }, () => Math.floor(rand() * top));
}

describe('a 5 MB generated .sym, sorted as dump_syms writes it', () => {
  it('is the size the test means', () => {
    expect(sorted.bytes.length).toBeGreaterThan(4_500_000);
    expect(sorted.bytes.length).toBeLessThan(7_000_000);
  });

  it('opening reads the MODULE and INFO lines only', async () => {
    const source = new RecordingSource(new Uint8ArraySource(sorted.bytes, 'generated.sym'));
    const sym = await openBreakpadSym(source);
    expect(sym.identity).toEqual({ debugFile: 'generated.so', debugId: '0123456789ABCDEF0123456789ABCDEF0' });
    expect(sym.module.codeId).toBe('89674523CDAB1032');
    expect(source.bytesRead).toBeLessThanOrEqual(4096);
  });

  it('the first lookup reads < 6 % of the file, later ones < 0.5 % on average, and all are right', async () => {
    const source = new RecordingSource(new Uint8ArraySource(sorted.bytes, 'generated.sym'));
    const sym = await openBreakpadSym(source);
    const rvas = sampleRvas(sorted, 200, 3);
    const first = await sym.lookup(rvas[0]!);
    const afterFirst = source.bytesRead;
    expect(afterFirst / sorted.bytes.length).toBeLessThan(0.06);
    check(first, expectedName(sorted, rvas[0]!));

    const perLookup: number[] = [];
    for (const rva of rvas.slice(1)) {
      const before = source.bytesRead;
      check(await sym.lookup(rva), expectedName(sorted, rva));
      perLookup.push(source.bytesRead - before);
    }
    const worst = Math.max(...perLookup);
    const mean = perLookup.reduce((a, b) => a + b, 0) / perLookup.length;
    expect(mean / sorted.bytes.length).toBeLessThan(0.005);
    expect(worst / sorted.bytes.length).toBeLessThan(0.015);
    // Figures for the report (bytes read per lookup once the top of the search is cached).
    console.log(
      `generated.sym ${sorted.bytes.length} bytes: first lookup ${afterFirst} bytes, later lookups mean ${Math.round(mean)}, worst ${worst}; ` +
        `200 lookups read ${source.bytesRead} bytes (${((100 * source.bytesRead) / sorted.bytes.length).toFixed(1)} %)`,
    );
    expect(sym.warnings).toEqual([]);
  });

  it('finds inline frames, FILE names by id, and CFI rules with the deltas applied', async () => {
    const sym = await openBreakpadSym(new Uint8ArraySource(sorted.bytes, 'generated.sym'));
    const func = sorted.functions[3000]!; // 3000 % 3 === 0: has an inline
    const [start, , origin, callLine, callFile] = func.inline!;
    const result = await sym.lookup(start + 2);
    expect(result?.levels.map((l) => l.name)).toEqual([sorted.origins[origin], func.name]);
    expect(result?.levels[1]?.source).toEqual({ file: sorted.files[callFile], line: callLine });
    const line = func.lines.find(([a, s]) => start + 2 >= a && start + 2 < a + s)!;
    expect(result?.levels[0]?.source).toEqual({ file: sorted.files[line[3]], line: line[2] });

    expect(await sym.cfiRules(func.address)).toEqual(new Map([['.cfa', '$rsp 8 +'], ['.ra', '.cfa -8 + ^']]));
    expect(await sym.cfiRules(func.address + 2)).toEqual(
      new Map([['.cfa', '$rsp 16 +'], ['.ra', '.cfa -8 + ^'], ['$rbp', '.cfa -16 + ^']]),
    );
    expect(await sym.cfiRules(func.address + 8)).toEqual(
      new Map([['.cfa', '$rbp 16 +'], ['.ra', '.cfa -8 + ^'], ['$rbp', '.cfa -16 + ^']]),
    );
    expect(await sym.cfiRules(func.address + func.size)).toBeNull(); // in the gap after it
    expect(await sym.x86FrameInfo(func.address)).toBeNull(); // an x86_64 module
  });
});

describe('the same kind of file, out of order', () => {
  it('falls back to one pass building an index, then answers right', async () => {
    const source = new RecordingSource(new Uint8ArraySource(shuffled.bytes, 'shuffled.sym'));
    const sym = await openBreakpadSym(source);
    for (const rva of sampleRvas(shuffled, 300, 5)) check(await sym.lookup(rva), expectedName(shuffled, rva));
    // One pass over the FUNC/PUBLIC region, plus the probes: about the file once, not per lookup.
    expect(source.bytesRead).toBeLessThan(shuffled.bytes.length * 1.5);
    expect(sym.warnings).toEqual([]);
  });

  it('with too little memory for the index: a warning, and no name it cannot stand behind', async () => {
    const sym = await openBreakpadSym(new Uint8ArraySource(shuffled.bytes, 'shuffled.sym'), { maxHeldBytes: 300_000 });
    let named = 0;
    for (const rva of sampleRvas(shuffled, 200, 11)) {
      const got = await sym.lookup(rva);
      if (got === null) continue;
      named++;
      check(got, expectedName(shuffled, rva));
    }
    expect(named).toBeGreaterThan(0);
    expect(sym.warnings.some((w) => w.kind === 'symbols-partial' && w.message.includes('not sorted and too many to index'))).toBe(true);
  });
});

describe('the per-lookup read limit', () => {
  it('a lookup that would read more gives up with a warning instead of an answer', async () => {
    const sym = await openBreakpadSym(new Uint8ArraySource(sorted.bytes, 'generated.sym'), { maxBytesPerLookup: 2048 });
    const func = sorted.functions[4000]!;
    expect(await sym.lookup(func.address)).toBeNull();
    expect(sym.warnings[0]).toEqual({ kind: 'symbols-partial', message: expect.stringContaining('gave up after reading 2048 bytes') });
  });
});

function check(got: Awaited<ReturnType<Awaited<ReturnType<typeof openBreakpadSym>>['lookup']>>, want: ReturnType<typeof expectedName>): void {
  if (want === null) {
    expect(got).toBeNull();
    return;
  }
  expect(got).not.toBeNull();
  const outer = got!.levels[got!.levels.length - 1]!;
  expect(outer.name).toBe(want.name);
  expect(got!.from).toBe(want.from);
  if (got!.levels.length === 1) {
    expect(outer.source).toEqual(want.file === null ? null : { file: want.file, line: want.line });
  } else {
    expect(got!.levels[0]!.source).toEqual(want.file === null ? null : { file: want.file, line: want.line });
  }
}
