// Which thread is the process's first one — the thread that ran the program's entry point and,
// in a GUI program, owns the main window and its message loop. Windows does not mark it; it is
// told from the bottom of its stack (the function a thread started in), from a Linux thread id
// equal to the process id, or, failing both, from its place in the thread list or its creation
// time, which are only strong hints (the first thread can exit and leave the others running).
import type { DumpModel, Frame, Thread } from '../../engine/core/dump-model.ts';
import type { StackView } from '../../engine/report/schema.ts';
import { hex } from '../../engine/core/hex.ts';
import { threadStacks } from './exception-frames.ts';
import { isSystemFrame } from './system-modules.ts';
import { compareText } from '../../engine/core/text-order.ts';

/** Where only the first thread starts: XP/2003's process start thunk, the CRT's entry points, libc's. */
const PROCESS_START = new Set([
  'BaseProcessStart',
  'BaseProcessStartThunk',
  '__libc_start_main',
  '__libc_start_call_main',
]);

/** The C/C++ runtime entry points and main functions of an executable. */
const PROGRAM_ENTRY = new Set([
  'mainCRTStartup',
  'wmainCRTStartup',
  'WinMainCRTStartup',
  'wWinMainCRTStartup',
  '__tmainCRTStartup',
  '__scrt_common_main',
  '__scrt_common_main_seh',
  'invoke_main',
  'main',
  'wmain',
  'WinMain',
  'wWinMain',
  '_start',
]);

/** Where the other threads start (the main thread never shows these on XP/2003). */
const THREAD_START = new Set(['BaseThreadStart', 'BaseThreadStartThunk', 'start_thread', 'thread_start', '_pthread_start']);

export interface MainThread {
  thread: Thread;
  /** How it was told: certain for the first two, a strong hint for the last two. */
  how: 'start-function' | 'thread-id' | 'first-thread' | 'earliest-created';
  /** The frames that show it started the program, for 'start-function'. */
  startFrames: { view: StackView; frames: number[] } | null;
}

function bare(symbol: string): string {
  // Asked of every frame of every thread: most names have nothing to strip.
  if (symbol.charCodeAt(0) !== 0x5f && !symbol.includes('@')) return symbol;
  return symbol.replace(/^_(?=[A-Za-z])/, '').replace(/@\d+$/, '');
}

function startFrames(thread: Thread): { view: StackView; frames: number[] } | null {
  for (const s of threadStacks(thread)) {
    const found: number[] = [];
    for (const f of s.frames) {
      if (f.symbol === null) continue;
      if (THREAD_START.has(bare(f.symbol))) return null;
      if (isStartFrame(f)) found.push(f.index);
    }
    if (found.length > 0) return { view: s.view, frames: found };
  }
  return null;
}

function isStartFrame(f: Frame): boolean {
  if (f.symbol === null) return false;
  const name = bare(f.symbol);
  if (PROCESS_START.has(name) || PROCESS_START.has(f.symbol)) return true;
  // "main" in an OS module would be some unrelated export; in the program's own code it is the entry.
  return (PROGRAM_ENTRY.has(name) || PROGRAM_ENTRY.has(f.symbol)) && !isSystemFrame(f) && f.module !== null;
}

/** The process's first thread, or null when the input cannot tell (fewer than one thread). */
export function mainThread(model: DumpModel): MainThread | null {
  const threads = model.threads;
  if (threads.length === 0) return null;

  const byStart = threads.map((t) => ({ t, s: startFrames(t) })).filter((x) => x.s !== null);
  if (byStart.length === 1) return { thread: byStart[0]!.t, how: 'start-function', startFrames: byStart[0]!.s };

  // On Linux the first thread's id is the process id.
  if ((model.system.platform === 'linux' || model.system.platform === 'android') && model.process.pid !== null) {
    const t = threads.find((x) => x.id === model.process.pid);
    if (t) return { thread: t, how: 'thread-id', startFrames: null };
  }

  const created = threads.filter((t) => t.times?.created);
  if (created.length === threads.length && threads.length > 1) {
    const sorted = [...created].sort((a, b) => compareText(a.times!.created!, b.times!.created!));
    if (sorted[0]!.times!.created !== sorted[1]!.times!.created) return { thread: sorted[0]!, how: 'earliest-created', startFrames: null };
  }
  const first = [...threads].sort((a, b) => a.ordinal - b.ordinal)[0]!;
  return { thread: first, how: 'first-thread', startFrames: null };
}

export { threadLabel } from '../../engine/core/thread-label.ts';

