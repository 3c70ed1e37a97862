// The reader stays lazy on a PDB of real-product shape: opening it and naming addresses reads a
// small fraction of the file (the benchmark, bench/pdb.ts, does the same at 100 MB and times it).
import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { openPdb } from '../../../src/engine/pdb/open-pdb.ts';
import { buildPdb } from '../../synth/pdb-builder.ts';
import { largePdbProbes, largePdbSpec, type LargePdbParams } from '../../synth/large-pdb.ts';
import { RecordingSource } from '../../synth/recording-source.ts';

// ~30 MB: 600 modules of 40 procedures, 150 000 types.
const PARAMS: LargePdbParams = { modules: 600, procsPerModule: 40, localsPerProc: 20, types: 150_000, noSymbolsEvery: 50 };

describe('reading a large PDB lazily', () => {
  const bytes = buildPdb(largePdbSpec(PARAMS));

  it('is large', () => {
    expect(bytes.length).toBeGreaterThan(25 * 1024 * 1024);
  });

  it('opens and names one address reading under 5 % of the file', async () => {
    const src = new RecordingSource(new Uint8ArraySource(bytes, 'large.pdb'));
    const pdb = await openPdb(src);
    const opened = src.bytesRead;
    const [probe] = largePdbProbes(PARAMS, 1, 7);
    const r = await pdb.lookup(probe!.rva);
    expect(r?.levels.at(-1)?.name).toBe(probe!.name);
    expect(opened / bytes.length).toBeLessThan(0.01);
    expect(src.bytesRead / bytes.length).toBeLessThan(0.05);
  });

  // Each lookup in a module not seen before reads that module's symbol records and line
  // subsection headers (~30 KB here), so 64 lookups in 64 modules read ~7 % of this 30 MB file
  // (~2 % of the benchmark's 100 MB one).
  it('names 64 addresses all over the file, each as it must be, each reading under 1 % of it', async () => {
    const src = new RecordingSource(new Uint8ArraySource(bytes, 'large.pdb'));
    const pdb = await openPdb(src);
    const probes = largePdbProbes(PARAMS, 64, 3);
    let perLookupMax = 0;
    for (const p of probes) {
      const before = src.bytesRead;
      const r = await pdb.lookup(p.rva);
      perLookupMax = Math.max(perLookupMax, src.bytesRead - before);
      expect(r, `0x${p.rva.toString(16)}`).not.toBeNull();
      expect(r!.from).toBe(p.from);
      expect(r!.levels.length).toBe(p.levels);
      expect(r!.levels.at(-1)!.name).toBe(p.name);
    }
    expect(probes.some((p) => p.from === 'public')).toBe(true);
    expect(probes.some((p) => p.levels === 3)).toBe(true);
    expect(perLookupMax / bytes.length).toBeLessThan(0.01);
    expect(src.bytesRead / bytes.length).toBeLessThan(0.1);
    expect(pdb.warnings).toEqual([]);
  });
});
