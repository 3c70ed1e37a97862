// Bad .sym files: refused with a one-line error when they are not symbol files at all, and
// otherwise read for what they hold, with warnings, never a crash, a hang, or a wrong name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openBreakpadSym } from '../../../src/engine/breakpad-sym/open-breakpad-sym.ts';
import { DumpError } from '../../../src/engine/core/errors.ts';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { RecordingSource } from '../../synth/recording-source.ts';
import { random } from './generate-sym.ts';

const TEST_APP = new Uint8Array(
  readFileSync(new URL('../../../fixtures/symbols/breakpad/test_app.pdb/5A9832E5287241C1838ED98914E9B7FF1/test_app.sym', import.meta.url)),
);

function source(text: string | Uint8Array, name = 'bad.sym'): Uint8ArraySource {
  return new Uint8ArraySource(typeof text === 'string' ? new TextEncoder().encode(text) : text, name);
}

async function refusal(text: string | Uint8Array): Promise<DumpError> {
  try {
    await openBreakpadSym(source(text));
  } catch (error) {
    expect(error).toBeInstanceOf(DumpError);
    return error as DumpError;
  }
  throw new Error('opened');
}

describe('not a symbol file', () => {
  it.each([
    ['an empty file', '', 'not-a-dump', 'bad.sym is not a Breakpad symbol file: it is empty'],
    ['a PDB', 'Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0', 'not-a-dump', 'bad.sym is not a Breakpad symbol file: it does not start with a MODULE line'],
    ['a file starting with FILE', 'FILE 0 a.c\nMODULE windows x86 00 a.pdb\n', 'not-a-dump', 'bad.sym is not a Breakpad symbol file: it does not start with a MODULE line'],
    ['a blank first line', '\nMODULE windows x86 00 a.pdb\n', 'not-a-dump', 'bad.sym is not a Breakpad symbol file: it does not start with a MODULE line'],
    ['a MODULE line cut short', 'MODULE windows x86\n', 'corrupt', expect.stringContaining('fewer than the five fields')],
    ['a MODULE id that is not hex', 'MODULE windows x86 GUID test.pdb\n', 'corrupt', expect.stringContaining('is not a hexadecimal symbol-store id')],
  ])('%s', async (_, text, kind, message) => {
    const error = await refusal(text);
    expect(error.kind).toBe(kind);
    expect(error.message).toEqual(message);
    expect(error.message).not.toContain('\n');
  });

  it('a source that cannot be read', async () => {
    const failing = new RecordingSource(source(TEST_APP));
    failing.fail = true;
    await expect(openBreakpadSym(failing)).rejects.toMatchObject({ kind: 'io', message: 'bad.sym could not be read: disk on fire' });
  });

  it('a byte-order mark before MODULE is accepted', async () => {
    const sym = await openBreakpadSym(source('\ufeffMODULE windows x86 AB a.pdb\nFUNC 10 10 0 f\n'));
    expect(sym.identity).toEqual({ debugFile: 'a.pdb', debugId: 'AB' });
  });
});

