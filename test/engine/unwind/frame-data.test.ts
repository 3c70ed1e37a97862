// The x86 walker with a PDB's FRAMEDATA (issue 10, item 4): fpo-x86.exe's leaf and mid keep no
// frame pointer (mid uses EBP as a loop counter), so without the PDB the walk can only scan; with
// it every caller is found by the frame data, the saved registers come back, the names and lines
// are llvm-symbolizer's (fpo-x86.refs.tsv), and Optimized Code has its evidence.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { readMinidumpModel } from '../../../src/engine/model/from-minidump.ts';
import { openMinidump } from '../../../src/engine/minidump/minidump.ts';
import { openPdb } from '../../../src/engine/pdb/open-pdb.ts';
import { createModuleIndex } from '../../../src/engine/unwind/module-index.ts';
import { walkX86 } from '../../../src/engine/unwind/x86.ts';
import { SymbolResolver } from '../../../src/engine/symbol-match/symbol-resolver.ts';
import { analyze } from '../../../src/engine/analyze.ts';
import optimizedCode from '../../../src/detectors/optimized-code.ts';
import { FPO_X86, fpoX86Dump } from '../../synth/fpo-x86-dump.ts';

const DIR = join(import.meta.dirname, '../../../fixtures/symbols');
const pdb = (): Uint8ArraySource => new Uint8ArraySource(new Uint8Array(readFileSync(join(DIR, 'fpo-x86.pdb'))), 'fpo-x86.pdb');
const dump = (): Uint8ArraySource => new Uint8ArraySource(fpoX86Dump(), 'fpo-x86.dmp');

describe('x86 frames without a frame pointer, walked with FRAMEDATA', () => {
  it('finds every caller by frame data and recovers the saved registers', async () => {
    const md = await openMinidump(dump());
    const memory = await md.memory();
    const modules = (await md.modules()) ?? [];
    const resolver = new SymbolResolver({ symbols: [pdb()] });
    const index = createModuleIndex(modules.map((m) => ({ name: m.name, base: m.base, size: BigInt(m.size) })), memory, [], { symbols: resolver });
    const ctx = await md.exceptionContext();
    if (ctx?.arch !== 'x86') throw new Error('x86 context expected');
    const walk = await walkX86({ ...ctx.regs }, { memory, moduleAt: (a) => index.moduleAt(a) });
    expect(walk.stop).toBe('end-of-stack');
    expect(walk.frames.map((f) => [f.ip, f.trust])).toEqual([
      [BigInt(FPO_X86.store), 'context'],
      [BigInt(FPO_X86.returnIntoMid), 'frame-data'],
      [BigInt(FPO_X86.returnIntoMain), 'frame-data'],
    ]);
    // leaf restored mid's edi and esi; mid restored main's esi, ebx and its frame pointer.
    expect(walk.frames[1]!.registers).toMatchObject({ esi: BigInt(FPO_X86.saved.leafEsi), edi: BigInt(FPO_X86.saved.leafEdi) });
    expect(walk.frames[2]!.registers).toMatchObject({ esi: BigInt(FPO_X86.saved.midEsi), edi: BigInt(FPO_X86.saved.midEdi) });
    expect(walk.frames.map((f) => f.fpo ?? false)).toEqual([true, true, false]); // main keeps an EBP frame
  });

  it('names the frames as llvm-symbolizer does, inline level included', async () => {
    const model = await readMinidumpModel(dump(), { symbols: [pdb()] });
    const frames = model.threads[0]!.frames;
    expect(frames.map((f) => [f.symbol, f.source?.line, f.inline ?? false, f.trust])).toEqual([
      ['poke', 11, true, 'context'],
      ['leaf', 18, false, 'context'],
      ['mid', 25, false, 'frame-data'],
      ['main', 32, false, 'frame-data'],
    ]);
    expect(frames.map((f) => f.source?.file)).toEqual(Array(4).fill('C:\\src\\fpo-x86.c'));
    // The dump records no CodeView and has the image in memory: its debug directory names the PDB.
    expect(model.warnings.filter((w) => w.kind === 'symbols-mismatch')).toEqual([]);
  });

  it('without the PDB the walk can only scan', async () => {
    const model = await readMinidumpModel(dump());
    expect(model.threads[0]!.frames.map((f) => f.trust)).toEqual(['context', 'scan', 'scan']);
  });

  it('gives Optimized Code its evidence: certain, the two functions without a frame pointer', async () => {
    const report = await analyze(dump(), { detectors: [optimizedCode], catalog: {}, symbols: [pdb()] });
    const finding = report.findings.find((f) => f.pattern === 'optimized-code')!;
    expect(finding).toMatchObject({ confidence: 'certain', messageId: 'fpoFromSymbols' });
    expect(finding.evidence).toEqual([expect.objectContaining({ view: 'native', frames: [1, 2], note: 'no frame pointer (frame data)' })]);
    // Without symbols it is the old guess.
    const guess = await analyze(dump(), { detectors: [optimizedCode], catalog: {} });
    expect(guess.findings[0]).toMatchObject({ confidence: 'possible', messageId: 'framePointerLost' });
  });

  it("reads the PDB's identity like the image's debug directory says it", async () => {
    const file = await openPdb(pdb());
    const md = await openMinidump(dump());
    const memory = await md.memory();
    const index = createModuleIndex(((await md.modules()) ?? []).map((m) => ({ name: m.name, base: m.base, size: BigInt(m.size) })), memory);
    const cv = await (await index.modules[0]!.image())!.codeView();
    expect(cv?.debugId).toBe(file.identity.debugId);
  });
});
