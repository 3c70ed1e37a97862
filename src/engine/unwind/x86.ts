// The x86 stack walker. Strategies, tried in order for each frame:
//   1. getX86CallerBySymbols (symbol-strategies.ts): with the module's symbol file, its frame
//      data (FPO / FRAMEDATA in a PDB, STACK WIN in a .sym; x86-frame-data.ts) — exact, and the
//      only way past functions that omit the frame pointer — else its STACK CFI rules (cfi.ts:
//      Linux and macOS x86 builds).
//   2. getCallerByFramePointer: the EBP chain. A standard prolog (push ebp; mov ebp, esp)
//      leaves [EBP] = the caller's EBP and [EBP+4] = the return address, so the caller's
//      ESP is EBP+8.
//   3. getCallerByScan: see scan.ts.
// Without symbols x86 images carry nothing that describes their frames (no .pdata), so a
// frame-pointer-omitted function is passed by scanning and the frame after it may be skipped
// or misplaced. A frame 0 stopped inside a prolog, before "mov ebp, esp", also reads its
// caller's frame instead of its own and loses one frame unless frame data covers the prolog.
import { checkReturnAddress, scanForReturnAddress } from './scan.ts';
import { readPointer } from './stack-memory.ts';
import { DEFAULT_UNWIND_LIMITS, type StackWalk, type UnwindEnv, type UnwindLimits, type UnwoundFrame, type X86Registers } from './types.ts';
import { runWalk, type Strategy } from './walker.ts';
import { getX86CallerBySymbols } from './symbol-strategies.ts';

type Frame = UnwoundFrame<X86Registers>;

export const getCallerByFramePointer: Strategy<X86Registers> = async (callee, env) => {
  const ebp = callee.registers.ebp;
  if (ebp === undefined || ebp < callee.sp || ebp > 0xffff_fff7n) return null;
  const savedEbp = await readPointer(env.memory, ebp, 4);
  const eip = await readPointer(env.memory, ebp + 4n, 4);
  if (savedEbp === null || eip === null) return null;
  // The thread's first frame ends the chain with a zero EBP and a zero return address.
  if (eip === 0n && savedEbp === 0n) return { kind: 'end' };
  const check = await checkReturnAddress(eip, env, 'x86');
  // On x86 the EBP chain is the main strategy (system DLLs keep frame pointers), so a return
  // address in a module whose code the dump lacks is taken on membership alone, as Breakpad
  // and LLDB do; a call-site check that fails still rejects it.
  if (check === 'rejected') return null;
  const esp = ebp + 8n;
  return {
    kind: 'frame',
    frame: {
      ip: eip,
      sp: esp,
      trust: 'frame-pointer',
      registers: { eip, esp, ebp: savedEbp },
    },
  };
};

export const getCallerByScan: Strategy<X86Registers> = async (callee, env, limits) => {
  const words = callee.trust === 'context' ? limits.scanWordsFirst : limits.scanWords;
  const hit = await scanForReturnAddress(callee.sp, env, 'x86', words, limits, callee.trust === 'context' ? callee.ip : undefined);
  if (!hit) return null;
  const esp = hit.slot + 4n;
  const registers: X86Registers = { eip: hit.ip, esp };
  // A caller's EBP is above its ESP; a callee EBP that still is was most likely left alone
  // (FPO code does not touch it) and is the caller's. One below is the callee's own, now dead.
  const ebp = callee.registers.ebp;
  if (ebp !== undefined && ebp >= esp) registers.ebp = ebp;
  return {
    kind: 'frame',
    frame: {
      ip: hit.ip,
      sp: esp,
      trust: 'scan',
      registers,
      ...(hit.check === 'unverified' ? { note: 'return address not verified: module code not available' } : {}),
    },
  };
};

const STRATEGIES: readonly Strategy<X86Registers>[] = [getX86CallerBySymbols, getCallerByFramePointer, getCallerByScan];

/** Walks an x86 stack (a 32-bit dump, or the WOW64 context of a thread). */
export async function walkX86(context: X86Registers, env: UnwindEnv, limits: Partial<UnwindLimits> = {}): Promise<StackWalk<X86Registers>> {
  const first: Frame = { index: 0, ip: context.eip, sp: context.esp, trust: 'context', registers: { ...context } };
  return runWalk(first, STRATEGIES, env, { ...DEFAULT_UNWIND_LIMITS, ...limits });
}
