// Stack scanning, the last resort of both walkers: read the stack upwards from the callee's
// stack pointer and take the first value that looks like a return address. The frames it
// finds are guesses (a stale return address left in a dead frame passes every test), so they
// carry trust 'scan' and the page shows them as less certain.
//
// What "looks like a return address" means here is stricter than module membership alone:
//   1. a loaded module holds it (and on x64 it is canonical and not zero);
//   2. when the module's image is known, it lies in an executable section;
//   3. the bytes just before it decode as a CALL (see call-instruction.ts).
// Breakpad and rust-minidump stop at 1–2 (with symbols they also ask for a function there);
// without symbols, 3 is what keeps pointers to code (vtables, callbacks, saved handlers) off
// the stack trace. The code bytes come from the supplied image, or from dump memory; when
// neither has them the value is "unverified".
//
// An unverified value is taken only where the caller allows it: everywhere when the limits say
// `acceptUnverified` (Breakpad's rule, kept for tests and comparisons), or inside a `LooseWindow`
// the x64 walker opens when the frame it unwinds has no code at hand (amd64.ts): a short run of
// slots near the stack pointer, optionally only slots where the ABI lets a return address sit.
import type { PeImage } from '../pe/pe-image.ts';
import { endsWithCall } from './call-instruction.ts';
import { isCanonical64, readPointer } from './stack-memory.ts';
import type { UnwindEnv, UnwindLimits } from './types.ts';

export type ReturnAddressCheck = 'call-verified' | 'unverified' | 'rejected';

// The longest CALL form checked is 7 bytes.
const CALL_WINDOW = 7;

async function bytesBefore(address: bigint, image: PeImage | null, base: bigint, env: UnwindEnv): Promise<Uint8Array | null> {
  const start = address - BigInt(CALL_WINDOW);
  if (start < base) return null;
  if (image) {
    const fromImage = await image.read(Number(start - base), CALL_WINDOW);
    if (fromImage) return fromImage;
  }
  return env.memory.read(start, CALL_WINDOW);
}

/** Applies rules 1–3 above to one candidate value. */
export async function checkReturnAddress(address: bigint, env: UnwindEnv, arch: 'x86' | 'amd64'): Promise<ReturnAddressCheck> {
  if (address === 0n) return 'rejected';
  if (arch === 'amd64' ? !isCanonical64(address) : address > 0xffff_ffffn) return 'rejected';
  const module = env.moduleAt(address);
  if (!module) return 'rejected';
  const image = await module.image();
  if (image && !image.isExecutable(Number(address - module.base))) return 'rejected';
  const before = await bytesBefore(address, image, module.base, env);
  if (!before) return 'unverified';
  return endsWithCall(before, arch) ? 'call-verified' : 'rejected';
}

export function acceptable(check: ReturnAddressCheck, limits: UnwindLimits): boolean {
  return check === 'call-verified' || (check === 'unverified' && limits.acceptUnverified);
}

/** Where an unverified value may be taken from (see the top of this file). */
export interface LooseWindow {
  /** The first slot an unverified value may sit in. */
  from: bigint;
  /** The first slot past the window. */
  to: bigint;
  /** Only slots at 8 mod 16, where a CALL made with a 16-byte aligned RSP leaves its return address. */
  aligned: boolean;
}

// A PE image's first page holds its headers: the loader maps sections page-aligned so that code
// and data get their own protections, so no code, and no return address, lies below RVA 0x1000.
// A value there is most often the module's base itself (an HMODULE/HINSTANCE kept in a local).
const PE_HEADER_PAGE = 0x1000n;

function looseAccepts(value: bigint, slot: bigint, loose: LooseWindow | undefined, env: UnwindEnv): boolean {
  if (!loose || slot < loose.from || slot >= loose.to) return false;
  if (loose.aligned && slot % 16n !== 8n) return false;
  const module = env.moduleAt(value);
  return module !== null && value - module.base >= PE_HEADER_PAGE;
}

export interface ScanHit {
  /** The return address found. */
  ip: bigint;
  /** Where it was on the stack. */
  slot: bigint;
  /** How many words above the start it was. */
  words: number;
  check: ReturnAddressCheck;
}

/**
 * The first acceptable return address at or above `sp`, within `maxWords` words (or to the end
 * of `loose`, if further) and within the captured memory range that holds `sp` (a scan never
 * walks off the thread's stack).
 * `skip` is a value never taken: the walkers pass frame 0's own instruction pointer. A thread
 * that captured its own context (RtlCaptureContext before raising, getcontext in a dump
 * requested from inside) stands just after a CALL, and the CONTEXT copy it keeps in its own
 * frame holds that very address, which passes every check; taking it would repeat frame 0.
 */
export async function scanForReturnAddress(
  sp: bigint,
  env: UnwindEnv,
  arch: 'x86' | 'amd64',
  maxWords: number,
  limits: UnwindLimits,
  skip?: bigint,
  loose?: LooseWindow,
): Promise<ScanHit | null> {
  const width = arch === 'amd64' ? 8 : 4;
  const range = env.memory.rangeAt(sp);
  if (!range) return null;
  const available = (range.base + range.size - sp) / BigInt(width);
  const looseWords = loose && loose.to > sp ? (loose.to - sp) / BigInt(width) : 0n;
  const wanted = looseWords > BigInt(maxWords) ? looseWords : BigInt(maxWords);
  const words = Number(available < wanted ? available : wanted);
  if (words <= 0) return null;
  const block = await env.memory.read(sp, words * width);
  const view = block ? new DataView(block.buffer, block.byteOffset, block.byteLength) : null;
  for (let i = 0; i < words; i++) {
    if (limits.signal?.aborted) return null;
    const slot = sp + BigInt(i * width);
    const value = view
      ? width === 8
        ? view.getBigUint64(i * 8, true)
        : BigInt(view.getUint32(i * 4, true))
      : await readPointer(env.memory, slot, width);
    if (value === null) return null;
    if (value === skip) continue;
    const check = await checkReturnAddress(value, env, arch);
    const taken = (i < maxWords && acceptable(check, limits)) || (check === 'unverified' && looseAccepts(value, slot, loose, env));
    if (taken) return { ip: value, slot, words: i, check };
  }
  return null;
}
