// UNWIND_INFO, the x64 description of a function's prolog that .pdata points at:
//   byte 0: version (bits 0-2) | flags (bits 3-7)   byte 1: size of prolog
//   byte 2: count of 16-bit code slots               byte 3: frame register | scaled offset << 4
//   slots[count], padded to an even count; then either a chained RUNTIME_FUNCTION
//   (UNW_FLAG_CHAININFO) or an exception handler RVA (EHANDLER/UHANDLER).
// Codes are listed in reverse prolog order, which is the order an unwinder applies them.
// Decoding is separate from applying (unwind/amd64.ts) so that a test can check each code.
import type { ImageReader } from './image-reader.ts';
import { u16, u32 } from '../io/little-endian.ts';
import type { RuntimeFunction } from './pdata.ts';

export const UNW_FLAG_EHANDLER = 1;
export const UNW_FLAG_UHANDLER = 2;
export const UNW_FLAG_CHAININFO = 4;

/** How many chained infos a walk follows; real chains are one or two deep, a loop is corruption. */
export const MAX_UNWIND_CHAIN = 32;

/** Registers as unwind codes number them (the x64 ModRM order). */
export const AMD64_GPR_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'] as const;
export type Amd64Gpr = (typeof AMD64_GPR_NAMES)[number];

/** One decoded unwind code. `codeOffset` is the prolog offset just past the instruction it describes. */
export type UnwindCode =
  | { op: 'UWOP_PUSH_NONVOL'; codeOffset: number; register: number }
  | { op: 'UWOP_ALLOC_LARGE' | 'UWOP_ALLOC_SMALL'; codeOffset: number; size: number }
  | { op: 'UWOP_SET_FPREG'; codeOffset: number }
  | { op: 'UWOP_SAVE_NONVOL' | 'UWOP_SAVE_NONVOL_FAR'; codeOffset: number; register: number; offset: number }
  | { op: 'UWOP_SAVE_XMM128' | 'UWOP_SAVE_XMM128_FAR'; codeOffset: number; register: number; offset: number }
  | { op: 'UWOP_PUSH_MACHFRAME'; codeOffset: number; errorCode: boolean }
  // Version 1's 64-bit XMM saves (op 6 and 7 there); they touch no integer register.
  | { op: 'UWOP_SAVE_XMM' | 'UWOP_SAVE_XMM_FAR'; codeOffset: number; register: number; offset: number }
  // Version 2 only: where the epilogs are. They change nothing when unwinding a prolog.
  | { op: 'UWOP_EPILOG'; codeOffset: number; info: number };

export interface UnwindInfo {
  rva: number;
  version: 1 | 2;
  flags: number;
  sizeOfProlog: number;
  /** 0 = no frame register; otherwise an index into AMD64_GPR_NAMES. */
  frameRegister: number;
  /** Offset of the frame register from RSP after the prolog, in bytes (already scaled by 16). */
  frameOffset: number;
  codes: UnwindCode[];
  /** Version 2: epilog ranges as [begin, end) RVAs, when the codes describe them. */
  epilogs: { begin: number; end: number }[];
  /** The parent function entry when UNW_FLAG_CHAININFO is set. */
  chained: RuntimeFunction | null;
  handler: number | null;
}

export type UnwindInfoResult = { ok: true; info: UnwindInfo } | { ok: false; message: string };

/**
 * Decodes the UNWIND_INFO at `rva`. `fn` is the RUNTIME_FUNCTION that points at it (needed to
 * place version-2 epilogs, which are counted back from the function's end).
 */
