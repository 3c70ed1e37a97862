// Picks the CONTEXT decoder for a record. The system info's CPU decides when known; without it
// (a dump missing SystemInfoStream) the record's own CPU flag bits and size decide.
import type { Arch } from '../core/dump-model.ts';
import { DumpError } from '../core/errors.ts';
import { AMD64_CONTEXT_SIZE, CONTEXT_AMD64, decodeAmd64Context, type Amd64Context } from './context-amd64.ts';
import { ARM64_CONTEXT_MIN_SIZE, CONTEXT_ARM64, decodeArm64Context, type Arm64Context } from './context-arm64.ts';
import { CONTEXT_X86, X86_CONTEXT_MIN_SIZE, decodeX86Context, type X86Context } from './context-x86.ts';
import { BinaryReader } from '../io/binary-reader.ts';

export type CpuContext = X86Context | Amd64Context | Arm64Context;

/** Largest CONTEXT read (64 KiB): AVX-512 XSTATE contexts are ~3 KiB, anything near this is corrupt. */
export const MAX_CONTEXT_BYTES = 64 * 1024;

/** The CPU flag bit the record of `arch` should carry in its ContextFlags. */
export function contextCpuFlag(ctx: CpuContext): number {
  return ctx.arch === 'x86' ? CONTEXT_X86 : ctx.arch === 'amd64' ? CONTEXT_AMD64 : CONTEXT_ARM64;
}

/** Guesses the CPU of a record from its flags alone. */
export function guessContextArch(bytes: Uint8Array): Arch {
  const r = new BinaryReader(bytes, 'CONTEXT');
  if (r.has(48, 4) && bytes.length >= AMD64_CONTEXT_SIZE && (r.u32(48) & CONTEXT_AMD64) !== 0) return 'amd64';
  if (r.has(0, 4) && bytes.length >= ARM64_CONTEXT_MIN_SIZE && (r.u32(0) & 0xfff00000) === CONTEXT_ARM64) return 'arm64';
  if (r.has(0, 4) && bytes.length >= X86_CONTEXT_MIN_SIZE && (r.u32(0) & 0xffff0000) === CONTEXT_X86) return 'x86';
  return 'unknown';
}

export function decodeContext(bytes: Uint8Array, arch: Arch | null, label = 'CONTEXT'): CpuContext {
  const cpu = arch === null || arch === 'unknown' ? guessContextArch(bytes) : arch;
  switch (cpu) {
    case 'x86':
      return decodeX86Context(bytes, label);
    case 'amd64':
      return decodeAmd64Context(bytes, label);
    case 'arm64':
      return decodeArm64Context(bytes, label);
    case 'unknown':
      throw new DumpError('unsupported', `${label}: cannot tell the CPU of a ${bytes.length}-byte context`);
    default:
      throw new DumpError('unsupported', `${label}: ${cpu} contexts are not decoded`);
  }
}
