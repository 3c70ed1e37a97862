// Thread records → model threads: registers, the native stack walked by the CPU's unwinder,
// and for a WOW64 process the recovered x86 context and its 32-bit stack. Each thread is
// walked on its own; one thread's trouble becomes a note on that thread, never a failed dump.
import type { CpuContext } from '../../minidump/context.ts';
import type { Minidump } from '../../minidump/minidump.ts';
import type { MinidumpThread } from '../../minidump/thread-list.ts';
import { walkAmd64 } from '../../unwind/amd64.ts';
import { toModelFrames } from '../../unwind/model-frames.ts';
import type { ModuleIndex } from '../../unwind/module-index.ts';
import type { StackWalk, UnwindEnv, UnwindLimits, UnwoundFrame, X86Registers } from '../../unwind/types.ts';
import { walkX86 } from '../../unwind/x86.ts';
import { recoverWow64Context, x86RegisterRecord } from '../../wow64/wow64.ts';
import type { WindowsVersion } from '../../wow64/wow64.ts';
import type { DumpMemory } from '../../memory/dump-memory.ts';
import { hex } from '../../core/hex.ts';
import type { Frame, Thread, Warning } from '../../core/dump-model.ts';

export interface ThreadBuildContext {
  md: Minidump;
  memory: DumpMemory;
  modules: ModuleIndex;
  wow64: boolean;
  windowsVersion: WindowsVersion | null;
  exceptionThreadId: number | null;
  exceptionContext: CpuContext | null;
  names: Map<number, string>;
  times: Map<number, Thread['times']>;
  limits: Partial<UnwindLimits>;
  warnings: Warning[];
  /** True once the analysis has used its time budget: frames are then named by module and offset only. */
  timeUp?: () => boolean;
  /**
   * When given, each walked thread's first frames are kept here by thread id, with the stack
   * pointer and the registers the walk knew in each: what the wait recovery
   * (wait-recovery.ts) reads a lock's address or a handle from. Not part of the model.
   */
  walks?: Map<number, RecordedWalks>;
}

/** One frame of a walk as the wait recovery needs it. */
export interface RecordedFrame {
  sp: bigint;
  registers: Readonly<Record<string, bigint>>;
}

export interface RecordedWalks {
  native?: { bits: 32 | 64; frames: RecordedFrame[] };
  x86?: { bits: 32; frames: RecordedFrame[] };
}

/** Frames kept per walk: a wait shows in the first few (the system call, the API, its caller). */
export const RECORDED_FRAMES = 16;

/**
 * The walk's first frames, one per model frame: an inline frame (a symbol file's inlined call)
 * shares its walked frame with the function after it, so model indices (what wait-shape.ts
 * gives) index this list too.
 */
function record(walk: StackWalk<unknown>, frames: readonly Frame[]): RecordedFrame[] {
  const out: RecordedFrame[] = [];
  let w = 0;
  for (const f of frames.slice(0, RECORDED_FRAMES)) {
    const walked = walk.frames[w];
    if (!walked) break;
    out.push({ sp: walked.sp, registers: walked.registers as Record<string, bigint> });
    if (!f.inline) w++;
  }
  return out;
}

/**
 * x86 frames carry the frame's EBP in `sp`: the model's `sp` is the column the debugger prints,
 * and on x86 that is ChildEBP (the frame base), not ESP as on x64 (Child-SP). A frame whose EBP
 * the walk could not know (found by scanning past frame-pointer-omitted code) gets null rather
 * than a guess, and so does one whose function keeps no frame pointer (frame data says so): its
 * EBP is whatever the code kept there, not its frame.
 */
const childEbp = (frame: UnwoundFrame<X86Registers>): bigint | null => (frame.fpo ? null : (frame.registers.ebp ?? null));

function registerRecord(ctx: CpuContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ctx.valid) out[name] = hex((ctx.regs as Record<string, bigint>)[name]!);
  return out;
}

async function walkNative(ctx: CpuContext, env: UnwindEnv, limits: Partial<UnwindLimits>): Promise<StackWalk<unknown> | null> {
  if (ctx.arch === 'amd64') return walkAmd64({ ...ctx.regs }, env, limits);
  if (ctx.arch === 'x86') return walkX86({ ...ctx.regs }, env, limits);
  return null;
}

/** Frame 0 only, for CPUs we do not unwind (ARM64, ARM): the context is all we know. */
async function contextOnly(ctx: CpuContext, b: ThreadBuildContext): Promise<Frame[]> {
  return toModelFrames(
    { frames: [{ index: 0, ip: ctx.pc, sp: ctx.sp, trust: 'context', registers: {} }], stop: 'no-caller-found', stopMessage: '', warnings: [] },
    b.modules,
    naming(b),
  );
}

function naming(b: ThreadBuildContext): { shouldStop: (() => boolean) | undefined } {
  return { shouldStop: b.timeUp };
}

/** How many modules a hint names before it says "and N more". */
const HINT_MODULES = 3;

/**
 * Most minidumps hold no module code, and without it an x64 stack cannot be unwound exactly
 * (no .pdata, no call site to check): the walk stops, or goes on by guessing (a scan that takes
 * values on module membership alone). Either way, say which modules' files would let the walk
 * go on exactly.
 */
