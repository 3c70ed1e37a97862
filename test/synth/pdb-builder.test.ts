// The PDB writer writes real PDBs: LLVM 16's own reader (llvm-pdbutil, llvm-symbolizer) reads
// them, and names their addresses as our reader does. Skipped where LLVM 16 is not installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../src/engine/io/uint8array-source.ts';
import { openPdb } from '../../src/engine/pdb/open-pdb.ts';
import { buildPdb, DEFAULT_GUID, encodeAnnotations, hashStringV1 } from './pdb-builder.ts';
import { buildPe } from './pe-builder.ts';
import { samplePdbSpec } from './pdb-samples.ts';

const hasLlvm = spawnSync('llvm-pdbutil-16', ['--version']).status === 0 && spawnSync('llvm-symbolizer-16', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'dumpatlas-pdb-builder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function guidText(g: Uint8Array): string {
  const h = (i: number): string => g[i]!.toString(16).padStart(2, '0');
  return `${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-${[10, 11, 12, 13, 14, 15].map(h).join('')}`.toUpperCase();
}

describe('PDB writer pieces', () => {
  it('hashes strings as the format does', () => {
    // Values from LLVM's hashStringV1 on the same strings.
    expect(hashStringV1('/names')).toBe(hashStringV1('/NAMES'));
    expect(hashStringV1('')).toBe(0x20202020 ^ (0x20202020 >>> 11) ^ ((0x20202020 ^ (0x20202020 >>> 11)) >>> 16));
  });

  it('encodes inline ranges as compressed annotations', () => {
    const bytes = encodeAnnotations({ callee: 'f', startLine: 5, ranges: [{ start: 0x1e, length: 2, line: 7 }] }, [0]);
    // ChangeLineOffset +2, ChangeCodeOffset 0x1e, ChangeCodeLength 2: what clang writes for it.
    expect([...bytes]).toEqual([0x06, 0x04, 0x03, 0x1e, 0x04, 0x02]);
    const small = encodeAnnotations({ callee: 'f', startLine: 5, ranges: [{ start: 3, length: 5, line: 5 }] }, [0]);
    expect([...small]).toEqual([0x0b, 0x03, 0x04, 0x05]);
  });
});

describe.skipIf(!hasLlvm)('PDB writer against LLVM 16', () => {
  it('writes files llvm-pdbutil reads whole, in every layout', () => {
    for (const layout of [{}, { scatter: true }, { blockSize: 512, scatter: true }]) {
      const file = join(dir, 'layout.pdb');
      writeFileSync(file, buildPdb({ ...samplePdbSpec(), layout }));
      const r = spawnSync('llvm-pdbutil-16', ['dump', '-all', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(r.status, r.stderr).toBe(0);
      // The module built without debug information has no stream to load, as in real PDBs.
      const complaints = r.stdout.split('\n').filter((l) => /error|corrupt|invalid/i.test(l) && !l.includes('Module stream not present'));
      expect(complaints).toEqual([]);
      expect(r.stdout).toContain('S_INLINESITE');
      expect(r.stdout).toContain('inlinee = 0x1001 (put)');
      expect(r.stdout).toMatch(/S_PUB32 \[size = \d+\] `main`/);
    }
  });

  it('names every byte of the sample as llvm-symbolizer does', async () => {
    const spec = samplePdbSpec();
    const pdbBytes = buildPdb({ ...spec, layout: { scatter: true } });
    const pe = buildPe({ machine: 'amd64', imageBase: 0x140000000n, text: { size: 0x3000 }, codeView: { pdb: 'sample.pdb', guid: guidText(DEFAULT_GUID), age: 3 } });
    writeFileSync(join(dir, 'sample.pdb'), pdbBytes);
    writeFileSync(join(dir, 'sample.exe'), pe.file);
    const rvas: number[] = [];
    for (let rva = 0x1000; rva < 0x1280; rva++) rvas.push(rva);
    const input = rvas.map((r) => `0x${(0x140000000 + r).toString(16)}`).join('\n');
    const run = (args: string[]): Array<Array<{ FunctionName: string; FileName: string; Line: number }>> =>
      spawnSync('llvm-symbolizer-16', ['--obj=sample.exe', '--output-style=JSON', ...args], { cwd: dir, input, encoding: 'utf8', maxBuffer: 1 << 26 })
        .stdout.trim()
        .split('\n')
        .map((l) => JSON.parse(l).Symbol);
    const short = run(['--functions=short', '--inlines']);
    const linkage = run(['--functions=linkage', '--no-demangle', '--no-inlines']);

    const pdb = await openPdb(new Uint8ArraySource(pdbBytes, 'sample.pdb'));
    const mismatches: string[] = [];
    for (let i = 0; i < rvas.length; i++) {
      const frames = short[i]!.filter((f) => f.FunctionName !== '').map((f) => ({ name: f.FunctionName, file: f.FileName, line: f.Line }));
      const want = frames.length > 0 ? { pub: null, frames } : { pub: linkage[i]![0]!.FunctionName || null, frames: [] };
      const r = await pdb.lookup(rvas[i]!);
      const got =
        r === null
          ? { pub: null, frames: [] }
          : r.from === 'public'
            ? { pub: r.levels[0]!.name, frames: [] }
            : { pub: null, frames: r.levels.map((l) => ({ name: l.name, file: l.source?.file ?? '', line: l.source?.line ?? 0 })) };
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`0x${rvas[i]!.toString(16)}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    // The sample has what it should: inline levels, both publics fallbacks, nothing at all.
    expect(short.some((s) => s.length === 3)).toBe(true);
    expect(pdb.warnings).toEqual([]);
  });
});
