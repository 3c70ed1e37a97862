// Every hostile shape of issue 15 as one list: what it is, which finding it reproduces, the
// parameters of the probe's full-size input and of a small one for tests, and how to draw
// random parameters for the fuzzer's --shapes mode (sizes from tiny to past the full ones, so
// the fuzzer finds where each class starts to hurt, not only the probe's points).
import { MinidumpBuilder } from '../minidump-builder.ts';
import { contextX86 } from '../context-writers.ts';
import { bidiStringsDump, sharedNameHandles } from './dump-strings.ts';
import { HOSTILE_UNITS, LINE_SEPARATOR, LINE_SHAPES, lineShape, longLineText, MAX_LINE, WIDE_SPACE } from './line-shapes.ts';
import { bigStack, dottedSymbolFrames, moduleRows, pdbPathRows } from './text-bombs.ts';
import { threadBombDump } from './thread-bomb.ts';
import { walkBombDump, walkBombImages } from './walk-bomb.ts';

/** What a shape gives the analyzer: the input file and, for --images shapes, module files. */
export interface HostileInput {
  name: string;
  bytes: Uint8Array;
  images?: { name: string; bytes: Uint8Array }[];
}

/** The random draws a shape needs (the fuzzer's Rng has them). */
export interface Draw {
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Sizes spread over orders of magnitude, up to max. */
  size(max: number): number;
}

export interface HostileShape<P extends object = Record<string, unknown>> {
  id: string;
  /** The finding of issue 15 (F1…F7) it reproduces. */
  finding: string;
  what: string;
  small: P;
  full: P;
  random(d: Draw): P;
  build(p: P): HostileInput;
}

const text = (name: string, t: string): HostileInput => ({ name, bytes: new TextEncoder().encode(t) });

/** Identity, for inference: P is what `random` draws; small and full may leave out what has a default. */
function shape<P extends object>(s: Omit<HostileShape<P>, 'small' | 'full'> & { small: Partial<P>; full: Partial<P> }): HostileShape<P> {
  return s as HostileShape<P>;
}

const exportParams = (d: Draw) => ({
  functions: d.chance(0.3) ? 65_536 : d.size(65_536),
  nameLength: d.chance(0.3) ? 1023 : d.size(2048),
  forwarders: d.chance(0.8),
  distinctNames: d.chance(0.1),
});

export const WALK_BOMB = shape({
  id: 'walk-bomb',
  finding: 'F1',
  what: 'modules aliasing one export-bomb image, an EBP chain through every one',
  small: { modules: 8, functions: 4096, nameLength: 64 },
  full: { modules: 256, functions: 65_536, nameLength: 1023 },
  random: (d) => ({ modules: d.size(512), threads: d.chance(0.2) ? d.int(2, 64) : 1, ...exportParams(d) }),
  build: (p) => ({ name: 'walk-bomb.dmp', bytes: walkBombDump(p) }),
});

export const WALK_BOMB_IMAGES = shape({
  id: 'walk-bomb-images',
  finding: 'F1',
  what: 'modules all named evil.dll, one export-bomb evil.dll given as a module file',
  small: { modules: 8, functions: 4096, nameLength: 64 },
  full: { modules: 256, functions: 65_536, nameLength: 1023 },
  random: (d) => ({ modules: d.size(512), ...exportParams(d) }),
  build: (p) => {
    const w = walkBombImages(p);
    return { name: 'walk-bomb-images.dmp', bytes: w.dump, images: [w.image] };
  },
});

export const THREAD_BOMB = shape({
  id: 'thread-bomb',
  finding: 'F2',
  what: 'threads each starting in its own alias of one export-bomb image',
  small: { threads: 16, functions: 4096, nameLength: 64 },
  full: { threads: 2000, functions: 65_536, nameLength: 1023 },
  random: (d) => ({ threads: d.size(4000), machine: d.pick(['x86', 'amd64'] as const), ...exportParams(d) }),
  build: (p) => ({ name: 'thread-bomb.dmp', bytes: threadBombDump(p) }),
});

