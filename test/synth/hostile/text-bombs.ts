// WinDbg texts that are cheap to write and expensive to read or draw, from the hostile-input
// probe (issue 15): F4's `lm` rows with a 65,000-character pdb path (read after the line loop),
// and F5's texts that the page must draw: frames named `mod!a.a.a…`, one stack of 65,536 frames,
// an `lm` of a million rows. Sizes default to the probe's; tests pass smaller ones.
import { MAX_LINE } from './line-shapes.ts';

const EVENT = '(1a2c.3b4): Access violation - code c0000005 (first/second chance not available)';
const hex8 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');

export interface PdbRowsOptions {
  /** Rows of `lm`. Default 20 (the probe's small case; its large one filled 64 MB). */
  rows?: number;
  /** Length of the pdb path. Default 65,000. */
  pathLength?: number;
}

/** `lm` whose every row ends in an absurdly long pdb path (F4). */
export function pdbPathRows(options: PdbRowsOptions = {}): string {
  const rows = options.rows ?? 20;
  const pathLength = Math.min(options.pathLength ?? 65_000, MAX_LINE - 64);
  const row = `00400000 00500000   m   (pdb symbols)   ${'a'.repeat(Math.max(0, pathLength - 4))}.pdb`;
  return ['0:000> lm', 'start    end        module name', ...Array.from({ length: rows }, () => row), ''].join('\n');
}

export interface DottedFramesOptions {
  /** Frames. Default 3 (the probe also tried 30). */
  frames?: number;
  /** Length of each frame line. Default 64 Ki. */
  length?: number;
}

/** A `kv` stack whose frames are named `mod!a.a.a…` (F5: the page's colouring pattern). */
export function dottedSymbolFrames(options: DottedFramesOptions = {}): string {
  const frames = options.frames ?? 3;
  const length = Math.min(options.length ?? MAX_LINE, MAX_LINE);
  const head = '0012ff00 00401000 mod!';
  const line = head + 'a.'.repeat(Math.max(0, Math.floor((length - head.length - 8) / 2)));
  return [EVENT, '0:000> kv', 'ChildEBP RetAddr  ', ...Array.from({ length: frames }, () => line), ''].join('\n');
}

export interface BigStackOptions {
  /** Frames in the one stack. Default 65,536 (the reader keeps at most that many). */
  frames?: number;
  /** Distinct module names the frames cycle through. Default 50. */
  modules?: number;
}

/** One `k` stack of many ordinary frames (F5: a page that draws every row at once). */
export function bigStack(options: BigStackOptions = {}): string {
  const frames = options.frames ?? 65_536;
  const modules = options.modules ?? 50;
  const out = [EVENT, '0:000> k', 'ChildEBP RetAddr  '];
  for (let i = 0; i < frames; i++) out.push(`${hex8(0x12f000 + i * 8)} ${hex8(0x401000 + i)} mod${i % modules}!func${i}+0x10`);
  out.push('');
  return out.join('\n');
}

export interface ModuleRowsOptions {
  /** Rows. Default 1,000,000 (the reader's line cap). */
  rows?: number;
}

/** `lm` with one row per module (F5: a module table built eagerly inside a closed <details>). */
export function moduleRows(options: ModuleRowsOptions = {}): string {
  const rows = options.rows ?? 1_000_000;
  const out = ['0:000> lm', 'start    end        module name'];
  for (let i = 0; i < rows; i++) {
    const start = 0x10000 + i * 0x1000;
    out.push(`${hex8(start)} ${hex8(start + 0x1000)}   m${i}   (deferred)`);
  }
  out.push('');
  return out.join('\n');
}
