// The PDB reader against LLVM's: for every address in fixtures/symbols/NAME.refs.tsv (every byte
// of every procedure of the programs in fixtures/programs-pdb, public-only runtime code, and the
// frames of each program's own crash dump), lookup() must give what llvm-symbolizer-16 gave —
// the same function names, inline levels, files and lines, or the same public fallback.
// Where llvm-symbolizer is wrong, the difference is listed below with its reason, and our
// answer must then be the one LLDB 16's own PDB reader gives (the lldb column).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { openMinidump } from '../../../src/engine/minidump/minidump.ts';
import { openPdb } from '../../../src/engine/pdb/open-pdb.ts';
import { loadPeFile } from '../../../src/engine/pe/pe-image.ts';
import type { SymbolFile } from '../../../src/engine/symbols/symbol-file.ts';

const DIR = join(import.meta.dirname, '../../../fixtures/symbols');
const NAMES = readdirSync(DIR)
  .filter((f) => f.endsWith('.refs.tsv'))
  .map((f) => f.slice(0, -'.refs.tsv'.length))
  .sort();

/**
 * Addresses where we differ from llvm-symbolizer 16, per program. multi-file: order_total's line
 * subsection has three file blocks (multi-orders.c, multi-loop.inc, multi-orders.c — the .inc is
 * #included mid-function). llvm-symbolizer flattens each block from the subsection's start
 * address and binary searches the result as if it were sorted, so for 0x17a9–0x17b2 it answers
 * the last block's multi-orders.c:6, a line whose code starts at 0x17b3. The line table itself
 * (llvm-pdbutil dump -l) and LLDB say multi-loop.inc:4 and :3, as we do.
 */
const ACCEPTED_LINE_DIFFERENCES: Record<string, number> = { 'multi-file': 10 };

interface Ref {
  rva: number;
  kind: string;
  pub: string | null;
  /** LLDB's innermost file:line, or null. */
  lldb: string | null;
  frames: Array<{ name: string; file: string; line: number }>;
}

function readRefs(name: string): Ref[] {
  return readFileSync(join(DIR, `${name}.refs.tsv`), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [rva, kind, pub, lldb, ...frames] = l.split('\t');
      return {
        rva: Number(rva),
        kind: kind!,
        pub: pub === '-' ? null : pub!,
        lldb: lldb === '-' ? null : lldb!,
        frames: frames.map((f) => {
          const [fn, file, line] = f.split('|');
          return { name: fn!, file: file!, line: Number(line) };
        }),
      };
    });
}

function source(name: string, ext: string): Uint8ArraySource {
  return new Uint8ArraySource(new Uint8Array(readFileSync(join(DIR, `${name}.${ext}`))), `${name}.${ext}`);
}

/** What lookup() gave, in the references' terms. */
async function named(pdb: SymbolFile, rva: number): Promise<{ pub: string | null; frames: Ref['frames'] }> {
  const r = await pdb.lookup(rva);
  if (r === null) return { pub: null, frames: [] };
  if (r.from === 'public') return { pub: r.levels[0]!.name, frames: [] };
  return {
    pub: null,
    frames: r.levels.map((l) => ({ name: l.name, file: l.source?.file ?? '', line: l.source?.line ?? 0 })),
  };
}

