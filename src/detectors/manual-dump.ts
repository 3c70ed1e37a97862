// Manual Dump: the dump was saved on request (Task Manager, procdump, userdump, a debugger's
// .dump, a program dumping itself for diagnostics), not by a crash. What tells it: no exception
// record at all; the breakpoint a debugger injects when it attaches (DbgUiRemoteBreakin →
// DbgBreakPoint on a thread of its own); Breakpad's DUMP_REQUESTED pseudo-exception; a writer's
// comment that says so. A dump saved by hand while an exception was being dispatched is still
// manual, but its stacks then hide a crash, so the finding says so and is less sure.
import type { DumpModel } from '../engine/core/dump-model.ts';
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { exceptionStacks, threadStacks } from './lib/exception-frames.ts';
import { isDebuggerBreakIn, STATUS, usesSignals, windowsCode } from './lib/exception-codes.ts';
import { threadLabel } from './lib/main-thread.ts';
import { faultingThread, plural } from './lib/model-queries.ts';
import { framesAt, scanCapped } from './lib/scanned-frames.ts';

/** Breakpad's MD_EXCEPTION_CODE_LIN_DUMP_REQUESTED: the dump was asked for, no signal arrived. */
const BREAKPAD_DUMP_REQUESTED = 0xffffffff;

// userdump writes "… with Standalone function …" when run by hand (and "Exception Monitor
// function" when it caught a crash); procdump and other tools put "manual" in their comments.
const MANUAL_COMMENT = /\bStandalone function\b|\bmanual(?:ly)?\b|\bon request\b|\bhang\b/i;

function writerText(model: DumpModel): string {
  return model.dump.writer ? ` (writer: ${model.dump.writer})` : '';
}

/** The debugger's break-in thread: DbgUiRemoteBreakin calls DbgBreakPoint on a thread it creates. */
function breakInThread(model: DumpModel): { threadId: number; view: 'native' | 'x86'; frames: number[]; lone?: boolean } | null {
  for (const t of model.threads) {
    for (const s of threadStacks(t)) {
      const frames = s.frames.filter((f) => f.symbol === 'DbgUiRemoteBreakin' || f.symbol === 'DbgBreakPoint').map((f) => f.index);
      if (s.frames.some((f) => f.symbol === 'DbgUiRemoteBreakin')) return { threadId: t.id, view: s.view, frames };
    }
  }
  return null;
}

/** A break-in the paste kept only the top of: the faulting thread is in DbgBreakPoint and nothing else. */
function loneBreakIn(model: DumpModel): { threadId: number; view: 'native' | 'x86'; frames: number[]; lone: true } | null {
  if (!isDebuggerBreakIn(model)) return null;
  const t = faultingThread(model);
  if (!t) return null;
  return { threadId: t.id, view: 'native', frames: t.frames.filter((f) => f.symbol === 'DbgBreakPoint').map((f) => f.index), lone: true };
}

