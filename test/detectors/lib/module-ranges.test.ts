// The address → module index answers what a scan of the list answers (the first module in list
// order whose range holds the address), for disjoint, overlapping, nested, empty and duplicate
// ranges, and answers in log time whatever the overlaps.
import { expect, it } from 'vitest';
import type { Module } from '../../../src/engine/core/dump-model.ts';
import { ModuleRanges } from '../../../src/detectors/lib/module-ranges.ts';
import { cpuMs } from '../../lib/cpu-time.ts';
import { createRng } from '../../../fuzz/rng.ts';

const mod = (name: string, base: bigint, size: bigint): Module => ({ name, path: null, base: `0x${base.toString(16)}`, size: `0x${size.toString(16)}`, version: null, timestamp: null, pdb: null });

function scan(modules: Module[], a: bigint): Module | null {
  for (const m of modules) if (a >= BigInt(m.base) && a < BigInt(m.base) + BigInt(m.size)) return m;
  return null;
}

it('answers as a scan of the list does, on random overlapping lists', () => {
  const rng = createRng(15);
  for (let round = 0; round < 200; round++) {
    const n = rng.int(0, 40);
    const modules = Array.from({ length: n }, (_, i) => mod(`m${i}`, BigInt(rng.int(0, 200)), BigInt(rng.chance(0.1) ? 0 : rng.int(1, 80))));
    const index = ModuleRanges.of(modules);
    for (let a = -2; a < 300; a++) expect(index.at(BigInt(a))?.name ?? null, `round ${round} address ${a}`).toBe(scan(modules, BigInt(a))?.name ?? null);
  }
});

it('handles 64-bit addresses and the ends of ranges', () => {
  const modules = [mod('hi', 0xffff_ffff_0000_0000n, 0xffff_0000n), mod('lo', 0x400000n, 0x1000n)];
  const index = ModuleRanges.of(modules);
  expect(index.at(0xffff_ffff_0000_0000n)?.name).toBe('hi');
  expect(index.at(0xffff_ffff_ffff_0000n)).toBeNull();
  expect(index.at(0x400fffn)?.name).toBe('lo');
  expect(index.at(0x401000n)).toBeNull();
});

it('costs what the list holds, even when every range holds every address', () => {
  const n = 100_000;
  const nested = Array.from({ length: n }, (_, i) => mod(`m${i}`, BigInt(i), BigInt(2 * n - 2 * i)));
  let index: ModuleRanges | undefined;
  const build = cpuMs(() => (index = ModuleRanges.of(nested)));
  const ask = cpuMs(() => {
    for (let a = 0; a < n; a++) index!.at(BigInt(a * 2));
  });
  expect(index!.at(BigInt(n))?.name).toBe('m0');
  // A scan per question would be 10^10 steps: minutes. Generous backstops, in CPU time.
  expect(build).toBeLessThan(3000);
  expect(ask).toBeLessThan(3000);
});