describe('PDB reader against llvm-symbolizer-16', () => {
  it('has reference programs', () => {
    expect(NAMES).toEqual(['class-crash', 'fpo-x86', 'inline-crash', 'multi-file']);
  });

  for (const name of NAMES) {
    it(`${name}: names every reference address as llvm-symbolizer does`, async () => {
      const pdb = await openPdb(source(name, 'pdb'));
      const refs = readRefs(name);
      expect(refs.length).toBeGreaterThan(300);
      const mismatches: string[] = [];
      let lineDifferences = 0;
      for (const ref of refs) {
        const got = await named(pdb, ref.rva);
        // Private names where LLVM found a procedure; else the public it fell back to.
        const want = ref.frames.length > 0 ? { pub: null, frames: ref.frames } : { pub: ref.pub, frames: [] };
        if (JSON.stringify(got) === JSON.stringify(want)) continue;
        // A line-only difference on a frame without inline levels counts when LLDB sides with us.
        const only = got.frames[0];
        if (got.frames.length === 1 && want.frames.length === 1 && only!.name === want.frames[0]!.name && `${only!.file}:${only!.line}` === ref.lldb) {
          lineDifferences++;
          continue;
        }
        mismatches.push(`0x${ref.rva.toString(16)} (${ref.kind}): got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
      }
      expect(mismatches.slice(0, 10)).toEqual([]);
      expect(lineDifferences).toBe(ACCEPTED_LINE_DIFFERENCES[name] ?? 0);
      expect(pdb.warnings).toEqual([]);
    });

    it(`${name}: carries the identity the image's CodeView record names`, async () => {
      const pdb = await openPdb(source(name, 'pdb'));
      const image = await loadPeFile(source(name, 'exe'));
      const cv = await image.codeView();
      expect(cv?.pdbName).toBe(`${name}.pdb`);
      expect(pdb.identity).toEqual({ debugFile: `${name}.pdb`, debugId: cv!.debugId });
    });
  }

  it('covers inline levels, several files and C++ names in the references', () => {
    const all = NAMES.flatMap(readRefs);
    expect(all.some((r) => r.frames.length >= 3)).toBe(true);
    expect(all.some((r) => r.frames.some((f) => f.name === 'shop::Ledger::put'))).toBe(true);
    expect(all.some((r) => r.frames.some((f) => f.name === 'shop::with_tax'))).toBe(true);
    expect(all.some((r) => r.frames.some((f) => f.file.endsWith('multi-loop.inc')))).toBe(true);
    expect(all.some((r) => r.frames.length === 0 && r.pub !== null)).toBe(true);
    expect(all.some((r) => r.kind === 'return')).toBe(true);
  });
});

describe('x86 frame data against llvm-pdbutil-16', () => {
  it('fpo-x86: gives each FRAMEDATA record at its start and inside its range', async () => {
    const rows = readFileSync(join(DIR, 'fpo-x86.framedata.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.split('\t'));
    expect(rows.length).toBeGreaterThan(10);
    const pdb = await openPdb(source('fpo-x86', 'pdb'));
    for (let i = 0; i < rows.length; i++) {
      const [rva, code, locals, params, maxStack, prolog, savedRegs, program] = rows[i]!;
      const want = {
        kind: 'framedata',
        startRva: Number(rva),
        codeSize: Number(code),
        localsSize: Number(locals),
        paramsSize: Number(params),
        maxStackSize: Number(maxStack),
        prologSize: Number(prolog),
        savedRegsSize: Number(savedRegs),
        allocatesBasePointer: false,
        program,
      };
      expect(await pdb.x86FrameInfo(Number(rva))).toEqual(want);
      // The byte before the next record's start still belongs to this one (records nest: each
      // prolog step covers the rest of the function).
      const next = rows[i + 1] ? Number(rows[i + 1]![0]) : Number(rva) + Number(code);
      if (next - 1 < Number(rva) + Number(code)) expect(await pdb.x86FrameInfo(next - 1)).toEqual(want);
    }
    expect(await pdb.x86FrameInfo(0x10)).toBeNull();
    expect(pdb.warnings).toEqual([]);
  });

  it('64-bit PDBs give no x86 frame data', async () => {
    const pdb = await openPdb(source('inline-crash', 'pdb'));
    expect(await pdb.x86FrameInfo(0x1510)).toBeNull();
    expect(await pdb.cfiRules(0x1510)).toBeNull();
  });
});

describe('the fixture dumps and their PDBs', () => {
  // What each program's crash is in (fixtures/programs-pdb): the innermost level at the
  // exception address, and the function it was inlined into.
  const faults: Record<string, string[]> = {
    'inline-crash': ['store_total', 'apply_discount', 'process_orders'],
    'class-crash': ['shop::Ledger::put', 'shop::Ledger::record'],
    'multi-file': ['scaled_price', 'order_total'],
  };
  for (const [name, levels] of Object.entries(faults)) {
    // Wine's dbghelp writes no CodeView record into the module list, so these dumps match
    // their PDB only through the image's debug directory (checked above).
    it(`${name}: the exception address in the dump is in ${levels[0]}`, async () => {
      const dump = await openMinidump(source(name, 'dmp'));
      const modules = (await dump.modules()) ?? [];
      const exe = modules.find((m) => m.name.toLowerCase().endsWith(`\\${name}.exe`));
      const exception = await dump.exception();
      const pdb = await openPdb(source(name, 'pdb'));
      expect(exe?.codeView).toBeNull();
      const r = await pdb.lookup(Number(exception!.address - exe!.base));
      expect(r?.from).toBe('private');
      expect(r?.levels.map((l) => l.name)).toEqual(levels);
      expect(r?.levels[0]?.source?.file).toMatch(/^C:\\src\\/);
    });
  }
});
