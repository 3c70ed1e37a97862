// Frames of named runtime functions on the faulting thread: the C runtime's reporting paths
// (abort, the invalid-parameter handler, _purecall), the raising APIs, the /GS and stack
// protector checks. Names are compared the way the runtimes export them: the Universal CRT's
// `_o_` aliases ("_o__purecall" is the same function as "_purecall") and x86 decorations
// ("_RaiseException@16") are dropped first. A frame found by stack scanning may be a stale
// return address, so callers decide what it proves (scanned-frames.ts).
import type { Frame, Thread } from '../../engine/core/dump-model.ts';

/** "_o__purecall" → "_purecall"; "_RaiseException@16" → "RaiseException"; "msvcrt!abort" stays "abort". */
export function runtimeName(symbol: string): string {
  let s = symbol;
  if (s.startsWith('_o_')) s = s.slice(3);
  const at = s.lastIndexOf('@');
  if (at > 0 && /^\d+$/.test(s.slice(at + 1))) s = s.slice(0, at).replace(/^_(?=[A-Za-z])/, '');
  return s;
}

/** Frames of `thread` (native stack, then the WOW64 x86 one) whose function is one of `names`. */
export function runtimeFrames(thread: Thread | undefined, names: ReadonlySet<string>): { view: 'native' | 'x86'; frames: Frame[] } {
  if (!thread) return { view: 'native', frames: [] };
  for (const [view, frames] of [['x86', thread.x86Frames ?? []], ['native', thread.frames]] as const) {
    const hits = frames.filter((f) => f.symbol !== null && names.has(runtimeName(f.symbol)));
    if (hits.length > 0) return { view, frames: hits };
  }
  return { view: 'native', frames: [] };
}