async function missingCodeHint(walk: StackWalk<unknown>, b: ThreadBuildContext): Promise<string> {
  const frames = walk.frames;
  const guessed = frames.filter((f) => f.unverifiedRun !== undefined).length;
  // The frames the walk could not unwind: each one a guess was made from, and the last one
  // when the walk stopped there for want of a caller.
  const stuck = frames.filter((f, i) => frames[i + 1]?.unverifiedRun !== undefined);
  const last = frames[frames.length - 1];
  if (last && (walk.stop === 'no-caller-found' || walk.stop === 'cap-scan')) stuck.push(last);
  const files: string[] = [];
  for (const f of stuck) {
    const module = b.modules.moduleAt(f.ip);
    if (!module || (await module.image())) continue;
    const file = module.name.split(/[\\/]/).pop() ?? module.name;
    if (!files.includes(file)) files.push(file);
  }
  const named = files.length <= HINT_MODULES ? files.join(', ') : `${files.slice(0, HINT_MODULES).join(', ')} and ${files.length - HINT_MODULES} more`;
  const add = 'add the module files beside the dump (--images, or drop them on the page)';
  if (guessed > 0) {
    const noun = guessed === 1 ? '1 frame was' : `${guessed} frames were`;
    return `${noun} guessed by scanning the stack, with no module code to check them${files.length > 0 ? `; the dump holds no code for ${named}: ${add} to unwind exactly` : ''}`;
  }
  return files.length > 0 ? `the dump holds no code for ${named}: ${add} to unwind further` : '';
}

export async function buildThread(t: MinidumpThread, ordinal: number, b: ThreadBuildContext): Promise<Thread> {
  const faulting = b.exceptionThreadId === t.id;
  const thread: Thread = {
    id: t.id,
    ordinal,
    name: b.names.get(t.id) ?? null,
    teb: t.teb === 0n ? null : hex(t.teb),
    suspendCount: t.suspendCount,
    frozen: null,
    priority: t.priority,
    faulting,
    times: b.times.get(t.id) ?? null,
    frames: [],
    framesNote: null,
  };
  const env: UnwindEnv = { memory: b.memory, moduleAt: (a) => b.modules.moduleAt(a) };

  let ctx: CpuContext | null = null;
  try {
    // WinDbg's .ecxr: the faulting thread is walked from the state at the fault, not from
    // where it sat inside the exception filter when the dump was written.
    ctx = faulting && b.exceptionContext ? b.exceptionContext : await b.md.threadContext(t);
  } catch (err) {
    thread.framesNote = `no stack: the thread's CPU context cannot be read (${(err as Error).message})`;
  }
  if (ctx) {
    thread.registers = registerRecord(ctx);
    const walk = await walkNative(ctx, env, b.limits);
    if (walk) {
      thread.frames =
        ctx.arch === 'x86'
          ? await toModelFrames(walk as StackWalk<X86Registers>, b.modules, { ...naming(b), spColumn: childEbp })
          : await toModelFrames(walk, b.modules, naming(b));
      b.walks?.set(t.id, { ...b.walks.get(t.id), native: { bits: ctx.arch === 'x86' ? 32 : 64, frames: record(walk, thread.frames) } });
      const hint = await missingCodeHint(walk, b);
      const stopped = walk.stop === 'end-of-stack' ? null : walk.stopMessage;
      if (stopped || hint) thread.framesNote = [stopped, hint].filter((x) => x).join('; ');
      for (const w of walk.warnings) b.warnings.push(w);
    } else {
      thread.frames = await contextOnly(ctx, b);
      thread.framesNote = `frames after the first are not unwound on ${ctx.arch}`;
    }
  } else if (!thread.framesNote) {
    thread.framesNote = 'no stack: the thread has no CPU context in the dump';
  }

  if (b.wow64 && t.teb !== 0n) await addX86View(thread, t.teb, env, b);
  return thread;
}

async function addX86View(thread: Thread, teb: bigint, env: UnwindEnv, b: ThreadBuildContext): Promise<void> {
  const recovered = await recoverWow64Context(b.memory, teb, b.windowsVersion);
  for (const w of recovered.warnings) b.warnings.push(w);
  if (!recovered.ok) {
    if (recovered.kind !== 'not-wow64-thread') {
      b.warnings.push({ kind: 'wow64-context', message: `thread 0x${thread.id.toString(16)}: x86 context not recovered: ${recovered.message}` });
    }
    return;
  }
  const c = recovered.x86Context;
  thread.x86Registers = x86RegisterRecord(c);
  const walk = await walkX86({ eip: c.eip, esp: c.esp, ebp: c.ebp, ebx: c.ebx, esi: c.esi, edi: c.edi, eax: c.eax, ecx: c.ecx, edx: c.edx }, env, b.limits);
  thread.x86Frames = await toModelFrames(walk, b.modules, { ...naming(b), spColumn: childEbp });
  b.walks?.set(thread.id, { ...b.walks.get(thread.id), x86: { bits: 32, frames: record(walk, thread.x86Frames) } });
  for (const w of walk.warnings) b.warnings.push(w);
}
