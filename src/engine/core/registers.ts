// The register names of each CPU, as the CONTEXT decoders, the stack walkers, the WOW64 reader
// and the model's `registers` record spell them. One list per CPU: a walker's register set is
// a subset of its CPU's list, so a decoded context passes to a walker without a cast.

export const AMD64_REGISTERS = [
  'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15',
  'rip', 'eflags', 'cs', 'ds', 'es', 'fs', 'gs', 'ss', 'mxcsr',
  'dr0', 'dr1', 'dr2', 'dr3', 'dr6', 'dr7',
] as const;
export type Amd64Register = (typeof AMD64_REGISTERS)[number];

/** In the order WinDbg's `r` prints them: integer, control, then segment and debug registers. */
export const X86_REGISTERS = [
  'eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'eip', 'esp', 'ebp', 'eflags',
  'cs', 'ss', 'ds', 'es', 'fs', 'gs', 'dr0', 'dr1', 'dr2', 'dr3', 'dr6', 'dr7',
] as const;
export type X86Register = (typeof X86_REGISTERS)[number];

export const ARM64_REGISTERS = [
  'x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9', 'x10', 'x11', 'x12', 'x13', 'x14',
  'x15', 'x16', 'x17', 'x18', 'x19', 'x20', 'x21', 'x22', 'x23', 'x24', 'x25', 'x26', 'x27', 'x28',
  'fp', 'lr', 'sp', 'pc', 'cpsr', 'fpcr', 'fpsr',
] as const;
export type Arm64Register = (typeof ARM64_REGISTERS)[number];

/** x64 registers for a stack walk; only rip and rsp are required. Absent means unknown. */
export type Amd64Registers = { rip: bigint; rsp: bigint } & Partial<Record<Amd64Register, bigint>>;

/** x86 registers for a stack walk (32-bit values held as bigint); eip and esp required. */
export type X86Registers = { eip: bigint; esp: bigint } & Partial<Record<X86Register, bigint>>;
