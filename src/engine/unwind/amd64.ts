// The x64 stack walker. Strategies, tried in order for each frame:
//   1. getCallerByUnwindInfo: the .pdata entry and UNWIND_INFO of the module holding RIP, as
//      the Windows unwinder (RtlVirtualUnwind) applies them. Exact when the image is known.
//   2. getCallerByFramePointer: the RBP chain. Windows x64 code rarely keeps one (RBP is a
//      general register unless the function needs a frame pointer, and then it may point into
//      the middle of the frame), so the result is accepted only when the return address it
//      reads passes the same call-site check as scanning.
//   3. getCallerByScan: see scan.ts. When the frame has no code at hand (a Windows dump without
//      module images, the usual case) it may also take a value on module membership alone,
//      within the bounds below (UnwindLimits.scanWithoutCode); such frames are marked as not
//      verified, and a run of maxLooseRun of them ends the walk.
// Nonvolatile registers of the Windows x64 ABI (rbx, rbp, rsi, rdi, r12–r15) are carried to
// the caller; volatile ones are unknown after frame 0.
import type { Warning } from '../core/dump-model.ts';
import { IMAGE_FILE_MACHINE_AMD64 } from '../pe/pe-headers.ts';
import type { PeImage } from '../pe/pe-image.ts';
import type { RuntimeFunction } from '../pe/pdata.ts';
import { AMD64_GPR_NAMES, MAX_UNWIND_CHAIN, type UnwindInfo } from '../pe/unwind-info.ts';
import { decodeEpilog, simulateEpilog } from './amd64-epilog.ts';
import { getAmd64CallerBySymbols } from './symbol-strategies.ts';
import { acceptable, checkReturnAddress, scanForReturnAddress, type LooseWindow } from './scan.ts';
import { readPointer } from './stack-memory.ts';
import {
  DEFAULT_UNWIND_LIMITS,
  type Amd64Register,
  type Amd64Registers,
  type StackWalk,
  type UnwindEnv,
  type UnwindLimits,
  type UnwoundFrame,
} from './types.ts';
import { addWarning, runWalk, type CallerResult, type Strategy } from './walker.ts';

type Frame = UnwoundFrame<Amd64Registers>;
type Regs = Partial<Record<Amd64Register, bigint>>;

const NONVOLATILE: readonly Amd64Register[] = ['rbx', 'rbp', 'rsi', 'rdi', 'r12', 'r13', 'r14', 'r15'];
// Frames whose RIP is the instruction being executed rather than a return address: frame 0,
// and frames restored from a machine frame (an interrupted context).
const exactIp = new WeakSet<object>();
// Frames whose nonvolatile registers are guesses: a frame found by scanning knows its RIP and
// RSP, but its RBP (and the rest) are whatever an inner frame left, and so is every register a
// later frame carried up from it. Unwind info that reads the frame register (UWOP_SET_FPREG)
// then computes its caller from a stale value: a return address into a data section, a stack
// pointer outside the stack. From exact registers such a caller is evidence (a smashed return
// address) and is shown; from guessed ones it is an artifact of the guess and is refused.
const guessedRegisters = new WeakSet<object>();

/** Marks `caller`'s registers as guessed when `callee`'s were: a walk never regains certainty. */
function inheritGuess(callee: Frame, result: CallerResult<Amd64Registers>): CallerResult<Amd64Registers> {
  if (result?.kind === 'frame' && guessedRegisters.has(callee.registers)) guessedRegisters.add(result.frame.registers);
  return result;
}

/**
 * For a callee whose registers are guesses: false when the caller the unwind info gave cannot be
 * one (its return address fails the call-site check, or its stack pointer left the stack).
 */
async function plausibleFromGuess(callee: Frame, caller: { ip: bigint; sp: bigint }, env: UnwindEnv): Promise<boolean> {
  const stack = env.memory.rangeAt(callee.sp);
  if (stack && caller.sp > stack.base + stack.size) return false;
  return (await checkReturnAddress(caller.ip, env, 'amd64')) !== 'rejected';
}

