// One fuzz case from (run seed, case index): a seed input and one to three mutations, or now
// and then an input made from nothing (noise, a bare signature). Pure and deterministic, so a
// failure reported as "seed S case N" is rebuilt bit for bit by `npm run fuzz -- --seed S --case N`.
import type { NamedBytes, Seed } from './corpus.ts';
import { mutateSymbolFile } from './symbol-mutators.ts';
import { BYTE_MUTATORS, DUMP_MUTATORS, ENCODINGS, pickWeighted, TEXT_MUTATORS } from './mutators.ts';
import { dumpLayout } from './minidump-layout.ts';
import { caseSeed, createRng, type Rng } from './rng.ts';
import { makeShapeCase } from './shapes.ts';

export interface FuzzCase {
  index: number;
  /** The seed input's path under fixtures/, or "generated". */
  from: string;
  name: string;
  bytes: Uint8Array;
  /** What was done to the seed, one entry per mutation. */
  mutations: string[];
  /** Module images and symbol files analysed with the dump (symbol cases). */
  images?: NamedBytes[];
  symbols?: NamedBytes[];
  /** Use the symbol files even when their identity does not match (symbol cases). */
  forceSymbols?: boolean;
}

/** Text cases stay below this (the readers' own cap is 64 MiB; beyond it the cut is all that is tested). */
const MAX_TEXT_CHARS = 40 * 1024 * 1024;

function generated(rng: Rng): { bytes: Uint8Array; what: string } {
  const kind = rng.pick(['empty', 'noise', 'mdmp-noise', 'signature-only', 'nul'] as const);
  const n = rng.size(1 << 20);
  const noise = new Uint8Array(n);
  for (let i = 0; i < n; i++) noise[i] = rng.int(0, 255);
  switch (kind) {
    case 'empty':
      return { bytes: new Uint8Array(0), what: 'an empty file' };
    case 'noise':
      return { bytes: noise, what: `${n} bytes of noise` };
    case 'mdmp-noise':
      noise.set([0x4d, 0x44, 0x4d, 0x50].slice(0, n));
      return { bytes: noise, what: `MDMP and ${n} bytes of noise` };
    case 'signature-only':
      return { bytes: Uint8Array.from([0x4d, 0x44, 0x4d, 0x50, 0x93, 0xa7]), what: 'a bare MDMP signature' };
    case 'nul':
      return { bytes: new Uint8Array(n), what: `${n} NUL bytes` };
  }
}

export interface CaseOptions {
  /** False leaves out the mutators marked heavy (the quick slice run by `npm test`). */
  heavy?: boolean;
  /** Build hostile shapes (shapes.ts) instead of mutating the corpus. */
  shapes?: boolean;
  /** With `shapes`: only these shape ids (all when absent). */
  shapeIds?: readonly string[] | null;
  /** With `shapes`: sizes drawn are scaled by this (below 1 for quick cases). */
  shapeScale?: number;
}

export function makeCase(corpus: readonly Seed[], runSeed: number, index: number, options: CaseOptions = {}): FuzzCase {
  if (options.shapes) return makeShapeCase(runSeed, index, options.shapeIds ?? null, options.shapeScale ?? 1);
  const heavy = options.heavy ?? true;
  const dumpMutators = heavy ? DUMP_MUTATORS : DUMP_MUTATORS.filter((m) => !m.heavy);
  const textMutators = heavy ? TEXT_MUTATORS : TEXT_MUTATORS.filter((m) => !m.heavy);
  const rng = createRng(caseSeed(runSeed, index));
  if (corpus.length === 0 || rng.chance(0.03)) {
    const g = generated(rng);
    return { index, from: 'generated', name: `case-${index}.bin`, bytes: g.bytes, mutations: [g.what] };
  }
  const seed = rng.pick(corpus);
  const rounds = rng.pick([1, 1, 1, 2, 2, 3]);
  const mutations: string[] = [];
  const name = seed.path.split('/').pop()!;
  if (seed.kind === 'symbols') {
    // The dump stays as it is; one symbol file is damaged, the others come along intact.
    const symbols = (seed.symbols ?? []).map((s) => ({ name: s.name, bytes: s.bytes.slice() }));
    const target = rng.pick(symbols);
    for (let i = 0; i < rounds; i++) mutations.push(`${target.name}: ${mutateSymbolFile(target, rng)}`);
    const forceSymbols = rng.chance(0.3);
    if (forceSymbols) mutations.push('symbols forced');
    return { index, from: seed.path, name: `${seed.path.slice('symbols:'.length)}.dmp`, bytes: seed.bytes, mutations, images: seed.images ?? [], symbols, forceSymbols };
  }
  if (seed.kind === 'dump') {
    const layout = dumpLayout(seed.bytes);
    const input = { bytes: seed.bytes.slice(), layout: layout ?? dumpLayout(new Uint8Array(32))! };
    if (!layout) return { index, from: seed.path, name, bytes: input.bytes, mutations: ['unparsed seed, unchanged'] };
    for (let i = 0; i < rounds; i++) {
      const m = pickWeighted(dumpMutators, rng);
      mutations.push(`${m.name}: ${m.apply(input, rng, corpus)}`);
    }
    return { index, from: seed.path, name, bytes: input.bytes, mutations };
  }
  const text = { text: new TextDecoder().decode(seed.bytes) };
  for (let i = 0; i < rounds; i++) {
    const m = pickWeighted(textMutators, rng);
    const before = text.text;
    try {
      mutations.push(`${m.name}: ${m.apply(text, rng, corpus)}`);
    } catch (err) {
      // Stacked growth mutations can outgrow what a JS string may hold; that case is skipped.
      if (!(err instanceof RangeError)) throw err;
      text.text = before;
      mutations.push(`${m.name}: skipped (${err.message})`);
    }
    if (text.text.length > MAX_TEXT_CHARS) {
      text.text = text.text.slice(0, MAX_TEXT_CHARS);
      mutations.push(`cut to ${MAX_TEXT_CHARS} characters`);
    }
  }
  const enc = rng.chance(0.6) ? ENCODINGS[0]! : pickWeighted(ENCODINGS, rng);
  const out = { bytes: enc.encode(text.text, rng) };
  if (enc !== ENCODINGS[0]) mutations.push(`encoded as ${enc.name}`);
  if (rng.chance(0.25)) {
    const m = pickWeighted(BYTE_MUTATORS, rng);
    mutations.push(`${m.name}: ${m.apply(out, rng, corpus)}`);
  }
  return { index, from: seed.path, name, bytes: out.bytes, mutations };
}