export const LONG_LINES = shape({
  id: 'long-lines',
  finding: 'F3',
  what: 'long lines shaped for one line reader, with its own or a generic hostile unit',
  small: { shape: 'event-line', lines: 4, length: 16 * 1024, unit: null as string | null },
  // The probe's file: 64 MB of 64 Ki lines.
  full: { shape: 'event-line', lines: 1000, length: MAX_LINE, unit: null as string | null },
  // Biased to what hurts: full-length lines, a few of them (a quadratic reader then costs
  // seconds), and wide spaces, which the reader's blank cut leaves alone. At most ~40 MB.
  random: (d) => ({
    shape: d.pick(LINE_SHAPES).id as string,
    lines: d.chance(0.5) ? d.int(1, 16) : d.size(600),
    length: d.chance(0.5) ? MAX_LINE + d.int(0, 100) : d.size(MAX_LINE),
    unit: d.chance(0.4) ? null : d.chance(0.5) ? WIDE_SPACE : (d.pick(HOSTILE_UNITS) as string),
  }),
  build: (p) => {
    const s = lineShape(p.shape);
    const options = p.unit === null ? {} : { unit: p.unit, suffix: s.suffix ?? LINE_SEPARATOR };
    return text(`long-lines-${p.shape}.txt`, longLineText(s, { ...options, lines: p.lines, length: p.length }));
  },
});

export const PDB_ROWS = shape({
  id: 'pdb-rows',
  finding: 'F4',
  what: '`lm` rows whose pdb path is 65,000 characters',
  small: { rows: 2, pathLength: 65_000 },
  full: { rows: 20, pathLength: 65_000 },
  random: (d) => ({ rows: d.size(1000), pathLength: d.size(MAX_LINE) }),
  build: (p) => text('pdb-rows.txt', pdbPathRows(p)),
});

export const DOTTED_FRAMES = shape({
  id: 'dotted-frames',
  finding: 'F5',
  what: 'frames named mod!a.a.a… (the page colours them)',
  small: { frames: 1, length: 16 * 1024 },
  full: { frames: 3, length: MAX_LINE },
  random: (d) => ({ frames: d.size(64), length: d.size(MAX_LINE) }),
  build: (p) => text('dotted-frames.txt', dottedSymbolFrames(p)),
});

export const BIG_STACK = shape({
  id: 'big-stack',
  finding: 'F5',
  what: 'one stack of 65,536 frames (the page draws every row)',
  small: { frames: 4096 },
  full: { frames: 65_536 },
  random: (d) => ({ frames: d.size(200_000), modules: d.size(1000) }),
  build: (p) => text('big-stack.txt', bigStack(p)),
});

export const MODULE_ROWS = shape({
  id: 'module-rows',
  finding: 'F5',
  what: '`lm` of a million rows (the page builds every row)',
  small: { rows: 10_000 },
  full: { rows: 1_000_000 },
  random: (d) => ({ rows: d.size(1_000_000) }),
  build: (p) => text('module-rows.txt', moduleRows(p)),
});

export const SHARED_NAME_HANDLES = shape({
  id: 'shared-name-handles',
  finding: 'F6',
  what: 'handles whose type and object names are all one 64 KB string',
  small: { handles: 1200, nameBytes: 65_534 },
  full: { handles: 100_000, nameBytes: 65_534 },
  random: (d) => ({ handles: d.size(150_000), nameBytes: 2 * d.size(40_000) }),
  build: (p) => ({ name: 'shared-name-handles.dmp', bytes: sharedNameHandles(p) }),
});

export const BIDI_STRINGS = shape({
  id: 'bidi-strings',
  finding: 'F7',
  what: 'bidirectional controls and line separators in module names, comments, the thread name',
  small: { extraModules: 0 },
  full: { extraModules: 0 },
  random: (d) => ({ extraModules: d.size(5000) }),
  build: (p) => ({ name: 'bidi-strings.dmp', bytes: bidiStringsDump(p) }),
});

/** A small dump plus many module files: in memory for the engine (the CLI test writes a folder). */
export const MANY_IMAGES = shape({
  id: 'many-images',
  finding: 'F7',
  what: 'thousands of module files beside one small dump',
  small: { files: 300 },
  full: { files: 70_000 },
  random: (d) => ({ files: d.size(100_000) }),
  build: (p) => {
    const b = new MinidumpBuilder().systemInfo({ arch: 'x86', major: 10, minor: 0, build: 19041 });
    b.module({ name: 'C:\\app\\m0.dll', base: 0x400000, size: 0x10000 });
    b.thread({ id: 1, context: contextX86({ eip: 0x400010 }) });
    const mz = Uint8Array.from([0x4d, 0x5a]);
    return {
      name: 'many-images.dmp',
      bytes: b.build().bytes,
      images: Array.from({ length: p.files }, (_, i) => ({ name: `m${i}.dll`, bytes: mz })),
    };
  },
});

export const HOSTILE_SHAPES: readonly HostileShape<any>[] = [
  WALK_BOMB,
  WALK_BOMB_IMAGES,
  THREAD_BOMB,
  LONG_LINES,
  PDB_ROWS,
  DOTTED_FRAMES,
  BIG_STACK,
  MODULE_ROWS,
  SHARED_NAME_HANDLES,
  BIDI_STRINGS,
  MANY_IMAGES,
];
