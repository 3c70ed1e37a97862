// Coupled Processes: a thread here depends on another process — it waits for the reply to a
// synchronous RPC, COM, LPC/ALPC or CSRSS call, or for a named-pipe transaction — or such a call
// just failed and raised an exception. The cause then lies in the other process (the server is
// hung, crashed, or not running), which this dump does not contain. One dump cannot show the
// server side, nor tell a cross-process call from one to a server in the same process, so the
// finding is always "possible": it says which process to dump next, not what went wrong.
import type { Frame } from '../engine/core/dump-model.ts';
import type { Evidence, StackView } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';

import { exceptionStack, threadStacks } from './lib/exception-frames.ts';
import { threadLabel } from './lib/main-thread.ts';
import { isSystemFrame } from './lib/system-modules.ts';
import { threadWait, waitKindOf } from './lib/wait-functions.ts';
import { frameText } from '../engine/core/frame-text.ts';

/** How deep below a raise an RPC client frame may sit and still be the call that failed. */
const FAILED_CALL_DEPTH = 12;

interface Coupling {
  threadId: number;
  view: StackView;
  frames: number[];
  call: Frame;
  caller: Frame | null;
  failed: boolean;
}

function firstProgramFrame(frames: readonly Frame[], from: number): Frame | null {
  for (let i = from; i < frames.length; i++) if (!isSystemFrame(frames[i]!)) return frames[i]!;
  return null;
}

export default defineDetector({
  id: 'coupled-processes',
  messages: {
    coupled: 'Coupled to another process: {{calls}}{{more}}. The server side is not in this dump: find and dump the process that serves the call.',
  },
  detect(model) {
    const found: Coupling[] = [];
    for (const t of model.threads) {
      const w = threadWait(t);
      if (w && w.kind === 'ipc-client') {
        const frames = w.caller ? [...w.waitFrames, w.caller.index] : w.waitFrames;
        found.push({ threadId: t.id, view: w.view, frames, call: w.key, caller: w.caller, failed: false });
        continue;
      }
      // A call that failed: an exception raised from inside the client side of an RPC/COM call.
      for (const s of threadStacks(t)) {
        const ex = exceptionStack(t.id, s.view, s.frames);
        const raise = ex?.matches.find((m) => m.role === 'raise');
        if (!raise) continue;
        const start = s.frames.indexOf(raise.frame);
        const call = s.frames.slice(start, start + FAILED_CALL_DEPTH).find((f) => waitKindOf(f) === 'ipc-client');
        if (!call) continue;
        const at = s.frames.indexOf(call);
        const caller = firstProgramFrame(s.frames, at + 1);
        const frames = [raise.frame.index, call.index];
        if (caller) frames.push(caller.index);
        found.push({ threadId: t.id, view: s.view, frames, call, caller, failed: true });
        break;
      }
    }
    if (found.length === 0) return [];

    const byId = new Map(model.threads.map((t) => [t.id, t]));
    const evidence: Evidence[] = found.map((c) => ({
      kind: 'frames' as const,
      threadId: c.threadId,
      view: c.view,
      frames: c.frames,
      note: c.failed ? 'a call to another process failed here' : 'waits for another process to reply',
    }));
    if (found.some((c) => c.failed) && model.exception) {
      evidence.push({ kind: 'exception', note: 'raised by the client side of the call' });
    }
    const parts = found.slice(0, 3).map((c) => {
      const who = threadLabel(byId.get(c.threadId)!);
      const from = c.caller ? ` from ${frameText(c.caller)}` : '';
      return c.failed
        ? `${who}: a call through ${frameText(c.call)}${from} failed and raised ${model.exception && byId.get(c.threadId)!.faulting ? model.exception.code : 'an exception'}`
        : `${who} waits in ${frameText(c.call)}${from}`;
    });
    const more = found.length > 3 ? `; and ${found.length - 3} more` : '';
    return [
      {
        confidence: 'possible',
        messageId: 'coupled',
        data: { calls: parts.join('; '), more },
        evidence,
      },
    ];
  },
});
