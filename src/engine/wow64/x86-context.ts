// WOW64_CONTEXT (winnt.h; the same 716-byte layout as the i386 CONTEXT): ContextFlags, the
// debug registers, the 112-byte FLOATING_SAVE_AREA, then segment, integer and control
// registers, then 512 bytes of FXSAVE data. The record is decoded by the minidump layer's
// x86 CONTEXT reader; this keeps the registers a stack walk or a reader needs, as bigints.
import { CONTEXT_X86, decodeX86Context, X86_CONTEXT_MIN_SIZE, X86_CONTEXT_SIZE } from '../minidump/context-x86.ts';
import { hex } from '../core/hex.ts';
import type { Hex } from '../core/dump-model.ts';
import { X86_REGISTERS } from '../core/registers.ts';

export const WOW64_CONTEXT_SIZE = X86_CONTEXT_SIZE;
/** CONTEXT_i386: set in ContextFlags of every i386 context record. */
export const CONTEXT_I386 = CONTEXT_X86;

export interface X86Context {
  contextFlags: bigint;
  eip: bigint;
  esp: bigint;
  ebp: bigint;
  eax: bigint;
  ebx: bigint;
  ecx: bigint;
  edx: bigint;
  esi: bigint;
  edi: bigint;
  eflags: bigint;
  cs: bigint;
  ss: bigint;
  ds: bigint;
  es: bigint;
  fs: bigint;
  gs: bigint;
}

/** Decodes the fixed registers of a WOW64_CONTEXT; `bytes` must hold at least 0xcc bytes. */
export function decodeWow64Context(bytes: Uint8Array): X86Context {
  if (bytes.length < X86_CONTEXT_MIN_SIZE) throw new RangeError(`WOW64_CONTEXT needs 0xcc bytes, got ${bytes.length}`);
  const { flags, regs: r } = decodeX86Context(bytes, 'WOW64_CONTEXT');
  // Segment selectors are 16 bits stored in 32-bit slots; the upper half is whatever was there.
  return {
    contextFlags: BigInt(flags),
    eip: r.eip,
    esp: r.esp,
    ebp: r.ebp,
    eax: r.eax,
    ebx: r.ebx,
    ecx: r.ecx,
    edx: r.edx,
    esi: r.esi,
    edi: r.edi,
    eflags: r.eflags,
    cs: r.cs & 0xffffn,
    ss: r.ss & 0xffffn,
    ds: r.ds & 0xffffn,
    es: r.es & 0xffffn,
    fs: r.fs & 0xffffn,
    gs: r.gs & 0xffffn,
  };
}

/** The registers as the model's `x86Registers` record ("eip" → "0x7d4e2366"). */
export function x86RegisterRecord(ctx: X86Context): Record<string, Hex> {
  const out: Record<string, Hex> = {};
  for (const name of X86_REGISTERS) {
    const value = name in ctx ? ctx[name as keyof X86Context] : undefined;
    if (value !== undefined) out[name] = hex(value);
  }
  return out;
}
