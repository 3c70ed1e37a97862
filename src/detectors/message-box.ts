// Message Box: a thread shows a modal message box and waits, in the box's own message loop, for
// a person to close it. In a service or a process nobody watches, nobody ever will: the thread
// (often the main one, often holding locks) is stuck, and what it wanted to say is the clue.
// The MessageBox* call is on the thread's stack, above (outer to) the dialog loop the thread
// waits in; the first frame of the program's own code below it is who asked.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { threadLabel } from '../engine/core/thread-label.ts';
import { findNamedFrame, functionName, programCallerBelow, type NamedFrame } from './lib/named-frames.ts';
import { plural } from './lib/model-queries.ts';
import { scanCapped } from './lib/scanned-frames.ts';

/** user32's message box entry points and the worker they all end in. */
const MESSAGE_BOX = new Set([
  'MessageBoxA',
  'MessageBoxW',
  'MessageBoxExA',
  'MessageBoxExW',
  'MessageBoxIndirectA',
  'MessageBoxIndirectW',
  'MessageBoxTimeoutA',
  'MessageBoxTimeoutW',
  'MessageBoxWorker',
  'SoftModalMessageBox',
]);

export default defineDetector({
  id: 'message-box',
  messages: {
    shown: '{{subject}} shows a message box ({{call}}{{caller}}) and waits for someone to close it{{others}}.',
  },
  detect(model) {
    const boxes: NamedFrame[] = [];
    for (const t of model.threads) {
      // The outermost MessageBox* frame is the call the program made; the inner ones are
      // user32 calling itself (MessageBoxA → MessageBoxIndirectA → … → SoftModalMessageBox).
      const inner = findNamedFrame(t, MESSAGE_BOX);
      if (!inner) continue;
      const outer = [...inner.frames].reverse().find((f) => f.index >= inner.frame.index && MESSAGE_BOX.has(functionName(f) ?? ''));
      boxes.push(outer ? { ...inner, frame: outer } : inner);
    }
    if (boxes.length === 0) return [];
    const byId = new Map(model.threads.map((t) => [t.id, t]));
    const first = boxes[0]!;
    const caller = programCallerBelow(first.frames, first.frame.index);
    const evidence: Evidence[] = boxes.map((b) => ({
      kind: 'frames' as const,
      threadId: b.threadId,
      view: b.view,
      frames: b.frames.filter((f) => f.index <= b.frame.index).map((f) => f.index),
      note: 'a modal message box and the dialog loop it waits in',
    }));
    if (caller) evidence.push({ kind: 'frames', threadId: first.threadId, view: first.view, frames: [caller.index], note: 'the code that showed the message box' });
    const others = boxes.slice(1).map((b) => threadLabel(byId.get(b.threadId)!));
    return [
      {
        // A MessageBox frame found only by scanning may be a stale return address of a box
        // closed long ago.
        confidence: scanCapped('certain', [first.frame]),
        messageId: 'shown',
        data: {
          subject: `Thread ${threadLabel(byId.get(first.threadId)!)}`,
          call: frameText(first.frame),
          caller: caller ? `, called from ${frameText(caller)}` : '',
          others: others.length > 0 ? `; ${plural(others.length, 'more thread')} too: ${others.join(', ')}` : '',
          count: boxes.length,
        },
        evidence,
      },
    ];
  },
});
