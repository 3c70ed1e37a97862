// The hostile generators build what they say, checked on the bytes (not through the engine,
// whose behaviour on them is what test/robustness/hostile-shapes.test.ts is about): aliases
// share one RVA, export bombs have the counts and the one string, every line shape starts as
// its reader expects.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readU16, readU32, readU64 } from '../byte-writer.ts';
import { StreamType } from '../minidump-format.ts';
import { HOSTILE_SHAPES } from './catalog.ts';
import { BIDI_CONTROLS, sharedNameHandles } from './dump-strings.ts';
import { exportBombImage } from './export-bomb-image.ts';
import { HOSTILE_UNITS, LINE_SHAPES, longLine, longLineText, MAX_LINE } from './line-shapes.ts';
import { bigStack, dottedSymbolFrames, moduleRows, pdbPathRows } from './text-bombs.ts';
import { threadBombDump } from './thread-bomb.ts';
import { walkBombDump, walkBombImages } from './walk-bomb.ts';

function streams(bytes: Uint8Array): { type: number; size: number; rva: number }[] {
  const count = readU32(bytes, 8);
  const dir = readU32(bytes, 12);
  return Array.from({ length: count }, (_, i) => ({ type: readU32(bytes, dir + 12 * i), size: readU32(bytes, dir + 12 * i + 4), rva: readU32(bytes, dir + 12 * i + 8) }));
}

function stream(bytes: Uint8Array, type: number): { size: number; rva: number } {
  const s = streams(bytes).filter((x) => x.type === type);
  expect(s, `streams of type ${type}`).toHaveLength(1);
  return s[0]!;
}

function memoryList(bytes: Uint8Array): { address: bigint; size: number; rva: number }[] {
  const { rva } = stream(bytes, StreamType.MemoryList);
  return Array.from({ length: readU32(bytes, rva) }, (_, i) => {
    const at = rva + 4 + 16 * i;
    return { address: readU64(bytes, at), size: readU32(bytes, at + 8), rva: readU32(bytes, at + 12) };
  });
}

describe('export-bomb image', () => {
  it('has N functions and N names, all naming one string, all functions forwarders', () => {
    const img = exportBombImage({ functions: 300, nameLength: 40 });
    const m = img.mapped;
    const dir = img.exportDirRva;
    expect(readU32(m, 0x3c)).toBeGreaterThan(0);
    expect([readU32(m, dir + 20), readU32(m, dir + 24)]).toEqual([300, 300]);
    const [functions, names, ordinals] = [readU32(m, dir + 28), readU32(m, dir + 32), readU32(m, dir + 36)];
    const nameRvas = new Set(Array.from({ length: 300 }, (_, i) => readU32(m, names + 4 * i)));
    expect(nameRvas.size).toBe(1);
    const nameRva = [...nameRvas][0]!;
    expect(new TextDecoder().decode(m.subarray(nameRva, nameRva + 41))).toBe(`${'A'.repeat(40)}\0`);
    for (let i = 0; i < 300; i++) {
      const f = readU32(m, functions + 4 * i);
      expect(f >= dir && f < dir + img.exportDirSize).toBe(true);
      expect(readU16(m, ordinals + 2 * i)).toBe(i);
    }
    // The file layout holds the same directory at its raw offset.
    expect(img.file.length).toBeGreaterThan(img.exportDirSize);
  });

  it('can name every function distinctly, in sorted order', () => {
    const img = exportBombImage({ functions: 50, nameLength: 12, distinctNames: true, forwarders: false });
    const m = img.mapped;
    const names = readU32(m, img.exportDirRva + 32);
    const texts = Array.from({ length: 50 }, (_, i) => {
      const rva = readU32(m, names + 4 * i);
      return new TextDecoder().decode(m.subarray(rva, rva + 12));
    });
    expect(new Set(texts).size).toBe(50);
    expect([...texts].sort()).toEqual(texts);
  });
});

describe('walk bomb (F1)', () => {
  it('aliases every module to one copy of the image and chains frames through them', () => {
    const bytes = walkBombDump({ modules: 6, functions: 64, nameLength: 16 });
    const mem = memoryList(bytes);
    const images = mem.filter((r) => r.address >= 0x10000000n);
    expect(images).toHaveLength(6);
    expect(new Set(images.map((r) => r.rva)).size).toBe(1);
    // The one copy sits inside the retyped (unused) blob stream.
    const blob = streams(bytes).find((s) => s.type === StreamType.Unused && s.size > 0)!;
    expect(images[0]!.rva).toBeGreaterThanOrEqual(blob.rva);
    expect(images[0]!.rva + images[0]!.size).toBeLessThanOrEqual(blob.rva + blob.size);
    // The thread's Stack descriptor and the memory list agree on where the stack is.
    const threads = stream(bytes, StreamType.ThreadList);
    const stackAt = readU64(bytes, threads.rva + 4 + 24);
    const stack = mem.find((r) => r.address === stackAt)!;
    expect(readU32(bytes, threads.rva + 4 + 36)).toBe(stack.rva);
    // Frame k returns into module k+1, just after a call.
    const ret = readU32(bytes, stack.rva + 4);
    expect(ret).toBe(0x10100000 + 0x1007);
    expect(readU32(bytes, stack.rva)).toBe(Number(stackAt) + 8);
  });

  it('--images: modules all named evil.dll, of the image file\'s size', () => {
    const w = walkBombImages({ modules: 5, functions: 64, nameLength: 16 });
    expect(w.image.name).toBe('evil.dll');
    const ml = stream(w.dump, StreamType.ModuleList);
    expect(readU32(w.dump, ml.rva)).toBe(5);
    const sizeOfImage = readU32(w.image.bytes, readU32(w.image.bytes, 0x3c) + 24 + 56);
    for (let i = 0; i < 5; i++) expect(readU32(w.dump, ml.rva + 4 + 108 * i + 8)).toBe(sizeOfImage);
  });
});

