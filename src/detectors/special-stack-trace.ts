// Special Stack Trace: a thread caught in one of the moments a healthy process rarely shows in
// a dump — ending the process (ExitProcess, RtlExitUserProcess, the loader calling every DLL's
// DllMain with DLL_PROCESS_DETACH), ending a thread, or unloading a DLL. A dump saved then was
// usually saved late: the error that made the program exit (a message box dismissed, a handled
// exception) is gone, and what shows is the shutdown itself — or a shutdown that hangs, most
// often a DllMain waiting for a thread ExitProcess already killed, or for the loader lock.
//
// Evidence: the process-exit, thread-exit or unload functions on a stack, in frames that came
// from the context, an unwinder or the debugger (a scanned return address into ExitProcess is
// as likely residue of an earlier call). Certain then.
import type { Frame } from '../engine/core/dump-model.ts';
import type { Evidence, StackView } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { threadLabel } from '../engine/core/thread-label.ts';
import { threadStacks } from './lib/exception-frames.ts';
import { functionName } from './lib/named-frames.ts';
import { isSystemFrame } from './lib/system-modules.ts';

type Moment = 'process-exit' | 'thread-exit' | 'unload';

const MOMENTS: ReadonlyMap<string, Moment> = new Map([
  ['ExitProcess', 'process-exit'],
  ['RtlExitUserProcess', 'process-exit'],
  ['LdrShutdownProcess', 'process-exit'],
  ['LdrpShutdownProcess', 'process-exit'],
  ['_ExitProcess', 'process-exit'],
  ['ExitProcessStub', 'process-exit'],
  ['__crtExitProcess', 'process-exit'],
  ['FatalExit', 'process-exit'],
  ['ExitThread', 'thread-exit'],
  ['RtlExitUserThread', 'thread-exit'],
  ['LdrShutdownThread', 'thread-exit'],
  ['LdrpShutdownThread', 'thread-exit'],
  ['FreeLibraryAndExitThread', 'thread-exit'],
  ['LdrUnloadDll', 'unload'],
  ['LdrpUnloadDll', 'unload'],
  ['FreeLibrary', 'unload'],
]);

const WHAT: Record<Moment, string> = {
  'process-exit': 'ending the process',
  'thread-exit': 'ending its thread',
  unload: 'unloading a DLL',
};

interface Hit {
  threadId: number;
  view: StackView;
  moment: Moment;
  /** The exit or unload frames, innermost first. */
  frames: Frame[];
  /** The innermost code outside the OS above them (a DllMain the loader called), if any. */
  inner: Frame | null;
}

export default defineDetector({
  id: 'special-stack-trace',
  messages: {
    moment: '{{subject}} is {{what}} ({{frame}}){{inner}}: the dump was saved during the shutdown, after whatever made the program end{{others}}.',
  },
  detect(model) {
    const hits: Hit[] = [];
    for (const t of model.threads) {
      for (const s of threadStacks(t)) {
        // A return address a scan found may be residue of a call that returned long ago: only
        // frames an unwinder or the debugger followed count.
        const frames = s.frames.filter((f) => f.trust !== 'scan' && MOMENTS.has(functionName(f) ?? ''));
        if (frames.length === 0) continue;
        // Process exit outranks the others on one stack (ExitProcess unloads every DLL).
        const moment = frames.some((f) => MOMENTS.get(functionName(f)!) === 'process-exit') ? 'process-exit' : MOMENTS.get(functionName(frames[0]!)!)!;
        const innermost = frames[0]!;
        const inner = [...s.frames].reverse().find((f) => f.index < innermost.index && f.module !== null && !isSystemFrame(f)) ?? null;
        hits.push({ threadId: t.id, view: s.view, moment, frames, inner });
        break;
      }
    }
    if (hits.length === 0) return [];
    const order: Moment[] = ['process-exit', 'unload', 'thread-exit'];
    hits.sort((a, b) => order.indexOf(a.moment) - order.indexOf(b.moment));
    const h = hits[0]!;
    const thread = model.threads.find((t) => t.id === h.threadId)!;
    const outermost = h.frames.filter((f) => MOMENTS.get(functionName(f)!) === h.moment).at(-1)!;
    const evidence: Evidence[] = hits.map((x) => ({ kind: 'frames' as const, threadId: x.threadId, view: x.view, frames: x.frames.map((f) => f.index), note: WHAT[x.moment] }));
    if (h.inner) evidence.push({ kind: 'frames', threadId: h.threadId, view: h.view, frames: [h.inner.index], note: 'code the shutdown called (a DLL\'s DllMain or an exit handler)' });
    return [
      {
        confidence: 'certain',
        messageId: 'moment',
        data: {
          subject: `Thread ${threadLabel(thread)}`,
          what: WHAT[h.moment],
          moment: h.moment,
          frame: frameText(outermost),
          inner: h.inner ? `, inside ${frameText(h.inner)}` : '',
          others: hits.length > 1 ? `; ${hits.length - 1} more thread(s) are exiting or unloading too` : '',
        },
        evidence,
      },
    ];
  },
});