export default defineDetector({
  id: 'manual-dump',
  messages: {
    dumpRequested: "Saved on request, not by a crash handler: the exception is Breakpad's DUMP_REQUESTED ({{code}}){{askedBy}}.",
    debuggerBreakIn: "Saved after a debugger attached and broke in: the stored {{code}} is the break-in on the debugger's thread {{thread}}, not a crash.",
    noExceptionButDispatching: 'No exception is stored, so the dump was saved{{writer}} without one, by hand or by a handler that did not pass it — but {{threads}} (first {{first}}) were dispatching an exception: look for the hidden exception on {{them}}.',
    noException: 'Saved on request{{writer}}, not by a crash handler: {{why}}; read all {{threads}} (start with the main thread) to see what the process was doing.',
  },
  detect(model) {
    const evidence: Evidence[] = [];
    const comment = model.dump.comment;
    const commentSaysManual = comment !== null && MANUAL_COMMENT.test(comment);
    if (commentSaysManual) evidence.push({ kind: 'field', path: 'dump.comment', note: 'the writer’s comment says the dump was taken on request' });

    // Breakpad on Linux/Android: a requested dump carries a pseudo-exception instead of a signal.
    if (usesSignals(model) && model.exception && Number.parseInt(model.exception.code.slice(2), 16) === BREAKPAD_DUMP_REQUESTED) {
      evidence.unshift({ kind: 'exception', note: 'DUMP_REQUESTED: Breakpad wrote this dump on request, no signal arrived' });
      const t = faultingThread(model);
      if (t) evidence.push({ kind: 'thread', threadId: t.id, note: 'the thread that asked for the dump' });
      return [
        {
          confidence: 'certain',
          messageId: 'dumpRequested',
          data: { code: model.exception.code, askedBy: t ? `, asked for by thread ${threadLabel(t)}` : '' },
          evidence,
        },
      ];
    }

    const code = windowsCode(model);
    if (code === STATUS.BREAKPOINT || code === STATUS.WX86_BREAKPOINT) {
      const brk = breakInThread(model) ?? loneBreakIn(model);
      if (!brk) return [];
      const t = model.threads.find((x) => x.id === brk.threadId)!;
      evidence.unshift(
        { kind: 'exception', note: 'the breakpoint a debugger raises when it attaches (break-in)' },
        ...(brk.frames.length > 0
          ? [{ kind: 'frames' as const, threadId: brk.threadId, view: brk.view, frames: brk.frames, note: 'the debugger’s own thread: DbgUiRemoteBreakin → DbgBreakPoint' }]
          : []),
      );
      return [
        {
          // The break-in is told by DbgUiRemoteBreakin; found only by scanning, it may be a
          // stale return address, not the thread's caller. A paste that kept only DbgBreakPoint
          // does not show who called it: likely the debugger, not proven.
          confidence: brk.lone ? 'likely' : scanCapped('certain', framesAt(t, brk.view, brk.frames).filter((f) => f.symbol === 'DbgUiRemoteBreakin')),
          messageId: 'debuggerBreakIn',
          data: { code: model.exception!.code, thread: threadLabel(t) },
          evidence,
        },
      ];
    }

    if (model.exception !== null) return [];
    if (model.threads.length === 0) return [];
    // Debugger text may simply not include the event line; only a printed dump banner that
    // announced no stored exception says there was none.
    const text = model.input.format === 'windbg-text';
    if (text && (model.dump.description === null || model.dump.manual === false)) return [];

    const dispatching = exceptionStacks(model.threads).filter((s) => s.matches.some((m) => m.role === 'entry' || m.role === 'dispatch' || m.role === 'unhandled'));
    evidence.unshift({ kind: 'field', path: text ? 'dump.description' : 'dump.streams', note: text ? 'the dump banner announced no stored exception' : 'no exception stream among the dump’s streams' });

    if (dispatching.length > 0) {
      for (const s of dispatching) {
        evidence.push({
          kind: 'frames',
          threadId: s.threadId,
          view: s.view,
          frames: s.matches.map((m) => m.frame.index),
          note: 'an exception was being dispatched on this thread when the dump was saved',
        });
      }
      const first = model.threads.find((t) => t.id === dispatching[0]!.threadId)!;
      return [
        {
          confidence: 'likely',
          messageId: 'noExceptionButDispatching',
          data: { writer: writerText(model), threads: plural(dispatching.length, 'thread'), first: threadLabel(first), them: dispatching.length === 1 ? 'it' : 'them' },
          evidence,
        },
      ];
    }

    const confidence = text && !commentSaysManual && model.dump.manual !== true ? 'likely' : 'certain';
    return [
      {
        confidence,
        messageId: 'noException',
        data: { writer: writerText(model), why: text ? 'the banner shows no stored exception' : 'the dump holds no exception record', threads: plural(model.threads.length, 'thread') },
        evidence,
      },
    ];
  },
});