describe('thread bomb (F2)', () => {
  it('gives each thread its own alias of the one image', () => {
    const bytes = threadBombDump({ threads: 7, functions: 64, nameLength: 16 });
    const mem = memoryList(bytes);
    expect(mem).toHaveLength(7);
    expect(new Set(mem.map((r) => r.rva)).size).toBe(1);
    expect(new Set(mem.map((r) => r.address)).size).toBe(7);
    expect(readU32(bytes, stream(bytes, StreamType.ThreadList).rva)).toBe(7);
  });
});

describe('shared handle names (F6)', () => {
  it('points every type and object name at one string', () => {
    const bytes = sharedNameHandles({ handles: 50, nameBytes: 1000 });
    const h = stream(bytes, StreamType.HandleData);
    expect([readU32(bytes, h.rva), readU32(bytes, h.rva + 4), readU32(bytes, h.rva + 8)]).toEqual([16, 40, 50]);
    const rvas = new Set<number>();
    for (let i = 0; i < 50; i++) {
      rvas.add(readU32(bytes, h.rva + 16 + 40 * i + 8));
      rvas.add(readU32(bytes, h.rva + 16 + 40 * i + 12));
    }
    expect(rvas.size).toBe(1);
    expect(readU32(bytes, [...rvas][0]!)).toBe(1000);
  });
});

/** Every file under src/engine, by base name: the line readers named by the shapes must exist. */
function engineFiles(dir = 'src/engine', out = new Set<string>()): Set<string> {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) engineFiles(p, out);
    else out.add(n);
  }
  return out;
}

describe('line shapes (F3)', () => {
  it('have unique ids and name a reader file that exists', () => {
    expect(new Set(LINE_SHAPES.map((s) => s.id)).size).toBe(LINE_SHAPES.length);
    const files = engineFiles();
    for (const s of LINE_SHAPES) expect(files.has(s.reader.split(':')[0]!), `${s.id}: ${s.reader}`).toBe(true);
  });

  it('make lines of the length asked for, starting with the prefix, with any unit', () => {
    for (const s of LINE_SHAPES) {
      const line = longLine(s);
      expect(line.startsWith(s.prefix), s.id).toBe(true);
      expect(line.length, s.id).toBeLessThanOrEqual(MAX_LINE);
      expect(line.length, s.id).toBeGreaterThan(MAX_LINE - 64);
      for (const unit of HOSTILE_UNITS) expect(longLine(s, { unit, length: 1000 }).length).toBeLessThanOrEqual(1000);
      const text = longLineText(s, { lines: 3, length: 500 });
      expect(text.split('\n').length).toBe(s.context.length + 3 + 1);
    }
  });

  it('cover the probe\'s three recipes', () => {
    expect(LINE_SHAPES.filter((s) => s.finding === 'F3').map((s) => s.id).sort()).toEqual(['dump-type', 'event-line', 'os-line']);
  });
});

describe('text bombs (F4, F5)', () => {
  it('are the probe\'s shapes', () => {
    const pdb = pdbPathRows({ rows: 3 }).split('\n');
    expect(pdb.slice(0, 2)).toEqual(['0:000> lm', 'start    end        module name']);
    expect(pdb[2]!.endsWith('.pdb')).toBe(true);
    expect(pdb[2]!.length).toBe(40 + 65_000);
    expect(dottedSymbolFrames({ frames: 2 }).split('\n').filter((l) => l.includes('mod!a.a.a'))).toHaveLength(2);
    expect(bigStack({ frames: 10 }).split('\n')).toHaveLength(3 + 10 + 1);
    expect(moduleRows({ rows: 10 }).split('\n')[2]).toBe('00010000 00011000   m0   (deferred)');
  });
});

describe('the catalog', () => {
  it('covers F1–F7 and builds every shape at its small size', () => {
    expect(new Set(HOSTILE_SHAPES.map((s) => s.finding))).toEqual(new Set(['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7']));
    for (const s of HOSTILE_SHAPES) {
      const input = s.build(s.small);
      expect(input.bytes.length, s.id).toBeGreaterThan(0);
    }
  });

  it('draws random parameters every shape can build from', () => {
    let state = 7;
    const next = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const d = {
      int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
      // Rarely the full-size branches: this checks the parameters fit together, not the engine.
      chance: (p: number) => next() < p / 10,
      pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
      size: (max: number) => Math.max(1, Math.min(max, Math.floor(next() * 64))),
    };
    for (const s of HOSTILE_SHAPES) for (let i = 0; i < 3; i++) expect(s.build(s.random(d)).bytes.length, s.id).toBeGreaterThan(0);
  });

  it('puts bidi controls in the bidi dump', () => {
    const bidi = HOSTILE_SHAPES.find((s) => s.id === 'bidi-strings')!.build({ extraModules: 0 });
    const text = new TextDecoder('utf-16le').decode(bidi.bytes);
    for (const c of BIDI_CONTROLS) expect(text.includes(c), `U+${c.charCodeAt(0).toString(16)}`).toBe(true);
  });
});
