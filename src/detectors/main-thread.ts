// Main Thread: the process's first thread — the one that ran main/WinMain and, in a GUI
// program, owns the windows and pumps their messages. When the dump was not taken at its own
// crash, what it is doing is the first thing to read: a hang dump of a GUI program is usually
// a main thread that stopped pumping messages (blocked on a lock, an RPC call, a modal message
// box). The detector reports it when it is stuck, or when there is no crash to look at instead;
// a main thread that is itself the faulting thread, or idles in its message loop while another
// thread crashed, tells nothing new.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';

import { threadStacks } from './lib/exception-frames.ts';
import { mainThread, threadLabel } from './lib/main-thread.ts';
import { framesAt, scanCapped } from './lib/scanned-frames.ts';
import { isSystemFrame } from './lib/system-modules.ts';
import { threadWait, type ThreadWait } from './lib/wait-functions.ts';
import { frameText } from '../engine/core/frame-text.ts';

const DOING: Record<ThreadWait['kind'], string> = {
  'critical-section': 'is blocked entering a critical section',
  lock: 'is blocked on a lock or condition variable',
  'user-input': 'shows a modal message box or dialog and waits for the user',
  'send-message': 'waits for another window’s thread to answer a SendMessage',
  'ipc-client': 'waits for the reply to an RPC/COM/LPC call to another process',
  'ipc-server': 'listens for RPC/LPC calls',
  'message-loop': 'is idle in its message loop',
  'thread-pool': 'waits for thread-pool work',
  io: 'waits for synchronous I/O',
  sleep: 'sleeps',
  object: 'waits for a kernel object (event, mutex, semaphore, thread or process)',
};

const HOW: Record<string, string> = {
  'start-function': 'its stack starts the program',
  'thread-id': 'its thread id is the process id',
  'first-thread': 'the first thread in the list',
  'earliest-created': 'the earliest-created thread',
};

export default defineDetector({
  id: 'main-thread',
  messages: {
    mainThread: 'Main thread {{thread}} {{doing}}, {{context}}.',
  },
  detect(model) {
    if (model.threads.length < 2) return [];
    const main = mainThread(model);
    if (!main) return [];
    const t = main.thread;
    // A debugger's break-in is how a dump is taken by hand, not a crash.
    const crashed = model.exception !== null && !/^0x(?:80000003|4000001f)$/.test(model.exception.code);
    if (crashed && t.faulting) return [];

    const wait = threadWait(t);
    const stuck = wait !== null && !wait.idle && wait.kind !== 'sleep';
    if (crashed && !stuck) return [];
    const stack = threadStacks(t)[0];
    if (!stack) return [];

    const evidence: Evidence[] = [{ kind: 'thread', threadId: t.id, note: `main thread: ${HOW[main.how]}` }];
    if (main.startFrames) {
      evidence.push({ kind: 'frames', threadId: t.id, view: main.startFrames.view, frames: main.startFrames.frames, note: 'where the program started' });
    }
    let doing: string;
    if (wait) {
      const frames = [...wait.waitFrames];
      if (wait.caller) frames.push(wait.caller.index);
      evidence.push({ kind: 'frames', threadId: t.id, view: wait.view, frames, note: DOING[wait.kind] });
      doing = `${DOING[wait.kind]} (${frameText(wait.key)}${wait.caller ? ` called from ${frameText(wait.caller)}` : ''})`;
    } else {
      // Without names for the system frames the wait (if it is one) cannot be told; say where
      // the thread is and which of the program's functions it is in.
      const top = stack.frames[0]!;
      const own = stack.frames.find((f) => f.module !== null && !isSystemFrame(f));
      const frames = own && own !== top ? [top.index, own.index] : [top.index];
      evidence.push({ kind: 'frames', threadId: t.id, view: stack.view, frames, note: 'where the main thread was' });
      doing = `is at ${frameText(top)}${own && own !== top ? `, called from ${frameText(own)}` : ''}`;
    }
    const context = crashed ? 'while another thread crashed' : model.exception ? 'in a dump taken at a debugger break-in' : 'in a dump with no crash';
    // Identified by its stack or id it is the main thread for sure; by position or age it is
    // only very probably so (the first thread may have exited). A start function found only by
    // scanning the stack may be a stale value, so it is not proof either.
    const told = main.how === 'start-function' || main.how === 'thread-id' ? 'certain' : 'likely';
    const start = main.startFrames ? framesAt(t, main.startFrames.view, main.startFrames.frames) : [];
    return [
      {
        confidence: scanCapped(told, start),
        messageId: 'mainThread',
        data: { thread: threadLabel(t), doing, context },
        evidence,
      },
    ];
  },
});
