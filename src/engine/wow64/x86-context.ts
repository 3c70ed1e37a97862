// WOW64_CONTEXT (winnt.h; the same 716-byte layout as the i386 CONTEXT): ContextFlags, the
// debug registers, the 112-byte FLOATING_SAVE_AREA, then segment, integer and control
// registers, then 512 bytes of FXSAVE data. Only the registers a stack walk or a reader needs
// are decoded here.
import { hex } from '../model/hex.ts';
import type { Hex } from '../model/schema.ts';

export const WOW64_CONTEXT_SIZE = 716;
/** CONTEXT_i386: set in ContextFlags of every i386 context record. */
export const CONTEXT_I386 = 0x10000;

const OFF = {
  contextFlags: 0x00,
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
} as const;

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
  if (bytes.length < 0xcc) throw new RangeError(`WOW64_CONTEXT needs 0xcc bytes, got ${bytes.length}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = (at: number): bigint => BigInt(v.getUint32(at, true));
  return {
    contextFlags: r(OFF.contextFlags),
    eip: r(OFF.eip),
    esp: r(OFF.esp),
    ebp: r(OFF.ebp),
    eax: r(OFF.eax),
    ebx: r(OFF.ebx),
    ecx: r(OFF.ecx),
    edx: r(OFF.edx),
    esi: r(OFF.esi),
    edi: r(OFF.edi),
    eflags: r(OFF.eflags),
    cs: r(OFF.cs) & 0xffffn,
    ss: r(OFF.ss) & 0xffffn,
    ds: r(OFF.ds) & 0xffffn,
    es: r(OFF.es) & 0xffffn,
    fs: r(OFF.fs) & 0xffffn,
    gs: r(OFF.gs) & 0xffffn,
  };
}

/** The registers as the model's `x86Registers` record ("eip" → "0x7d4e2366"). */
export function x86RegisterRecord(ctx: X86Context): Record<string, Hex> {
  const out: Record<string, Hex> = {};
  for (const name of ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'eip', 'esp', 'ebp', 'eflags', 'cs', 'ss', 'ds', 'es', 'fs', 'gs'] as const) {
    out[name] = hex(ctx[name]);
  }
  return out;
}
