// What every decoded CONTEXT has, whatever the CPU: the register file by conventional names,
// which registers the record's flags vouch for, and pc/sp/fp for stack walkers.

export interface CpuContextBase<A extends string, R extends string> {
  arch: A;
  /** ContextFlags as written (CPU bit | CONTROL | INTEGER | …). */
  flags: number;
  /** Size of the record in the dump; above the fixed size when XSTATE data follows. */
  size: number;
  /** The record carries XSTATE data (AVX, CET…) after the fixed part; it is not decoded. */
  hasXState: boolean;
  /** Every register of the fixed part, valid or not. */
  regs: Readonly<Record<R, bigint>>;
  /** Registers whose group the flags mark as captured (CONTEXT_CONTROL, CONTEXT_INTEGER…). */
  valid: ReadonlySet<R>;
  /** Instruction, stack and frame pointers (eip/esp/ebp, rip/rsp/rbp, pc/sp/fp). */
  pc: bigint;
  sp: bigint;
  fp: bigint;
  /** The fixed part's bytes, for fields not decoded here. */
  raw: Uint8Array;
}

export function validSet<R extends string>(flags: number, groups: ReadonlyArray<readonly [number, readonly R[]]>): Set<R> {
  const out = new Set<R>();
  for (const [bit, names] of groups) if ((flags & bit) !== 0) for (const n of names) out.add(n);
  return out;
}
