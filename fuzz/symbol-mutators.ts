// Mutators for symbol files: a seed pairs a dump with its images and symbol files (a PDB, Breakpad
// .sym files) and a case damages one symbol file and keeps the dump, so the mutant goes through
// matching, naming and the frame-data walk of a real analysis. PDB mutators aim at the MSF
// structures (superblock fields, the stream directory, its block map) and at stream contents;
// .sym mutators work on records (cut, doubled, reordered, huge numbers, endless lines).
import type { Rng } from './rng.ts';
import type { Mutator } from './mutators.ts';
import { putU32 } from './mutators.ts';

export interface SymbolInput {
  bytes: Uint8Array;
}

const INTERESTING = [0, 1, 0x200, 0x1000, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff];

function u32(bytes: Uint8Array, at: number): number {
  return at + 4 <= bytes.length ? new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true) : 0;
}

/** The MSF block size, directory size and block-map block of a PDB, when its superblock reads. */
function msf(bytes: Uint8Array): { blockSize: number; directoryBytes: number; mapBlock: number } | null {
  const blockSize = u32(bytes, 32);
  if (![512, 1024, 2048, 4096, 8192, 16384, 32768].includes(blockSize)) return null;
  return { blockSize, directoryBytes: u32(bytes, 44), mapBlock: u32(bytes, 52) };
}

export const PDB_MUTATORS: Mutator<SymbolInput>[] = [
  {
    name: 'pdb-superblock-field',
    weight: 3,
    apply(input, rng) {
      const field = rng.pick([['block size', 32], ['free block map', 36], ['block count', 40], ['directory bytes', 44], ['block map block', 52]] as const);
      const value = rng.pick(INTERESTING);
      putU32(input.bytes, field[1], value);
      return `${field[0]} = 0x${value.toString(16)}`;
    },
  },
  {
    name: 'pdb-directory-entry',
    weight: 4,
    apply(input, rng) {
      const m = msf(input.bytes);
      if (!m) return 'no superblock to aim at';
      // The block map names the directory's blocks; the directory holds stream sizes and blocks.
      const dirBlock = u32(input.bytes, m.mapBlock * m.blockSize);
      const at = dirBlock * m.blockSize + 4 * rng.int(0, Math.max(0, Math.floor(m.directoryBytes / 4) - 1));
      if (at + 4 > input.bytes.length) return 'directory outside the file';
      const value = rng.chance(0.5) ? rng.pick(INTERESTING) : rng.int(0, 0xffffffff);
      putU32(input.bytes, at, value);
      return `directory word at ${at} = 0x${value.toString(16)}`;
    },
  },
  {
    name: 'pdb-block-cut',
    weight: 2,
    apply(input, rng) {
      const m = msf(input.bytes);
      const block = m?.blockSize ?? 4096;
      const blocks = Math.max(1, Math.floor(input.bytes.length / block));
      const keep = rng.int(0, blocks - 1) * block;
      input.bytes = input.bytes.slice(0, keep);
      return `cut to ${keep} bytes (a block boundary)`;
    },
  },
  {
    name: 'pdb-stream-bytes',
    weight: 4,
    apply(input, rng) {
      const n = 1 + rng.int(0, 63);
      for (let i = 0; i < n; i++) input.bytes[rng.int(0, input.bytes.length - 1)] = rng.int(0, 255);
      return `${n} bytes changed`;
    },
  },
];

function lines(bytes: Uint8Array): string[] {
  return new TextDecoder().decode(bytes).split('\n');
}

function encode(ls: string[]): Uint8Array {
  return new TextEncoder().encode(ls.join('\n'));
}

export const SYM_MUTATORS: Mutator<SymbolInput>[] = [
  {
    name: 'sym-cut',
    weight: 3,
    apply(input, rng) {
      const at = rng.int(0, input.bytes.length);
      input.bytes = input.bytes.slice(0, at);
      return `cut at byte ${at}`;
    },
  },
  {
    name: 'sym-records',
    weight: 4,
    apply(input, rng) {
      const ls = lines(input.bytes);
      const what = rng.pick(['delete', 'double', 'swap', 'shuffle'] as const);
      const n = 1 + rng.int(0, 50);
      for (let i = 0; i < n; i++) {
        const a = 1 + rng.int(0, Math.max(0, ls.length - 2));
        const b = 1 + rng.int(0, Math.max(0, ls.length - 2));
        if (what === 'delete') ls.splice(a, 1);
        else if (what === 'double') ls.splice(a, 0, ls[a] ?? '');
        else [ls[a], ls[b]] = [ls[b] ?? '', ls[a] ?? ''];
      }
      input.bytes = encode(ls);
      return `${n} records: ${what}`;
    },
  },
  {
    name: 'sym-numbers',
    weight: 3,
    apply(input, rng) {
      const ls = lines(input.bytes);
      const n = 1 + rng.int(0, 30);
      for (let i = 0; i < n; i++) {
        const at = 1 + rng.int(0, Math.max(0, ls.length - 2));
        const big = rng.pick(['ffffffffffffffff', '0', '-1', '99999999999999999999', 'zz', '80000000']);
        ls[at] = (ls[at] ?? '').replace(/\b[0-9a-f]+\b/, big);
      }
      input.bytes = encode(ls);
      return `${n} numbers replaced`;
    },
  },
  {
    name: 'sym-long-line',
    weight: 1,
    apply(input, rng) {
      const ls = lines(input.bytes);
      const at = 1 + rng.int(0, Math.max(0, ls.length - 2));
      const len = rng.pick([70_000, 200_000]);
      ls.splice(at, 0, `FUNC 1000 10 0 ${'x'.repeat(len)}`);
      input.bytes = encode(ls);
      return `a ${len}-character FUNC line at line ${at}`;
    },
  },
];

/** Mutates one symbol file of a case; PDB or .sym mutators by its first bytes. */
export function mutateSymbolFile(input: SymbolInput, rng: Rng): string {
  const isPdb = input.bytes[0] === 0x4d && input.bytes[1] === 0x69; // "Mi"crosoft C/C++ MSF
  const list = isPdb ? PDB_MUTATORS : SYM_MUTATORS;
  const total = list.reduce((n, m) => n + m.weight, 0);
  let pick = rng.int(0, total - 1);
  const m = list.find((x) => (pick -= x.weight) < 0) ?? list[0]!;
  return `${m.name}: ${m.apply(input, rng, [])}`;
}
