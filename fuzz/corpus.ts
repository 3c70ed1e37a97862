// The seed inputs the mutators start from: real minidumps (Breakpad, LLDB, rust-minidump, Wine,
// the project's own crash programs), synthetic WOW64 dumps, and WinDbg/CDB session logs. Read
// from fixtures/ by listing folders, sorted, so a run is the same on every machine that has the
// same fixtures. The test slice names its seeds instead, so new fixtures never shift it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures');

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export interface Seed {
  /** Path under fixtures/ ("corpus/breakpad/minidump2.dmp"), or a symbol seed's id ("symbols:inline-crash"). */
  path: string;
  /** 'symbols': a dump (`bytes`) with its images and symbol files; a case mutates one symbol file. */
  kind: 'dump' | 'text' | 'symbols';
  bytes: Uint8Array;
  images?: NamedBytes[];
  symbols?: NamedBytes[];
}

/** Dumps with the symbol files that name them, by id: the seeds of the symbol cases. */
export const SYMBOL_SEEDS: Record<string, { dump: string; images: string[]; symbols: string[] }> = {
  'symbols:inline-crash': { dump: 'symbols/inline-crash.dmp', images: ['symbols/inline-crash.exe'], symbols: ['symbols/inline-crash.pdb'] },
  'symbols:class-crash': { dump: 'symbols/class-crash.dmp', images: ['symbols/class-crash.exe'], symbols: ['symbols/class-crash.pdb'] },
  'symbols:minidump2': {
    dump: 'corpus/breakpad/minidump2.dmp',
    images: [],
    symbols: ['symbols/breakpad/test_app.pdb/5A9832E5287241C1838ED98914E9B7FF1/test_app.sym', 'symbols/breakpad/kernel32.pdb/BCE8785C57B44245A669896B6A19B9542/kernel32.sym'],
  },
  'symbols:null_read_av': {
    dump: 'corpus/breakpad/linux_null_read_av.dmp',
    images: [],
    symbols: ['symbols/breakpad/null_read_av/7B7D1968FF0D47AE4366E9C3A7E1B6750/null_read_av.sym'],
  },
};

const DUMP_DIRS = ['corpus/breakpad', 'corpus/lldb', 'corpus/rust-minidump', 'corpus/wine', 'dumps', 'synth'];
const TEXT_DIRS = ['windbg'];
/** Seeds larger than this are skipped: mutants of a 1 MiB dump teach nothing a 200 KiB one does not. */
const MAX_SEED_BYTES = 512 * 1024;

/** A fixed seed list for the test slice: committed fixtures of every kind the readers meet. */
export const SLICE_SEEDS = [
  'corpus/breakpad/minidump2.dmp', // x86 Windows, MemoryList
  'corpus/breakpad/tiny-exe-with-cet-xsave.dmp', // amd64 with XSTATE context
  'corpus/breakpad/linux_null_read_av.dmp', // Breakpad Linux
  'corpus/breakpad/thread_name_list.dmp',
  'corpus/lldb/fizzbuzz_no_heap.dmp',
  'corpus/lldb/regions-memlist64.dmp', // Memory64List
  'corpus/lldb/sigsegv.dmp',
  'corpus/rust-minidump/invalid-record-count.dmp',
  'corpus/rust-minidump/simple-crashpad.dmp',
  'corpus/wine/nullptr.dmp',
  'synth/wow64-minimal.dmp',
  'synth/x64-plain.dmp',
  'windbg/x64-access-violation.txt',
  'windbg/x86-access-violation-kb.txt',
  'windbg/virtualized-process-seed-first-half.txt',
  'windbg/stack-overflow-email-quoted.txt',
  'windbg/cpp-exception-cdb-session.txt',
  'symbols:inline-crash',
  'symbols:minidump2',
];

function kindOf(path: string): Seed['kind'] {
  return /\.(dmp|mdmp)$/i.test(path) ? 'dump' : 'text';
}

function read(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, path)));
}

function load(path: string): Seed {
  const pairing = SYMBOL_SEEDS[path];
  if (pairing) {
    const named = (p: string): NamedBytes => ({ name: p.split('/').pop()!, bytes: read(p) });
    return { path, kind: 'symbols', bytes: read(pairing.dump), images: pairing.images.map(named), symbols: pairing.symbols.map(named) };
  }
  return { path, kind: kindOf(path), bytes: read(path) };
}

function exists(path: string): boolean {
  const pairing = SYMBOL_SEEDS[path];
  return pairing ? [pairing.dump, ...pairing.images, ...pairing.symbols].every((p) => existsSync(join(FIXTURES, p))) : existsSync(join(FIXTURES, path));
}

/** Every seed in the fixture folders (or only `paths`, those that exist), in a stable order. */
export function loadCorpus(paths?: readonly string[]): Seed[] {
  if (paths) return paths.filter(exists).map(load);
  const found: string[] = [];
  for (const dir of DUMP_DIRS) {
    if (!existsSync(join(FIXTURES, dir))) continue;
    for (const f of readdirSync(join(FIXTURES, dir)).sort()) if (/\.dmp$/i.test(f)) found.push(`${dir}/${f}`);
  }
  for (const dir of TEXT_DIRS) {
    if (!existsSync(join(FIXTURES, dir))) continue;
    for (const f of readdirSync(join(FIXTURES, dir)).sort()) if (/\.(txt|log)$/i.test(f)) found.push(`${dir}/${f}`);
  }
  found.push('corpus/rust-minidump/evil.json');
  const symbolSeeds = Object.keys(SYMBOL_SEEDS).filter(exists).map(load);
  return [...found.map(load).filter((s) => s.bytes.length <= MAX_SEED_BYTES), ...symbolSeeds];
}
