// Optimized Code: release builds omit the frame pointer (x86 FPO), keep arguments and locals in
// registers and reuse their stack slots. On a 32-bit stack this shows where the EBP chain
// stops being followable: the unwinder falls back to scanning the stack for return addresses,
// and WinDbg, lacking the FPO record of a module without symbols, warns that "stack unwind
// information [is] not available". Below that point frames are guesses, and the arguments `kb`
// prints for an optimized function are whatever sits in the slots, not its parameters.
// Frame-pointer omission is only the likeliest cause (missing symbols or a corrupt stack look
// the same from one dump), so the finding is "possible". With the module's symbol file the
// guess becomes a fact: its frame data says which functions keep no frame pointer (the walk
// marks their frames `fpo`), and the finding is "certain". x64 code always unwinds from tables
// and is not judged here.
import type { Frame } from '../engine/core/dump-model.ts';
import type { Evidence, StackView } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';

import { threadLabel } from './lib/main-thread.ts';
import { plural } from './lib/model-queries.ts';
import { frameText } from '../engine/core/frame-text.ts';

const NO_UNWIND_INFO = /unwind information not available/i;

interface Break {
  threadId: number;
  view: StackView;
  /** The frame whose caller could not be found by its frame pointer. */
  frame: Frame;
  /** The first frame found by guessing (scan, or after the debugger's warning). */
  guessed: Frame;
}

function x86Stacks(arch: string, thread: { frames: Frame[]; x86Frames?: Frame[] }): { view: StackView; frames: Frame[] }[] {
  const out: { view: StackView; frames: Frame[] }[] = [];
  if (thread.x86Frames && thread.x86Frames.length > 0) out.push({ view: 'x86', frames: thread.x86Frames });
  if (arch === 'x86' && thread.frames.length > 0) out.push({ view: 'native', frames: thread.frames });
  return out;
}

export default defineDetector({
  id: 'optimized-code',
  messages: {
    fpoFromSymbols: 'Frame data says functions on {{stacks}} omit the frame pointer: optimized code; do not trust their kb arguments.',
    framePointerLost: 'The 32-bit stack walk loses the frame pointer in {{modules}} on {{threads}} (first {{first}} at {{frame}}): perhaps optimized code (frame pointer omitted) without FPO data; distrust the frames and arguments below it.',
  },
  detect(model) {
    const fpo: Evidence[] = [];
    for (const t of model.threads) {
      for (const s of x86Stacks(model.system.arch, t)) {
        const frames = s.frames.filter((f) => f.fpo).map((f) => f.index);
        if (frames.length > 0) fpo.push({ kind: 'frames', threadId: t.id, view: s.view, frames, note: 'no frame pointer (frame data)' });
      }
    }
    if (fpo.length > 0) return [{ confidence: 'certain', messageId: 'fpoFromSymbols', data: { stacks: plural(fpo.length, 'stack') }, evidence: fpo }];
    const breaks: Break[] = [];
    // Beside a crash only the crashing thread's walk matters; other threads' scans (the crash
    // reporter's own thread, idle workers in system code) would bury it.
    const crashed = model.exception !== null;
    for (const t of model.threads) {
      for (const s of x86Stacks(model.system.arch, t)) {
        for (let i = 0; i < s.frames.length; i++) {
          const f = s.frames[i]!;
          const prev = s.frames[i - 1];
          // WinDbg prints its warning above the first frame it could not unwind properly: that
          // frame's module had no FPO data; the frames after it are guesses.
          if (f.note && NO_UNWIND_INFO.test(f.note) && f.module !== null) {
            breaks.push({ threadId: t.id, view: s.view, frame: f, guessed: s.frames[i + 1] ?? f });
            break;
          }
          // A scanned frame right after a frame in a known module: that function's EBP chain
          // did not lead to its caller.
          if (prev && f.trust === 'scan' && prev.trust !== 'scan' && prev.module !== null && (!crashed || t.faulting)) {
            breaks.push({ threadId: t.id, view: s.view, frame: prev, guessed: f });
            break;
          }
        }
      }
    }
    if (breaks.length === 0) return [];

    const evidence: Evidence[] = breaks.map((b) => ({
      kind: 'frames' as const,
      threadId: b.threadId,
      view: b.view,
      frames: b.guessed === b.frame ? [b.frame.index] : [b.frame.index, b.guessed.index],
      note: 'the frame-pointer chain stops here; frames and kb arguments below are guesses',
    }));
    const modules = [...new Set(breaks.map((b) => b.frame.module!))];
    const byId = new Map(model.threads.map((t) => [t.id, t]));
    const first = breaks[0]!;
    return [
      {
        confidence: 'possible',
        messageId: 'framePointerLost',
        data: { modules: modules.slice(0, 4).join(', '), threads: plural(new Set(breaks.map((b) => b.threadId)).size, 'thread'), first: threadLabel(byId.get(first.threadId)!), frame: frameText(first.frame) },
        evidence,
      },
    ];
  },
});
