// What the stack walkers take and give. Register sets are plain objects of bigints, kept apart
// from the minidump CONTEXT decoders on purpose: the walkers run on any source of registers
// (a dump thread, a WOW64 context, a test), and the caller maps its context to these.
//
// Supported: x64 (unwind info, STACK CFI from a .sym, frame pointer, scan) and x86 (frame data
// from a PDB or STACK WIN from a .sym, STACK CFI, frame pointer, scan).
// Not supported: ARM64 and ARM. For those the caller keeps frame 0 from the context and
// reports the frames after it as unknown; ARM64 .pdata (packed unwind data) is not read.
import type { AddressSpace } from '../memory/address-space.ts';
import type { FrameTrust, Warning } from '../core/dump-model.ts';
import type { PeImage } from '../pe/pe-image.ts';
import type { SymbolFile } from '../symbols/symbol-file.ts';
import type { SymbolName } from '../symbol-match/symbol-resolver.ts';

/** How a walker found a frame: the subset of the model's FrameTrust that a walk produces. */
export type UnwindTrust = Extract<FrameTrust, 'context' | 'unwind-info' | 'frame-data' | 'cfi' | 'frame-pointer' | 'scan'>;

export interface UnwindModule {
  /** File name or path as the module list holds it ("C:\\Windows\\System32\\ntdll.dll"). */
  name: string;
  base: bigint;
  size: bigint;
  /**
   * The module's PE image, parsed on first call and cached: from a file the user supplied, or
   * from dump memory when the dump captured the image. Null when neither has it.
   */
  image(): Promise<PeImage | null>;
  /**
   * The module's symbol file (a PDB or Breakpad .sym whose identity matches the module's), or
   * null. Absent when the caller has no symbols to offer.
   */
  symbols?(): Promise<SymbolFile | null>;
  /** The names the symbol file gives the code at `rva`, innermost first, or null. */
  symbolNames?(rva: bigint, returnAddress: boolean): Promise<SymbolName[] | null>;
}

export interface ModuleLookup {
  /** The loaded module whose [base, base+size) holds `address`, or null. */
  moduleAt(address: bigint): UnwindModule | null;
}

export interface UnwindEnv extends ModuleLookup {
  /** Dump memory: the stack, and module code when the dump has it. */
  memory: AddressSpace;
}

export interface UnwindLimits {
  /** Frames per thread, frame 0 included. */
  maxFrames: number;
  /**
   * Words scanned for a return address when the callee frame is trustworthy (frame 0, or found
   * by unwind info): the innermost frame is the one most often in an unexpected state, and a
   * long window there is cheap because every candidate must pass the call-site check.
   */
  scanWordsFirst: number;
  /** Words scanned after a frame that was itself a guess (frame pointer, scan). */
  scanWords: number;
  /**
   * Scanning normally accepts only a value whose preceding bytes decode as a CALL. When the
   * module's code is neither in the dump nor supplied, nothing can be checked; true accepts
   * such values on module membership alone (Breakpad's rule), marked in the frame's note.
   */
  acceptUnverified: boolean;
  /**
   * The same, for a return address read through the frame-pointer chain only. Code built for
   * the System V ABI (Linux, macOS, iOS) keeps RBP chains, and its dumps rarely hold module
   * code, so the chain is the one evidence there is; Breakpad and LLDB follow it too. Windows
   * x64 code does not keep RBP as a frame pointer, so this stays off for Windows dumps.
   */
  acceptUnverifiedFramePointer: boolean;
  /**
   * x64 only. When the frame being unwound has no code at hand — its module's image is neither
   * in the dump nor supplied, or it lies in no module — nothing can unwind it exactly, and the
   * scan may take a value on module membership alone, as Breakpad and rust-minidump do, but
   * only near the stack pointer and where the ABI lets a return address sit (amd64.ts,
   * getCallerByScan). Windows dumps turn it on: MiniDumpNormal, the usual kind, holds no module
   * code, and WinDbg gets it from a symbol server, which we cannot reach. System V dumps keep
   * their frame-pointer chain (acceptUnverifiedFramePointer) instead.
   */
  scanWithoutCode: boolean;
  /** Words such a scan reads above frame 0's stack pointer (Breakpad: 4 × 40). */
  looseScanWordsFirst: number;
  /** Words it reads above a later frame's home area (Breakpad: 40). */
  looseScanWords: number;
  /**
   * Frames in a row taken on module membership alone before the walk stops ('cap-scan'). A real
   * stack leaves little room for such a run to go astray (every window starts above the last
   * frame found, so a stale value costs a frame, not the walk); what runs long is a stack pointer
   * into memory that is no stack, a heap full of vtables in a full-memory dump, which would
   * otherwise fill the 256-frame cap with guesses. 64 is a quarter of that cap and nearly twice
   * the longest run on any corpus or fixture dump (35, Windows' own dump writer deep in
   * dbgcore!MiniDumpWriteDump).
   */
  maxLooseRun: number;
  signal?: AbortSignal;
  /**
   * Polled before each frame: true when the analysis has used its time budget. The walk then
   * ends with the frames it has ('cap-time'). See src/engine/core/budget.ts.
   */
  timeUp?: () => boolean;
}

export const DEFAULT_UNWIND_LIMITS: UnwindLimits = {
  maxFrames: 256,
  scanWordsFirst: 1024,
  scanWords: 256,
  acceptUnverified: false,
  acceptUnverifiedFramePointer: false,
  scanWithoutCode: false,
  looseScanWordsFirst: 160,
  looseScanWords: 40,
  maxLooseRun: 64,
};

export type { Amd64Register, Amd64Registers, X86Register, X86Registers } from '../core/registers.ts';

export interface UnwoundFrame<R> {
  /** 0 = innermost. */
  index: number;
  /** Instruction pointer: for frames after 0, the return address. */
  ip: bigint;
  /** Stack pointer in this frame (for frames after 0: just above the return address). */
  sp: bigint;
  trust: UnwindTrust;
  /** Registers known in this frame; the ABI's volatile registers are dropped after frame 0. */
  registers: R;
  /** Why this frame is doubtful or how it was found, when it is worth saying. */
  note?: string;
  /** Set once the frame was unwound with frame data saying its function keeps no frame pointer (x86 FPO). */
  fpo?: boolean;
  /**
   * For a frame whose return address could not be checked (no code to find a CALL before it):
   * how many such frames end here in a row, this one included.
   */
  unverifiedRun?: number;
}

export type StopReason =
  | 'end-of-stack' // the last frame had no caller: a thread's first function, or ip 0
  | 'no-caller-found' // every strategy failed on the last frame
  | 'cap-frames' // maxFrames reached
  | 'cap-time' // the analysis's time budget ran out
  | 'cycle' // a strategy proposed a frame that would not move up the stack
  | 'cap-scan' // maxLooseRun frames in a row were guesses without code to check them
  | 'cancelled';

export interface StackWalk<R> {
  frames: UnwoundFrame<R>[];
  stop: StopReason;
  /** The stop reason in words, for the model's framesNote. */
  stopMessage: string;
  warnings: Warning[];
}