describe('damaged records', () => {
  const text = [
    'MODULE windows x86 AB12 a.pdb',
    'FILE 0 a.c',
    'FILE x broken',
    'FILE 2 c.c',
    'FUNC 1000 20 0 first',
    '1000 10 10 0',
    '1010 zz 11 0', // garbage line record
    '\u0001\u0002 binary junk',
    '1010 10 12 9', // FILE 9 does not exist
    'FUNC 2000 zz 0 broken', // unusable FUNC: its lines must not be given to "first"
    '2000 10 20 0',
    'FUNC 3000 10 0 third',
    `3000 10 ${'9'.repeat(80000)} 0`, // a line far over the line limit
    'PUBLIC 2000 0 public_at_2000',
    'STACK WIN 4 1000 20 0 0 0 0 0 0 1 $T0 $ebp = $eip $T0 4 + ^ =',
    'STACK WIN 4 3000 zz',
    'STACK CFI INIT 1000 20 .cfa: $esp 4 + .ra: .cfa 4 - ^',
    'STACK CFI 1004 .cfa $esp 8 +', // no colon: refused
  ].join('\n');

  it('names what it can, skips what it cannot, and says so', async () => {
    const sym = await openBreakpadSym(source(text));
    expect(await sym.lookup(0x1004)).toEqual({ from: 'private', levels: [{ name: 'first', startRva: 0x1000, inlined: false, source: { file: 'a.c', line: 10 } }] });
    // The line record pointing at a missing FILE leaves the frame without a source.
    expect((await sym.lookup(0x1014))?.levels[0]?.source).toBeNull();
    // The broken FUNC is not used, nor are its lines given to another: the PUBLIC at its
    // address names it, as Breakpad would.
    expect(await sym.lookup(0x2004)).toEqual({ from: 'public', levels: [{ name: 'public_at_2000', startRva: 0x2000, inlined: false, source: null }] });
    expect(await sym.lookup(0x3004)).toEqual({ from: 'private', levels: [{ name: 'third', startRva: 0x3000, inlined: false, source: null }] });
    expect(await sym.x86FrameInfo(0x1004)).toMatchObject({ kind: 'framedata', program: '$T0 $ebp = $eip $T0 4 + ^ =' });
    expect(await sym.cfiRules(0x1008)).toEqual(new Map([['.cfa', '$esp 4 +'], ['.ra', '.cfa 4 - ^']]));
    const messages = sym.warnings.map((w) => w.message);
    expect(messages).toContain('bad.sym: FILE 9 is missing or malformed');
    expect(messages.some((m) => m.startsWith('bad.sym: skipped a malformed line record at byte'))).toBe(true);
    expect(messages.some((m) => m.startsWith('bad.sym: skipped a record longer than the line limit'))).toBe(true);
    expect(messages.some((m) => m.startsWith('bad.sym: skipped a malformed STACK CFI record'))).toBe(true);
    for (const w of sym.warnings) {
      expect(w.kind).toBe('symbols-partial');
      expect(w.message).not.toContain('\n');
    }
  });

  it('a file cut in the middle of a record', async () => {
    const cut = TEST_APP.slice(0, 400_000);
    const sym = await openBreakpadSym(source(cut));
    expect((await sym.lookup(0x429e))?.levels[0]?.name).toBe("`anonymous namespace'::CrashFunction");
    // Past the cut nothing names anything (test_app's FUNCs run on to 0x23bbd).
    expect(await sym.lookup(0x23b00)).toBeNull();
    expect(await sym.x86FrameInfo(0x429e)).toBeNull();
  });

  it('a read error during a lookup: null and a warning, then a retry works', async () => {
    const recording = new RecordingSource(source(TEST_APP));
    const sym = await openBreakpadSym(recording);
    recording.fail = true;
    expect(await sym.lookup(0x429e)).toBeNull();
    expect(sym.warnings).toEqual([{ kind: 'symbols-unreadable', message: 'bad.sym: naming at 0x429e failed: disk on fire' }]);
    recording.fail = false;
    expect((await sym.lookup(0x429e))?.levels[0]?.name).toBe("`anonymous namespace'::CrashFunction");
  });

  it('nonsense addresses are answered with null', async () => {
    const sym = await openBreakpadSym(source(TEST_APP));
    for (const rva of [-1, Number.NaN, 2 ** 60, 1.5]) expect(await sym.lookup(rva)).toBeNull();
  });
});

