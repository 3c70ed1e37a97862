// Finding frames by function name, the way several issue-12 patterns ask (a message box, the
// dump writer, the unhandled-exception filter, process exit): names are matched without the
// module (functions moved between kernel32, KERNELBASE and ntdll across releases; a WOW64
// stack prints ntdll as "ntdll_77d40000"), without x86 decoration ("_MessageBoxW@16"), and only
// when the frame is credibly inside that function rather than past the nearest export.
import type { Frame, Thread } from '../../engine/core/dump-model.ts';
import type { StackView } from '../../engine/report/schema.ts';
import { credibleOffset, threadStacks } from './exception-frames.ts';
import { isSystemFrame } from './system-modules.ts';

/** The undecorated function name of a frame, or null when it has none it can be trusted with. */
export function functionName(f: Frame): string | null {
  if (f.symbol === null) return null;
  // A name far from its symbol is a nearest export before some other function.
  if (!credibleOffset(f)) return null;
  return undecorated(f.symbol);
}

/** A C name without the leading underscores and the stdcall "@bytes" its linker added. */
export function undecorated(symbol: string): string {
  // Most names have neither: skip the two replacements, since detectors ask this of every frame.
  if (symbol.charCodeAt(0) !== 0x5f && !symbol.includes('@')) return symbol;
  return symbol.replace(/^_+(?=[A-Za-z])/, '').replace(/@\d+$/, '');
}

export interface NamedFrame {
  threadId: number;
  view: StackView;
  frames: readonly Frame[];
  /** The innermost frame whose name is in the set. */
  frame: Frame;
  name: string;
}

/** The innermost frame of a thread (its 32-bit stack first) named in `names`, or null. */
export function findNamedFrame(thread: Thread, names: ReadonlySet<string>): NamedFrame | null {
  for (const s of threadStacks(thread)) {
    for (const f of s.frames) {
      const name = functionName(f);
      if (name !== null && names.has(name)) return { threadId: thread.id, view: s.view, frames: s.frames, frame: f, name };
    }
  }
  return null;
}

/** The first frame outside the operating system below (outer to) `index`: the code that called it. */
export function programCallerBelow(frames: readonly Frame[], index: number): Frame | null {
  for (const f of frames) {
    if (f.index <= index) continue;
    if (f.module !== null && !isSystemFrame(f)) return f;
  }
  return null;
}
