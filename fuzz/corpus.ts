// The seed inputs the mutators start from: real minidumps (Breakpad, LLDB, rust-minidump, Wine,
// the project's own crash programs), synthetic WOW64 dumps, and WinDbg/CDB session logs. Read
// from fixtures/ by listing folders, sorted, so a run is the same on every machine that has the
// same fixtures. The test slice names its seeds instead, so new fixtures never shift it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures');

export interface Seed {
  /** Path under fixtures/ ("corpus/breakpad/minidump2.dmp"). */
  path: string;
  kind: 'dump' | 'text';
  bytes: Uint8Array;
}

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
  'windbg/email-quoted-stack-overflow.txt',
  'windbg/cpp-exception-cdb-session.txt',
];

function kindOf(path: string): Seed['kind'] {
  return /\.(dmp|mdmp)$/i.test(path) ? 'dump' : 'text';
}

function load(path: string): Seed {
  return { path, kind: kindOf(path), bytes: new Uint8Array(readFileSync(join(FIXTURES, path))) };
}

/** Every seed in the fixture folders (or only `paths`, those that exist), in a stable order. */
export function loadCorpus(paths?: readonly string[]): Seed[] {
  if (paths) return paths.filter((p) => existsSync(join(FIXTURES, p))).map(load);
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
  return found.map(load).filter((s) => s.bytes.length <= MAX_SEED_BYTES);
}
