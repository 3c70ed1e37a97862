// The ARM64 CONTEXT record (winnt.h, 912 bytes; Breakpad and Crashpad write the same layout,
// "MDRawContextARM64", for Linux, Android and macOS arm64).
import { contextRecord, type CpuContextBase } from './context-common.ts';
import { ARM64_REGISTERS, type Arm64Register } from '../core/registers.ts';

export const ARM64_CONTEXT_SIZE = 912;
/** Through Pc. */
export const ARM64_CONTEXT_MIN_SIZE = 272;
export const CONTEXT_ARM64 = 0x00400000;
export const ARM64_CONTEXT_FLAGS = { control: 0x1, integer: 0x2, floatingPoint: 0x4, debug: 0x8, x18: 0x10 } as const;

export { ARM64_REGISTERS, type Arm64Register } from '../core/registers.ts';

export interface Arm64Context extends CpuContextBase<'arm64', Arm64Register> {
  /** V0-V31 as 128-bit values; empty when the record stops early. */
  v: bigint[];
}

const GROUPS: ReadonlyArray<readonly [number, readonly Arm64Register[]]> = [
  [ARM64_CONTEXT_FLAGS.control, ['fp', 'lr', 'sp', 'pc', 'cpsr']],
  [ARM64_CONTEXT_FLAGS.integer, ARM64_REGISTERS.slice(0, 29)],
  [ARM64_CONTEXT_FLAGS.floatingPoint, ['fpcr', 'fpsr']],
];

export function decodeArm64Context(bytes: Uint8Array, label = 'ARM64 CONTEXT'): Arm64Context {
  const { r, fixed, base } = contextRecord(bytes, label, {
    arch: 'arm64', name: 'ARM64', minSize: ARM64_CONTEXT_MIN_SIZE, size: ARM64_CONTEXT_SIZE, flagsAt: 0, groups: GROUPS,
  });
  const regs = {} as Record<Arm64Register, bigint>;
  regs.cpsr = BigInt(r.u32(4));
  // X0..X28, then Fp (X29) and Lr (X30): 31 consecutive u64 from offset 8.
  for (let i = 0; i < 31; i++) {
    const name = (i === 29 ? 'fp' : i === 30 ? 'lr' : `x${i}`) as Arm64Register;
    regs[name] = r.u64(8 + i * 8);
  }
  regs.sp = r.u64(256);
  regs.pc = r.u64(264);
  const hasFloat = fixed.length >= 792;
  regs.fpcr = hasFloat ? BigInt(r.u32(784)) : 0n;
  regs.fpsr = hasFloat ? BigInt(r.u32(788)) : 0n;
  const v: bigint[] = [];
  if (fixed.length >= 784) for (let i = 0; i < 32; i++) v.push(r.u128(272 + i * 16));
  return {
    ...base(regs, 'pc', 'sp', 'fp', false),
    v,
  };
}
