// Blocked Threads: threads stopped inside a wait that some other party must end — a lock owner,
// an RPC server, a window's thread, a person in front of a message box, an event nobody sets.
// Parked threads (a thread pool waiting for work, a message loop with nothing to do, an RPC
// server listening) are not blocked and are left out; so are threads that are reporting an
// exception (they wait for error reporting) and the debugger's or dump writer's own threads.
// One dump shows where threads wait, not for how long, so the finding is "likely" in a dump
// taken without a crash (a hang is why such dumps are taken) and "possible" beside a crash.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';

import { exceptionStacks, threadStacks } from './lib/exception-frames.ts';
import { threadLabel } from './lib/main-thread.ts';
import { plural } from './lib/model-queries.ts';
import { threadWait, type ThreadWait, type WaitKind } from './lib/wait-functions.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { archBits } from '../engine/core/arch.ts';
import type { DumpModel } from '../engine/core/dump-model.ts';

/** Indices into model.locks of the locked critical sections `threadId` owns (`!locks`, `!cs`). */
function ownedLocks(model: DumpModel, threadId: number): number[] {
  const out: number[] = [];
  (model.locks ?? []).forEach((l, i) => {
    if (l.ownerThreadId === threadId) out.push(i);
  });
  return out;
}

const WHAT: Record<WaitKind, string> = {
  'critical-section': 'a critical section',
  lock: 'a lock',
  'user-input': 'the user (modal dialog)',
  'send-message': 'a SendMessage reply',
  'ipc-client': 'an RPC/LPC reply',
  'ipc-server': 'RPC calls',
  'message-loop': 'messages',
  'thread-pool': 'work',
  io: 'synchronous I/O',
  sleep: 'a timer',
  object: 'a kernel object',
};

/** Beside a crash, only waits that commonly explain a stuck process are worth a finding. */
const NOTABLE_BESIDE_CRASH: ReadonlySet<WaitKind> = new Set(['critical-section', 'lock', 'ipc-client', 'send-message', 'user-input']);

/**
 * Threads that belong to the tools that took the dump, not to the program. (DbgBreakPoint alone
 * is not one: a critical-section wait that timed out under a debugger breaks into it and waits on.)
 */
const TOOL_FRAMES = new Set(['DbgUiRemoteBreakin', 'MiniDumpWriteDump']);

export default defineDetector({
  id: 'blocked-threads',
  messages: {
    blocked: '{{threads}} blocked{{besideCrash}}: {{list}}{{more}}.',
  },
  detect(model) {
    const crashed = model.exception !== null && !/^0x8000000[34]$/.test(model.exception.code);
    const reporting = new Set(exceptionStacks(model.threads).map((s) => s.threadId));
    const blocked: ThreadWait[] = [];
    const bits = archBits(model.system.arch) === 64 ? 64 : 32;
    for (const t of model.threads) {
      if (reporting.has(t.id)) continue;
      if (threadStacks(t).some((s) => s.frames.some((f) => f.symbol !== null && TOOL_FRAMES.has(f.symbol)))) continue;
      const w = threadWait(t, bits);
      if (!w || w.idle || w.kind === 'sleep') continue;
      // A wait called by nothing but the OS (no program frame below it) is the OS's own, unless
      // the thread holds a critical section others wait for (a paste may have cut its stack).
      if (w.caller === null && ownedLocks(model, t.id).length === 0) continue;
      if (crashed && !NOTABLE_BESIDE_CRASH.has(w.kind)) continue;
      blocked.push(w);
    }
    if (blocked.length === 0) return [];

    const evidence: Evidence[] = blocked.map((w) => ({
      kind: 'frames' as const,
      threadId: w.threadId,
      view: w.view,
      frames: w.caller ? [...w.waitFrames, w.caller.index] : w.waitFrames,
      note: `waits for ${WHAT[w.kind]}${w.lockAddress ? ` at ${w.lockAddress}` : ''}`,
    }));
    for (const w of blocked) {
      for (const i of ownedLocks(model, w.threadId)) {
        evidence.push({ kind: 'field', path: `locks.${i}`, note: 'the debugger reports this waiting thread owns this locked critical section: whoever waits for it waits for this thread too' });
      }
    }
    const byId = new Map(model.threads.map((t) => [t.id, t]));
    const holding = (id: number): string => {
      const owned = ownedLocks(model, id).map((i) => model.locks![i]!.address);
      return owned.length > 0 ? ` (while owning ${owned.slice(0, 2).join(', ')})` : '';
    };
    const list = blocked
      .slice(0, 4)
      .map((w) => `${threadLabel(byId.get(w.threadId)!)} waits for ${WHAT[w.kind]} in ${frameText(w.key)}${w.caller ? ` from ${frameText(w.caller)}` : ''}${holding(w.threadId)}`)
      .join('; ');
    const more = blocked.length > 4 ? `; and ${blocked.length - 4} more` : '';
    return [
      {
        confidence: crashed ? 'possible' : 'likely',
        messageId: 'blocked',
        data: { threads: plural(blocked.length, 'thread'), besideCrash: crashed ? ' beside the crash' : '', list, more },
        evidence,
      },
    ];
  },
});
