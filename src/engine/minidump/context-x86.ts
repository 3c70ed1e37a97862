// The x86 CONTEXT record (winnt.h, 716 bytes; Breakpad's MDRawContextX86 is the same layout).
// Dumps written with XSTATE (AVX, CET shadow stack) append a CONTEXT_EX and the XSAVE area after
// the fixed part; we read the fixed part and leave the rest.
import { contextRecord, type CpuContextBase } from './context-common.ts';
import { X86_REGISTERS, type X86Register } from '../core/registers.ts';

export const X86_CONTEXT_SIZE = 716;
/** Without ExtendedRegisters (the FXSAVE area) the record is 204 bytes; some old writers stop there. */
export const X86_CONTEXT_MIN_SIZE = 204;
export const CONTEXT_X86 = 0x00010000;
export const X86_CONTEXT_FLAGS = {
  control: 0x1,
  integer: 0x2,
  segments: 0x4,
  floatingPoint: 0x8,
  debugRegisters: 0x10,
  extendedRegisters: 0x20,
  xstate: 0x40,
} as const;

export { X86_REGISTERS, type X86Register } from '../core/registers.ts';

export interface X86FloatSave {
  controlWord: number;
  statusWord: number;
  tagWord: number;
  errorOffset: number;
  errorSelector: number;
  dataOffset: number;
  dataSelector: number;
  /** The eight 80-bit x87 registers, packed. */
  registerArea: Uint8Array;
  cr0NpxState: number;
}

export interface X86Context extends CpuContextBase<'x86', X86Register> {
  floatSave: X86FloatSave;
  /** FXSAVE area (512 bytes; XMM0-7 at offset 160); empty in a 204-byte context. */
  extendedRegisters: Uint8Array;
}

// Register offsets in the record.
const OFFSETS: Readonly<Record<X86Register, number>> = {
  dr0: 4, dr1: 8, dr2: 12, dr3: 16, dr6: 20, dr7: 24,
  gs: 140, fs: 144, es: 148, ds: 152,
  edi: 156, esi: 160, ebx: 164, edx: 168, ecx: 172, eax: 176,
  ebp: 180, eip: 184, cs: 188, eflags: 192, esp: 196, ss: 200,
};

const GROUPS: ReadonlyArray<readonly [number, readonly X86Register[]]> = [
  [X86_CONTEXT_FLAGS.control, ['ebp', 'eip', 'cs', 'eflags', 'esp', 'ss']],
  [X86_CONTEXT_FLAGS.integer, ['edi', 'esi', 'ebx', 'edx', 'ecx', 'eax']],
  [X86_CONTEXT_FLAGS.segments, ['gs', 'fs', 'es', 'ds']],
  [X86_CONTEXT_FLAGS.debugRegisters, ['dr0', 'dr1', 'dr2', 'dr3', 'dr6', 'dr7']],
];

/**
 * Decodes an x86 CONTEXT. Also usable on bytes read from process memory (the WOW64 context a
 * 64-bit dump keeps in the thread's TLS).
 */
export function decodeX86Context(bytes: Uint8Array, label = 'x86 CONTEXT'): X86Context {
  const { r, fixed, base } = contextRecord(bytes, label, {
    arch: 'x86', name: 'x86', minSize: X86_CONTEXT_MIN_SIZE, size: X86_CONTEXT_SIZE, flagsAt: 0, groups: GROUPS,
  });
  const flags = r.u32(0);
  const regs = {} as Record<X86Register, bigint>;
  for (const name of X86_REGISTERS) regs[name] = BigInt(r.u32(OFFSETS[name]));
  return {
    ...base(regs, 'eip', 'esp', 'ebp', (flags & X86_CONTEXT_FLAGS.xstate) !== 0 && bytes.length > X86_CONTEXT_SIZE),
    floatSave: {
      controlWord: r.u32(28),
      statusWord: r.u32(32),
      tagWord: r.u32(36),
      errorOffset: r.u32(40),
      errorSelector: r.u32(44),
      dataOffset: r.u32(48),
      dataSelector: r.u32(52),
      registerArea: r.slice(56, 80),
      cr0NpxState: r.u32(136),
    },
    extendedRegisters: fixed.length >= X86_CONTEXT_SIZE ? r.slice(204, 512) : new Uint8Array(0),
  };
}
