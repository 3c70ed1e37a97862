// CONTEXT records as Windows lays them out (winnt.h: CONTEXT for i386 = WOW64_CONTEXT, and the
// AMD64 CONTEXT). Offsets are byte offsets from the start of the record; tests and the WOW64
// writers use the same tables, so a layout mistake shows up as one wrong number in one place.

/** i386 CONTEXT / WOW64_CONTEXT: 716 bytes (0x2cc), 4-byte packed. */
export const X86_CONTEXT_SIZE = 716;

export const X86_CONTEXT_OFFSETS = {
  contextFlags: 0x00,
  dr0: 0x04,
  dr1: 0x08,
  dr2: 0x0c,
  dr3: 0x10,
  dr6: 0x14,
  dr7: 0x18,
  // FLOATING_SAVE_AREA (112 bytes) sits at 0x1c..0x8b.
  floatSave: 0x1c,
  gs: 0x8c,
  fs: 0x90,
  es: 0x94,
  ds: 0x98,
  edi: 0x9c,
  esi: 0xa0,
  ebx: 0xa4,
  edx: 0xa8,
  ecx: 0xac,
  eax: 0xb0,
  ebp: 0xb4,
  eip: 0xb8,
  cs: 0xbc,
  eflags: 0xc0,
  esp: 0xc4,
  ss: 0xc8,
  // ExtendedRegisters[512] (FXSAVE image) at 0xcc..0x2cb.
  extendedRegisters: 0xcc,
} as const;

export type X86Register = Exclude<keyof typeof X86_CONTEXT_OFFSETS, 'floatSave' | 'extendedRegisters'>;

/** CONTEXT_i386 | CONTROL | INTEGER | SEGMENTS | FLOATING_POINT | DEBUG_REGISTERS | EXTENDED_REGISTERS. */
export const CONTEXT_X86_ALL = 0x1003f;
/** CONTEXT_i386 | CONTROL | INTEGER | SEGMENTS. */
export const CONTEXT_X86_FULL = 0x10007;

/** AMD64 CONTEXT: 1232 bytes (0x4d0), 16-byte aligned, starting with the P1Home..P6Home spill slots. */
export const AMD64_CONTEXT_SIZE = 1232;

export const AMD64_CONTEXT_OFFSETS = {
  p1Home: 0x00,
  p2Home: 0x08,
  p3Home: 0x10,
  p4Home: 0x18,
  p5Home: 0x20,
  p6Home: 0x28,
  contextFlags: 0x30, // u32
  mxcsr: 0x34, // u32
  cs: 0x38, // u16
  ds: 0x3a, // u16
  es: 0x3c, // u16
  fs: 0x3e, // u16
  gs: 0x40, // u16
  ss: 0x42, // u16
  eflags: 0x44, // u32
  dr0: 0x48,
  dr1: 0x50,
  dr2: 0x58,
  dr3: 0x60,
  dr6: 0x68,
  dr7: 0x70,
  rax: 0x78,
  rcx: 0x80,
  rdx: 0x88,
  rbx: 0x90,
  rsp: 0x98,
  rbp: 0xa0,
  rsi: 0xa8,
  rdi: 0xb0,
  r8: 0xb8,
  r9: 0xc0,
  r10: 0xc8,
  r11: 0xd0,
  r12: 0xd8,
  r13: 0xe0,
  r14: 0xe8,
  r15: 0xf0,
  rip: 0xf8,
  // XMM_SAVE_AREA32 FltSave (512 bytes) at 0x100; Xmm0 is at FltSave+0xa0.
  fltSave: 0x100,
  // VectorRegister[26] (M128A) at 0x300..0x49f.
  vectorRegister: 0x300,
  vectorControl: 0x4a0,
  debugControl: 0x4a8,
  lastBranchToRip: 0x4b0,
  lastBranchFromRip: 0x4b8,
  lastExceptionToRip: 0x4c0,
  lastExceptionFromRip: 0x4c8,
} as const;

export type Amd64Register = Exclude<keyof typeof AMD64_CONTEXT_OFFSETS, 'fltSave' | 'vectorRegister'>;

const AMD64_U16 = new Set<Amd64Register>(['cs', 'ds', 'es', 'fs', 'gs', 'ss']);
const AMD64_U32 = new Set<Amd64Register>(['contextFlags', 'mxcsr', 'eflags']);

/** CONTEXT_AMD64 | CONTROL | INTEGER | SEGMENTS | FLOATING_POINT | DEBUG_REGISTERS. */
export const CONTEXT_AMD64_ALL = 0x10001f;
/** CONTEXT_AMD64 | CONTROL | INTEGER | FLOATING_POINT. */
export const CONTEXT_AMD64_FULL = 0x10000b;

export type X86ContextSpec = Partial<Record<X86Register, number | bigint>>;
export type Amd64ContextSpec = Partial<Record<Amd64Register, number | bigint>> & {
  /** Bytes to append after the 1232-byte record (XSTATE / CET extensions in newer dumps). */
  extension?: Uint8Array;
};

/**
 * An i386 CONTEXT. Unset registers are zero; ContextFlags defaults to CONTEXT_ALL and the
 * segment registers to the values a 32-bit user thread has (cs 0x23, ss/ds/es 0x2b, fs 0x53).
 */
export function contextX86(regs: X86ContextSpec = {}): Uint8Array {
  const out = new Uint8Array(X86_CONTEXT_SIZE);
  const view = new DataView(out.buffer);
  const values: X86ContextSpec = { contextFlags: CONTEXT_X86_ALL, cs: 0x23, ss: 0x2b, ds: 0x2b, es: 0x2b, fs: 0x53, gs: 0x2b, eflags: 0x202, ...regs };
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const off = X86_CONTEXT_OFFSETS[name as X86Register];
    view.setUint32(off, Number(BigInt.asUintN(32, BigInt(value))), true);
  }
  return out;
}

/** An AMD64 CONTEXT (1232 bytes, plus `extension` if given). Defaults as a 64-bit user thread. */
export function contextAmd64(regs: Amd64ContextSpec = {}): Uint8Array {
  const ext = regs.extension ?? new Uint8Array(0);
  const out = new Uint8Array(AMD64_CONTEXT_SIZE + ext.length);
  out.set(ext, AMD64_CONTEXT_SIZE);
  const view = new DataView(out.buffer);
  const values: Amd64ContextSpec = { contextFlags: CONTEXT_AMD64_ALL, cs: 0x33, ss: 0x2b, ds: 0x2b, es: 0x2b, fs: 0x53, gs: 0x2b, eflags: 0x246, mxcsr: 0x1f80, ...regs };
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || name === 'extension') continue;
    const reg = name as Amd64Register;
    const off = AMD64_CONTEXT_OFFSETS[reg];
    const v = BigInt(value as number | bigint);
    if (AMD64_U16.has(reg)) view.setUint16(off, Number(BigInt.asUintN(16, v)), true);
    else if (AMD64_U32.has(reg)) view.setUint32(off, Number(BigInt.asUintN(32, v)), true);
    else view.setBigUint64(off, BigInt.asUintN(64, v), true);
  }
  return out;
}
