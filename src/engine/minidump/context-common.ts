// What every decoded CONTEXT has, whatever the CPU: the register file by conventional names,
// which registers the record's flags vouch for, and pc/sp/fp for stack walkers.
import { BinaryReader } from '../io/binary-reader.ts';
import { DumpError } from '../core/errors.ts';

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

/**
 * The parts of a CONTEXT every CPU's decoder starts from: the record checked against the CPU's
 * minimum size, its fixed part (XSTATE data after it is not decoded), the flags-derived set of
 * valid registers, and the common fields of the result.
 */
export function contextRecord<A extends string, R extends string>(
  bytes: Uint8Array,
  label: string,
  cpu: { arch: A; name: string; minSize: number; size: number; flagsAt: number; groups: ReadonlyArray<readonly [number, readonly R[]]> },
): { r: BinaryReader; fixed: Uint8Array; base: (regs: Record<R, bigint>, pc: R, sp: R, fp: R, hasXState: boolean) => CpuContextBase<A, R> } {
  if (bytes.length < cpu.minSize) {
    throw new DumpError('corrupt', `${label}: ${bytes.length} bytes, an ${cpu.name} CONTEXT needs at least ${cpu.minSize}`);
  }
  const fixed = bytes.subarray(0, Math.min(bytes.length, cpu.size));
  const r = new BinaryReader(fixed, label);
  const flags = r.u32(cpu.flagsAt);
  const base = (regs: Record<R, bigint>, pc: R, sp: R, fp: R, hasXState: boolean): CpuContextBase<A, R> => ({
    arch: cpu.arch,
    flags,
    size: bytes.length,
    hasXState,
    regs,
    valid: validSet(flags, cpu.groups),
    pc: regs[pc],
    sp: regs[sp],
    fp: regs[fp],
    raw: fixed,
  });
  return { r, fixed, base };
}
