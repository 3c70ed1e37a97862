// A PDB the size of a real product's (100 MB and up) from the PDB writer: thousands of modules
// with procedures that carry locals, lines and inline sites, a public per procedure, and a large
// TPI. Its layout is a formula of the parameters, so the addresses to look up (and what they
// must be named) are known without building or reading it — the laziness test and the
// benchmark use both.
import type { ModuleSpec, PdbSpec, PublicSpec } from './pdb-builder.ts';

export interface LargePdbParams {
  modules: number;
  procsPerModule: number;
  /** S_LOCAL records per procedure: the bulk of a real module stream, and what a scan skips. */
  localsPerProc: number;
  /** LF_STRUCTURE records (~80 bytes each) in the TPI. */
  types: number;
  /** Every n-th module has no symbol stream (publics name its code). */
  noSymbolsEvery: number;
}

/** ~100 MB with 4 KiB blocks. */
export const LARGE_100MB: LargePdbParams = { modules: 2000, procsPerModule: 40, localsPerProc: 20, types: 600_000, noSymbolsEvery: 50 };

const PROC_BYTES = 0x40;
const TEXT_RVA = 0x1000;

export function procRva(p: LargePdbParams, module: number, proc: number): number {
  return TEXT_RVA + (module * p.procsPerModule + proc) * PROC_BYTES;
}

export function procName(module: number, proc: number): string {
  return `app::module${module}::Worker::step${proc}`;
}

export function largePdbSpec(p: LargePdbParams): PdbSpec {
  const textSize = p.modules * p.procsPerModule * PROC_BYTES;
  const modules: ModuleSpec[] = [];
  const publics: PublicSpec[] = [];
  for (let m = 0; m < p.modules; m++) {
    const base = (m * p.procsPerModule) * PROC_BYTES;
    if (m % p.noSymbolsEvery === p.noSymbolsEvery - 1) {
      modules.push({ name: `C:\\lib\\runtime${m}.obj`, noSymbols: true, contributions: [{ section: 1, offset: base, size: p.procsPerModule * PROC_BYTES }] });
    } else {
      modules.push({
        name: `C:\\build\\obj\\module${m}.obj`,
        files: [`C:\\src\\module${m}.cpp`, 'C:\\src\\include\\common.h'],
        procs: Array.from({ length: p.procsPerModule }, (_, k) => ({
          name: procName(m, k),
          section: 1,
          offset: base + k * PROC_BYTES,
          size: PROC_BYTES,
          locals: p.localsPerProc,
          lines: [
            { offset: 0, line: 100 + k * 10 },
            { offset: 0x10, line: 101 + k * 10 },
            { offset: 0x20, line: 103 + k * 10 },
            { offset: 0x30, line: 105 + k * 10 },
          ],
          inlines:
            k % 3 === 0
              ? [{ callee: 'get', className: `app::Box<${m % 17}>`, startLine: 12, file: 1, ranges: [{ start: 0x10, length: 0x10, line: 13 }], inlines: [{ callee: 'checked', scope: 'app::detail', startLine: 30, file: 1, ranges: [{ start: 0x14, length: 4, line: 31 }] }] }]
              : [],
        })),
      });
    }
    for (let k = 0; k < p.procsPerModule; k++) publics.push({ name: `?step${k}@Worker@module${m}@app@@QEAAXXZ`, section: 1, offset: base + k * PROC_BYTES, function: true });
  }
  return {
    sections: [
      { name: '.text', rva: TEXT_RVA, size: textSize },
      { name: '.rdata', rva: TEXT_RVA + ((textSize + 0xfff) & ~0xfff), size: 0x10000, characteristics: 0x40000040 },
    ],
    modules,
    publics,
    fillerTypes: p.types,
  };
}

/** `count` addresses spread over the file (seeded), with what each must be named. */
export function largePdbProbes(p: LargePdbParams, count: number, seed = 1): Array<{ rva: number; name: string; from: 'private' | 'public'; levels: number }> {
  let s = seed >>> 0;
  const rand = (n: number): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s % n;
  };
  const out = [];
  for (let i = 0; i < count; i++) {
    const m = rand(p.modules);
    const k = rand(p.procsPerModule);
    const within = [0, 0x12, 0x16, 0x24, 0x3f][rand(5)]!;
    const isPublic = m % p.noSymbolsEvery === p.noSymbolsEvery - 1;
    const inlineLevels = !isPublic && k % 3 === 0 && within >= 0x10 && within < 0x20 ? (within >= 0x14 && within < 0x18 ? 2 : 1) : 0;
    out.push({
      rva: procRva(p, m, k) + within,
      name: isPublic ? `?step${k}@Worker@module${m}@app@@QEAAXXZ` : procName(m, k),
      from: isPublic ? ('public' as const) : ('private' as const),
      levels: 1 + inlineLevels,
    });
  }
  return out;
}