function callerRegisters(from: Regs, rip: bigint, rsp: bigint): Amd64Registers {
  const out: Amd64Registers = { rip, rsp };
  // Indexed loops in this file's per-frame paths: a for-of allocates an iterator result per
  // step until the code is optimized, and a walk's code mostly runs before it is.
  for (let i = 0; i < NONVOLATILE.length; i++) {
    const name = NONVOLATILE[i]!;
    const v = from[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

function gprName(n: number): Exclude<Amd64Register, 'rip'> | null {
  return AMD64_GPR_NAMES[n] ?? null;
}

/** Applies one UNWIND_INFO's codes to `regs` (in place). False when a needed value is missing. */
async function applyUnwindCodes(
  info: UnwindInfo,
  prologOffset: number | null,
  regs: Regs & { rsp: bigint },
  env: UnwindEnv,
): Promise<{ ok: boolean; machine: { rip: bigint; rsp: bigint } | null }> {
  // Inside the prolog only the codes of instructions already executed apply.
  const applies = (codeOffset: number): boolean => prologOffset === null || codeOffset <= prologOffset;
  // Saved-register offsets are relative to the frame as the prolog left it: the frame
  // register minus its offset when one was set up, else RSP as it is now.
  let frameBase = regs.rsp;
  if (info.frameRegister !== 0 && info.codes.some((c) => c.op === 'UWOP_SET_FPREG' && applies(c.codeOffset))) {
    const name = gprName(info.frameRegister);
    const fp = name ? regs[name] : undefined;
    if (fp === undefined) return { ok: false, machine: null };
    frameBase = fp - BigInt(info.frameOffset);
  }
  const set = (n: number, v: bigint): void => {
    const name = gprName(n);
    if (name && name !== 'rsp') regs[name] = v;
  };
  for (let i = 0; i < info.codes.length; i++) {
    const code = info.codes[i]!;
    if (!applies(code.codeOffset)) continue;
    switch (code.op) {
      case 'UWOP_PUSH_NONVOL': {
        const v = await readPointer(env.memory, regs.rsp, 8);
        if (v === null) return { ok: false, machine: null };
        set(code.register, v);
        regs.rsp += 8n;
        break;
      }
      case 'UWOP_ALLOC_LARGE':
      case 'UWOP_ALLOC_SMALL':
        regs.rsp += BigInt(code.size);
        break;
      case 'UWOP_SET_FPREG':
        regs.rsp = frameBase;
        break;
      case 'UWOP_SAVE_NONVOL':
      case 'UWOP_SAVE_NONVOL_FAR': {
        const v = await readPointer(env.memory, frameBase + BigInt(code.offset), 8);
        if (v === null) return { ok: false, machine: null };
        set(code.register, v);
        break;
      }
      case 'UWOP_PUSH_MACHFRAME': {
        // The CPU pushed SS, RSP, EFLAGS, CS, RIP (and an error code first, for some traps).
        const at = regs.rsp + (code.errorCode ? 8n : 0n);
        const rip = await readPointer(env.memory, at, 8);
        const rsp = await readPointer(env.memory, at + 24n, 8);
        if (rip === null || rsp === null) return { ok: false, machine: null };
        return { ok: true, machine: { rip, rsp } };
      }
      default:
        // XMM saves and epilog markers change no integer register.
        break;
    }
  }
  return { ok: true, machine: null };
}

async function unwindThroughFunction(
  callee: Frame,
  image: PeImage,
  base: bigint,
  fn: RuntimeFunction,
  env: UnwindEnv,
  warnings: Warning[],
): Promise<CallerResult<Amd64Registers>> {
  const exact = exactIp.has(callee.registers);
  const ipRva = Number(callee.ip - base);
  const offset = ipRva - fn.begin;

  if (exact && offset >= 0) {
    const code = (await image.read(ipRva, 48)) ?? (await image.read(ipRva, 16)) ?? (await env.memory.read(callee.ip, 16));
    const steps = code ? decodeEpilog(code, callee.ip, base + BigInt(fn.begin), base + BigInt(fn.end)) : null;
    const first = steps ? await image.unwindInfo(fn) : null;
    // Inside the prolog the bytes at RIP are prolog instructions, never an epilog.
    if (steps && first?.ok && offset >= first.info.sizeOfProlog) {
      const regs = callee.registers as Regs;
      const result = await simulateEpilog(steps, callee.registers.rsp, (n) => {
        const name = gprName(n);
        return name ? regs[name] : undefined;
      }, env.memory);
      if (!result) return null;
      const after: Regs = { ...regs };
      for (const [n, v] of result.restored) {
        const name = gprName(n);
        if (name && name !== 'rsp') after[name] = v;
      }
      if (result.rip === 0n) return { kind: 'end' };
      return { kind: 'frame', frame: { ip: result.rip, sp: result.rsp, trust: 'unwind-info', registers: callerRegisters(after, result.rip, result.rsp), note: 'unwound from inside an epilog' } };
    }
  }

  const regs: Regs & { rsp: bigint } = { ...(callee.registers as Regs), rsp: callee.registers.rsp };
  let current = fn;
  let prologOffset: number | null = null;
  let machine: { rip: bigint; rsp: bigint } | null = null;
  for (let depth = 0; ; depth++) {
    if (depth >= MAX_UNWIND_CHAIN) {
      addWarning(warnings, 'unwind-chain', `${image.name}: chained unwind info deeper than ${MAX_UNWIND_CHAIN} at 0x${fn.unwindInfo.toString(16)}`);
      return null;
    }
    const parsed = await image.unwindInfo(current);
    if (!parsed.ok) {
      addWarning(warnings, 'unwind-info', `${image.name}: ${parsed.message}`);
      return null;
    }
    const info = parsed.info;
    // Only the primary entry can be mid-prolog; a chained parent's prolog has fully run.
    prologOffset = depth === 0 && offset >= 0 && offset < info.sizeOfProlog ? offset : null;
    const applied = await applyUnwindCodes(info, prologOffset, regs, env);
    if (!applied.ok) return null;
    if (applied.machine) {
      machine = applied.machine;
      break;
    }
    if (!info.chained) break;
    current = info.chained;
  }

  let rip: bigint;
  let rsp: bigint;
  if (machine) {
    rip = machine.rip;
    rsp = machine.rsp;
  } else {
    const ret = await readPointer(env.memory, regs.rsp, 8);
    if (ret === null) return null;
    rip = ret;
    rsp = regs.rsp + 8n;
  }
  if (rip === 0n) return { kind: 'end' };
  const registers = callerRegisters(regs, rip, rsp);
  if (machine) exactIp.add(registers);
  return { kind: 'frame', frame: { ip: rip, sp: rsp, trust: 'unwind-info', registers, ...(machine ? { note: 'interrupted context restored from a machine frame' } : {}) } };
}

export const getCallerByUnwindInfo: Strategy<Amd64Registers> = (callee, env, _limits, warnings) => {
  const result = callerByUnwindInfo(callee, env, warnings);
  // Registers from a guess need checking; exact ones (nearly every frame) pass straight through.
  if (!guessedRegisters.has(callee.registers)) return result;
  return result.then(async (r) => {
    const caller = inheritGuess(callee, r);
    return caller?.kind === 'frame' && !(await plausibleFromGuess(callee, caller.frame, env)) ? null : caller;
  });
};

async function callerByUnwindInfo(callee: Frame, env: UnwindEnv, warnings: Warning[]): Promise<CallerResult<Amd64Registers>> {
  // A return address may be one past the end of its function (a call to a no-return function
  // as the last instruction), so the function is looked up at the byte before it.
  const lookupIp = exactIp.has(callee.registers) ? callee.ip : callee.ip - 1n;
  const module = env.moduleAt(lookupIp);
  if (!module) return null;
  const image = await module.image();
  if (!image || image.headers.machine !== IMAGE_FILE_MACHINE_AMD64) return null;
  const found = await image.findFunction(Number(lookupIp - module.base));
  if (found.kind === 'unknown') return null;
  if (found.kind === 'leaf') {
    // No entry: a leaf function, which by the ABI leaves RSP alone, so the return address is
    // at [RSP] and every nonvolatile register is still the caller's.
    const rip = await readPointer(env.memory, callee.registers.rsp, 8);
    if (rip === null) return null;
    if (rip === 0n) return { kind: 'end' };
    const rsp = callee.registers.rsp + 8n;
    return { kind: 'frame', frame: { ip: rip, sp: rsp, trust: 'unwind-info', registers: callerRegisters(callee.registers, rip, rsp), note: 'leaf function: return address read at RSP' } };
  }
  return unwindThroughFunction(callee, image, module.base, found.fn, env, warnings);
}

export const getCallerByFramePointer: Strategy<Amd64Registers> = async (callee, env, limits) => inheritGuess(callee, await callerByFramePointer(callee, env, limits));

async function callerByFramePointer(callee: Frame, env: UnwindEnv, limits: UnwindLimits): Promise<CallerResult<Amd64Registers>> {
  const rbp = callee.registers.rbp;
  if (rbp === undefined || rbp < callee.sp || rbp % 8n !== 0n) return null;
  // The frame pointer must point into the same stack as RSP.
  const stack = env.memory.rangeAt(callee.sp);
  if (!stack || rbp + 16n > stack.base + stack.size) return null;
  const savedRbp = await readPointer(env.memory, rbp, 8);
  const rip = await readPointer(env.memory, rbp + 8n, 8);
  if (savedRbp === null || rip === null) return null;
  const rsp = rbp + 16n;
  const check = await checkReturnAddress(rip, env, 'amd64');
  if (!acceptable(check, limits) && !(check === 'unverified' && limits.acceptUnverifiedFramePointer)) return null;
  // A saved RBP below the caller's frame is not a frame pointer: the caller (typically the C
  // runtime's entry, built without one) used RBP as a general register. The return address
  // beside it still passed the checks; the chain just ends here, and the caller's RBP is unknown.
  const chained = savedRbp === 0n || savedRbp >= rsp;
  return {
    kind: 'frame',
    frame: {
      ip: rip,
      sp: rsp,
      trust: 'frame-pointer',
      registers: chained ? { rip, rsp, rbp: savedRbp } : { rip, rsp },
      ...(check === 'unverified' ? { note: 'return address not verified: module code not available' } : {}),
    },
  };
}

/**
 * True when nothing can unwind `callee` exactly: its instruction pointer lies in no module, or
 * in one whose image (and so whose .pdata) is neither in the dump nor supplied. Only then may
 * the scan guess on module membership; a frame whose unwind data exists but failed (a stack
 * the dump cut short, a broken table) is not guessed past.
 */
async function codeUnavailable(callee: Frame, env: UnwindEnv): Promise<boolean> {
  const lookupIp = exactIp.has(callee.registers) ? callee.ip : callee.ip - 1n;
  const module = env.moduleAt(lookupIp);
  if (!module) return true;
  const image = await module.image();
  if (!image || image.headers.machine !== IMAGE_FILE_MACHINE_AMD64) return true;
  return (await image.findFunction(Number(lookupIp - module.base))).kind === 'unknown';
}

// The Windows x64 calling convention (Microsoft's "x64 stack usage"): RSP is 16-byte aligned at
// every CALL outside a prolog, so the return address a CALL pushes sits at 8 mod 16; and a
// function that calls another first reserves 32 bytes of home area for the callee's register
// parameters, just above that return address. So when a frame was reached through a return
// address, the caller's body RSP is the frame's SP, the next return address up lies at least
// 32 bytes higher, and whatever the 32 bytes between hold (spilled arguments, often pointers
// to code: callbacks, vtables) is not it. Frame 0 and a frame restored from a machine frame
// stopped anywhere in their function, maybe in a prolog calling __chkstk, so neither rule is
// applied to their caller.
const HOME_AREA = 32n;

export const getCallerByScan: Strategy<Amd64Registers> = async (callee, env, limits, _warnings, first) => {
  const words = callee.trust === 'context' || callee.trust === 'unwind-info' ? limits.scanWordsFirst : limits.scanWords;
  const exact = exactIp.has(callee.registers);
  const run = callee.unverifiedRun ?? 0;
  let loose: LooseWindow | undefined;
  let capped = false;
  if (limits.scanWithoutCode && (await codeUnavailable(callee, env))) {
    if (run >= limits.maxLooseRun) capped = true;
    else {
      const from = callee.sp + (exact ? 0n : HOME_AREA);
      const looseWords = BigInt(callee.trust === 'context' ? limits.looseScanWordsFirst : limits.looseScanWords);
      loose = { from, to: from + looseWords * 8n, aligned: !exact };
    }
  }
  // Frame 0's own address, wherever it is found, is a copy of the thread's context (see
  // scanForReturnAddress), never a caller: not only in frame 0's window, since an earlier guess
  // may have moved the scan past the callee it was saved by.
  const hit = await scanForReturnAddress(callee.sp, env, 'amd64', words, limits, first.trust === 'context' ? first.ip : undefined, loose);
  if (!hit) return capped ? { kind: 'stop', reason: 'cap-scan' } : null;
  const rsp = hit.slot + 8n;
  const registers: Amd64Registers = { rip: hit.ip, rsp };
  // RBP above the caller's RSP was most likely not touched by the callee and is the caller's;
  // below it, it belonged to a frame that is gone.
  const rbp = callee.registers.rbp;
  if (rbp !== undefined && rbp >= rsp) registers.rbp = rbp;
  guessedRegisters.add(registers);
  const unverified = hit.check === 'unverified';
  return {
    kind: 'frame',
    frame: {
      ip: hit.ip,
      sp: rsp,
      trust: 'scan',
      registers,
      ...(unverified ? { note: 'return address not verified: module code not available', unverifiedRun: run + 1 } : {}),
    },
  };
};

// STACK CFI (cfi.ts) where the module's unwind info is not at hand: a .sym of a Linux or macOS
// module, or a Windows module whose image neither the dump nor the user supplied.
const getCallerBySymbols: Strategy<Amd64Registers> = async (callee, ...rest) => inheritGuess(callee, await getAmd64CallerBySymbols(callee, ...rest));
const STRATEGIES: readonly Strategy<Amd64Registers>[] = [getCallerByUnwindInfo, getCallerBySymbols, getCallerByFramePointer, getCallerByScan];

/** Walks an x64 stack from a thread's context. Frame 0 is the context itself. */
export async function walkAmd64(context: Amd64Registers, env: UnwindEnv, limits: Partial<UnwindLimits> = {}): Promise<StackWalk<Amd64Registers>> {
  const registers: Amd64Registers = { ...context };
  exactIp.add(registers);
  const first: Frame = { index: 0, ip: context.rip, sp: context.rsp, trust: 'context', registers };
  return runWalk(first, STRATEGIES, env, { ...DEFAULT_UNWIND_LIMITS, ...limits });
}