describe('the two paths agree', () => {
  it("test_app.sym with its FUNC blocks shuffled (index path) names every line's address as the file in order does (search path)", async () => {
    // Cut the file into its FUNC blocks and shuffle them: the reader must notice and index.
    const text = new TextDecoder().decode(TEST_APP);
    const lines = text.split('\n');
    const firstFunc = lines.findIndex((l) => l.startsWith('FUNC '));
    const firstStack = lines.findIndex((l) => l.startsWith('STACK '));
    const blocks: string[][] = [];
    for (const line of lines.slice(firstFunc, firstStack)) {
      if (line.startsWith('FUNC ') || line.startsWith('PUBLIC ')) blocks.push([line]);
      else blocks[blocks.length - 1]!.push(line);
    }
    const rand = random(42);
    for (let i = blocks.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [blocks[i], blocks[j]] = [blocks[j]!, blocks[i]!];
    }
    const shuffled = [...lines.slice(0, firstFunc), ...blocks.flat(), ...lines.slice(firstStack)].join('\n');
    const ordered = await openBreakpadSym(source(TEST_APP, 'test_app.sym'));
    const scrambled = await openBreakpadSym(source(shuffled, 'test_app.sym'));
    const addresses = lines.slice(firstFunc, firstStack).filter((l) => /^[0-9a-f]+ /.test(l)).map((l) => parseInt(l, 16));
    expect(addresses.length).toBeGreaterThan(12000);
    const probe = [...addresses.filter((_, i) => i % 7 === 0), 0x9b07, 0x9b08, 0x142e8, 0x21466, 0x23b06, 0x23b10, 0x50000];
    for (const rva of probe) expect([rva, await scrambled.lookup(rva)]).toEqual([rva, await ordered.lookup(rva)]);
    expect(scrambled.warnings).toEqual([]);
    expect(ordered.warnings).toEqual([]);
  });
});

describe('mutated files never crash or hang the reader, and never meet a bug of ours', () => {
  it('200 seeded mutations of test_app.sym', async () => {
    const rand = random(2024);
    const rvas = [0x429e, 0x41ff, 0x53eb, 0x9b07, 0x1000, 0x23b06, 0x15000];
    for (let round = 0; round < 200; round++) {
      const bytes = TEST_APP.slice(0, 200_000 + Math.floor(rand() * 600_000));
      const edits = 1 + Math.floor(rand() * 50);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * bytes.length);
        const what = rand();
        if (what < 0.4) bytes[at] = Math.floor(rand() * 256);
        else if (what < 0.7) bytes[at] = 0x0a;
        else bytes.fill(0x20, at, Math.min(bytes.length, at + Math.floor(rand() * 200)));
      }
      let sym;
      try {
        sym = await openBreakpadSym(source(bytes, `mutant-${round}.sym`), { maxBytesPerLookup: 256 * 1024 });
      } catch (error) {
        expect(error).toBeInstanceOf(DumpError);
        continue;
      }
      for (const rva of rvas) {
        const found = await sym.lookup(rva);
        if (found === null) continue;
        const outer = found.levels[found.levels.length - 1]!;
        expect(outer.startRva).toBeLessThanOrEqual(rva);
        expect(found.levels.length).toBeGreaterThan(0);
        await sym.x86FrameInfo(rva);
        await sym.cfiRules(rva);
      }
      expect(sym.warnings.length).toBeLessThanOrEqual(51);
      // The source never fails here: an 'unreadable' warning would be an exception of ours.
      expect(sym.warnings.filter((w) => w.kind === 'symbols-unreadable')).toEqual([]);
    }
  });
});

describe('FUNC and PUBLIC at one address', () => {
  it('the FUNC names it, whichever comes first in the file', async () => {
    for (const order of [
      ['PUBLIC 1000 0 pub', 'FUNC 1000 10 0 func', '1000 10 7 0'],
      ['FUNC 1000 10 0 func', '1000 10 7 0', 'PUBLIC 1000 0 pub'],
    ]) {
      const sym = await openBreakpadSym(source(['MODULE windows x86 AB a.pdb', 'FILE 0 a.c', 'FUNC 800 10 0 before', ...order, 'PUBLIC 2000 0 later'].join('\n')));
      expect((await sym.lookup(0x1004))?.levels).toEqual([{ name: 'func', startRva: 0x1000, inlined: false, source: { file: 'a.c', line: 7 } }]);
      // Past the FUNC's end the PUBLIC does not stand in: it is not above the FUNC's start.
      expect(await sym.lookup(0x1010)).toBeNull();
      expect((await sym.lookup(0x2004))?.levels[0]?.name).toBe('later');
      expect(await sym.lookup(0x900)).toBeNull(); // after "before" ends, below any PUBLIC
    }
  });
});
