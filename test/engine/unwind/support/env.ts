// An UnwindEnv for tests: fake memory holding a stack and images, and a module index over it.
import { createModuleIndex, type ModuleDescriptor, type ModuleIndex } from '../../../../src/engine/unwind/module-index.ts';
import type { UnwindEnv } from '../../../../src/engine/unwind/types.ts';
import { SyntheticAddressSpace } from '../../../synth/memory-space.ts';

export function makeEnv(regions: { base: bigint; bytes: Uint8Array }[], modules: ModuleDescriptor[]): UnwindEnv & { index: ModuleIndex; memory: SyntheticAddressSpace } {
  const memory = new SyntheticAddressSpace();
  for (const r of regions) memory.add(r.base, r.bytes);
  const index = createModuleIndex(modules, memory);
  return { memory, index, moduleAt: (a) => index.moduleAt(a) };
}

/** .text bytes: int3 everywhere, with instruction bytes placed at given offsets from the section start. */
export function textBytes(size: number, patches: Record<number, number[]>): Uint8Array {
  const out = new Uint8Array(size).fill(0xcc);
  for (const [at, bytes] of Object.entries(patches)) out.set(bytes, Number(at));
  return out;
}

/** A `call rel32` ending at `returnOffset` (so `returnOffset` is a genuine return address). */
export function callBefore(returnOffset: number): Record<number, number[]> {
  return { [returnOffset - 5]: [0xe8, 0x10, 0x20, 0x00, 0x00] };
}
