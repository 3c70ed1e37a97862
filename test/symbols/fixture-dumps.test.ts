// Issue 10's first done-when, through the CLI as a user runs it: for every fixture dump made
// with a PDB (fixtures/symbols/NAME.dmp, with NAME.exe and NAME.pdb beside it), each frame in the
// program's own module is named as llvm-symbolizer-16 names it (NAME.refs.tsv: the inline levels
// innermost first, each with its file and line; for a return address the line of the call), in
// the --json report and in the text report. Wine writes no CodeView record into the module list,
// so the dump alone cannot be matched: the image (--images) says which PDB it wants.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../lib/run-cli.ts';
import { Report } from '../../src/engine/report/schema.ts';
import type { Frame } from '../../src/engine/core/dump-model.ts';

const DIR = join(import.meta.dirname, '../../fixtures/symbols');
const DUMPS = readdirSync(DIR).filter((f) => f.endsWith('.dmp')).map((f) => f.slice(0, -4)).sort();

interface RefFrame {
  name: string;
  file: string;
  line: number;
}
interface Ref {
  pub: string | null;
  frames: RefFrame[];
}

/** The dump rows of NAME.refs.tsv ('pc': frame 0's address; 'return': a return address minus 1), by RVA. */
function dumpRefs(name: string): Map<number, Ref> {
  const out = new Map<number, Ref>();
  for (const line of readFileSync(join(DIR, `${name}.refs.tsv`), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [rva, kind, pub, , ...frames] = line.split('\t');
    if (kind !== 'pc' && kind !== 'return') continue;
    out.set(Number(rva), {
      pub: pub === '-' ? null : pub!,
      frames: frames.map((f) => {
        const [fn, file, l] = f.split('|');
        return { name: fn!, file: file!, line: Number(l) };
      }),
    });
  }
  return out;
}

/** The model's frames grouped by the walked frame they come from: inline levels, then the function. */
function physicalGroups(frames: Frame[]): Frame[][] {
  const groups: Frame[][] = [];
  let current: Frame[] = [];
  for (const f of frames) {
    current.push(f);
    if (!f.inline) {
      groups.push(current);
      current = [];
    }
  }
  return groups;
}

describe('every fixture dump made with a PDB, named as llvm-symbolizer names it', () => {
  it('has the dumps', () => {
    expect(DUMPS).toEqual(['class-crash', 'inline-crash', 'multi-file']);
  });

  for (const name of DUMPS) {
    it(`${name}: --json and the text report`, async () => {
      const args = ['analyze', join(DIR, `${name}.dmp`), '--images', DIR, '--symbols', DIR];
      const json = await runCli([...args, '--json']);
      expect(json.err).toEqual([]);
      expect(json.code).toBe(0);
      const report = Report.parse(JSON.parse(json.text));
      const own = report.modules[0]!;
      expect(own.name).toBe(`${name}.exe`);
      expect(own.symbols).toMatchObject({ file: `${name}.pdb`, format: 'pdb' });
      const base = BigInt(own.base);
      const short = name.replace(/-/g, '_');
      const refs = dumpRefs(name);
      const thread = report.threads.find((t) => t.faulting)!;
      const groups = physicalGroups(thread.frames).filter((g) => g.at(-1)!.module === short);
      expect(groups.length).toBeGreaterThanOrEqual(4);

      const text = (await runCli(args)).text;
      let checked = 0;
      for (const [i, group] of groups.entries()) {
        const top = group.at(-1)!;
        const rva = Number(BigInt(top.address) - base);
        const isReturn = i > 0 || top.trust !== 'context';
        const ref = refs.get(isReturn ? rva - 1 : rva);
        expect(ref, `a reference for ${top.address}`).toBeDefined();
        if (ref!.frames.length > 0) {
          expect(group.map((f) => ({ name: f.symbol, file: f.source?.file, line: f.source?.line }))).toEqual(ref!.frames);
          expect(group.slice(0, -1).every((f) => f.inline && f.offset === null && f.retAddr === null)).toBe(true);
          // The text report prints each as WinDbg does: module!function[+offset] [file @ line].
          for (const f of group) {
            const offset = f.offset && f.offset !== '0x0' ? `+${f.offset}` : '';
            expect(text).toContain(`${short}!${f.symbol}${offset} [${f.source!.file} @ ${f.source!.line}]`);
          }
        } else {
          // No procedure: the public symbol llvm-symbolizer falls back to, or nothing at all.
          expect(group).toHaveLength(1);
          expect(top.symbol).toBe(ref!.pub);
          expect(top.source).toBeUndefined();
        }
        checked++;
      }
      expect(checked).toBe(groups.length);
      // Inline frames print as WinDbg prints them.
      expect(text).toContain('(Inline Function) --------`--------');
    });
  }
});