export async function readUnwindInfo(reader: ImageReader, rva: number, fn: RuntimeFunction): Promise<UnwindInfoResult> {
  const head = await reader.read(rva, 4);
  if (!head) return { ok: false, message: `unwind info at 0x${rva.toString(16)} not available` };
  const version = head[0]! & 7;
  const flags = head[0]! >> 3;
  if (version !== 1 && version !== 2) return { ok: false, message: `unwind info at 0x${rva.toString(16)} has unknown version ${version}` };
  const count = head[2]!;
  const slotsBytes = ((count + 1) & ~1) * 2;
  // The trailer is read with the codes when it is there; the count is one byte, so this is small.
  const trailer = (flags & UNW_FLAG_CHAININFO) !== 0 ? 12 : (flags & (UNW_FLAG_EHANDLER | UNW_FLAG_UHANDLER)) !== 0 ? 4 : 0;
  const body = await reader.read(rva + 4, slotsBytes + trailer);
  if (!body) return { ok: false, message: `unwind codes at 0x${(rva + 4).toString(16)} not available` };

  const codes: UnwindCode[] = [];
  const epilogs: { begin: number; end: number }[] = [];
  let epilogSize = -1;
  for (let i = 0; i < count; ) {
    const codeOffset = body[i * 2]!;
    const op = body[i * 2 + 1]! & 0x0f;
    const info = body[i * 2 + 1]! >> 4;
    const need = (slots: number): boolean => i + slots <= count;
    const slot = (k: number): number => u16(body, (i + k) * 2);
    const slot32 = (): number => u32(body, (i + 1) * 2);
    let slots = 1;
    switch (op) {
      case 0:
        codes.push({ op: 'UWOP_PUSH_NONVOL', codeOffset, register: info });
        break;
      case 1:
        if (info === 0) {
          slots = 2;
          if (!need(slots)) break;
          codes.push({ op: 'UWOP_ALLOC_LARGE', codeOffset, size: slot(1) * 8 });
        } else if (info === 1) {
          slots = 3;
          if (!need(slots)) break;
          codes.push({ op: 'UWOP_ALLOC_LARGE', codeOffset, size: slot32() });
        } else return { ok: false, message: `UWOP_ALLOC_LARGE with op info ${info} at 0x${rva.toString(16)}` };
        break;
      case 2:
        codes.push({ op: 'UWOP_ALLOC_SMALL', codeOffset, size: info * 8 + 8 });
        break;
      case 3:
        codes.push({ op: 'UWOP_SET_FPREG', codeOffset });
        break;
      case 4:
        slots = 2;
        if (need(slots)) codes.push({ op: 'UWOP_SAVE_NONVOL', codeOffset, register: info, offset: slot(1) * 8 });
        break;
      case 5:
        slots = 3;
        if (need(slots)) codes.push({ op: 'UWOP_SAVE_NONVOL_FAR', codeOffset, register: info, offset: slot32() });
        break;
      case 6:
        if (version === 1) {
          slots = 2;
          if (need(slots)) codes.push({ op: 'UWOP_SAVE_XMM', codeOffset, register: info, offset: slot(1) * 8 });
        } else {
          // One slot each (as LLVM writes and ReactOS reads them). The first gives the epilog
          // size and, with bit 0 of its info, an epilog that ends the function; the others give
          // offsets back from the function's end (low 8 bits here, high 4 in the info); an
          // all-zero one is padding.
          codes.push({ op: 'UWOP_EPILOG', codeOffset, info });
          if (epilogSize < 0) {
            epilogSize = codeOffset;
            if ((info & 1) !== 0 && epilogSize > 0) epilogs.push({ begin: fn.end - epilogSize, end: fn.end });
          } else {
            const back = codeOffset | (info << 8);
            if (back !== 0 && epilogSize > 0) epilogs.push({ begin: fn.end - back, end: fn.end - back + epilogSize });
          }
        }
        break;
      case 7:
        slots = 3;
        if (version === 1) {
          if (need(slots)) codes.push({ op: 'UWOP_SAVE_XMM_FAR', codeOffset, register: info, offset: slot32() });
        } else return { ok: false, message: `reserved unwind code 7 at 0x${rva.toString(16)}` };
        break;
      case 8:
        slots = 2;
        if (need(slots)) codes.push({ op: 'UWOP_SAVE_XMM128', codeOffset, register: info, offset: slot(1) * 16 });
        break;
      case 9:
        slots = 3;
        if (need(slots)) codes.push({ op: 'UWOP_SAVE_XMM128_FAR', codeOffset, register: info, offset: slot32() });
        break;
      case 10:
        codes.push({ op: 'UWOP_PUSH_MACHFRAME', codeOffset, errorCode: info !== 0 });
        break;
      default:
        return { ok: false, message: `unknown unwind code ${op} at 0x${rva.toString(16)}` };
    }
    if (!need(slots)) return { ok: false, message: `unwind code ${op} at 0x${rva.toString(16)} runs past its ${count} slots` };
    i += slots;
  }

  let chained: RuntimeFunction | null = null;
  let handler: number | null = null;
  if ((flags & UNW_FLAG_CHAININFO) !== 0) {
    chained = { begin: u32(body, slotsBytes), end: u32(body, slotsBytes + 4), unwindInfo: u32(body, slotsBytes + 8) };
  } else if (trailer === 4) {
    handler = u32(body, slotsBytes);
  }
  return {
    ok: true,
    info: {
      rva,
      version,
      flags,
      sizeOfProlog: head[1]!,
      frameRegister: head[3]! & 0x0f,
      frameOffset: (head[3]! >> 4) * 16,
      codes,
      epilogs,
      chained,
      handler,
    },
  };
}
