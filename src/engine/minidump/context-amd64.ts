// The AMD64 CONTEXT record (winnt.h, 1232 bytes, 16-byte aligned fields; Breakpad writes the same
// layout for Linux and macOS x86-64). XSTATE dumps (MiniDumpWithAvxXStateContext, CET shadow
// stacks) make it longer; the extra part is not decoded.
import { contextRecord, type CpuContextBase } from './context-common.ts';
import type { Amd64Register } from '../core/registers.ts';

export const AMD64_CONTEXT_SIZE = 1232;
/** Through Rip: enough for a stack walk even without the floating-point area. */
export const AMD64_CONTEXT_MIN_SIZE = 256;
export const CONTEXT_AMD64 = 0x00100000;
export const AMD64_CONTEXT_FLAGS = {
  control: 0x1,
  integer: 0x2,
  segments: 0x4,
  floatingPoint: 0x8,
  debugRegisters: 0x10,
  xstate: 0x40,
} as const;

export { AMD64_REGISTERS, type Amd64Register } from '../core/registers.ts';

export interface Amd64Context extends CpuContextBase<'amd64', Amd64Register> {
  /** XMM0-15 as 128-bit values; empty when the record stops before the FXSAVE area. */
  xmm: bigint[];
  /** The FXSAVE area (XMM_SAVE_AREA32, 512 bytes) or empty. */
  fltSave: Uint8Array;
}

const U64_OFFSETS: ReadonlyArray<readonly [Amd64Register, number]> = [
  ['dr0', 72], ['dr1', 80], ['dr2', 88], ['dr3', 96], ['dr6', 104], ['dr7', 112],
  ['rax', 120], ['rcx', 128], ['rdx', 136], ['rbx', 144], ['rsp', 152], ['rbp', 160], ['rsi', 168], ['rdi', 176],
  ['r8', 184], ['r9', 192], ['r10', 200], ['r11', 208], ['r12', 216], ['r13', 224], ['r14', 232], ['r15', 240],
  ['rip', 248],
];
const U16_OFFSETS: ReadonlyArray<readonly [Amd64Register, number]> = [
  ['cs', 56], ['ds', 58], ['es', 60], ['fs', 62], ['gs', 64], ['ss', 66],
];

const GROUPS: ReadonlyArray<readonly [number, readonly Amd64Register[]]> = [
  [AMD64_CONTEXT_FLAGS.control, ['cs', 'ss', 'rsp', 'rip', 'eflags']],
  [AMD64_CONTEXT_FLAGS.integer, ['rax', 'rcx', 'rdx', 'rbx', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15']],
  [AMD64_CONTEXT_FLAGS.segments, ['ds', 'es', 'fs', 'gs']],
  [AMD64_CONTEXT_FLAGS.floatingPoint, ['mxcsr']],
  [AMD64_CONTEXT_FLAGS.debugRegisters, ['dr0', 'dr1', 'dr2', 'dr3', 'dr6', 'dr7']],
];

export function decodeAmd64Context(bytes: Uint8Array, label = 'AMD64 CONTEXT'): Amd64Context {
  // P1Home..P6Home (48 bytes) are spill slots, not registers: the flags come after them.
  const { r, fixed, base } = contextRecord(bytes, label, {
    arch: 'amd64', name: 'AMD64', minSize: AMD64_CONTEXT_MIN_SIZE, size: AMD64_CONTEXT_SIZE, flagsAt: 48, groups: GROUPS,
  });
  const regs = {} as Record<Amd64Register, bigint>;
  for (const [name, at] of U64_OFFSETS) regs[name] = r.u64(at);
  for (const [name, at] of U16_OFFSETS) regs[name] = BigInt(r.u16(at));
  regs.mxcsr = BigInt(r.u32(52));
  regs.eflags = BigInt(r.u32(68));
  const hasFloat = fixed.length >= 768;
  const xmm: bigint[] = [];
  if (hasFloat) for (let i = 0; i < 16; i++) xmm.push(r.u128(256 + 160 + i * 16));
  const xstate = (r.u32(48) & AMD64_CONTEXT_FLAGS.xstate) !== 0 && bytes.length > AMD64_CONTEXT_SIZE;
  return {
    ...base(regs, 'rip', 'rsp', 'rbp', xstate),
    xmm,
    fltSave: hasFloat ? r.slice(256, 512) : new Uint8Array(0),
  };
}
