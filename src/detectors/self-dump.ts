// Self-Dump: the process wrote its dump itself — its own code (a crash handler, a watchdog, a
// "save diagnostics" command) called MiniDumpWriteDump on its own process. Then one of the
// threads in the dump is the writer: its stack runs through dbghelp (dbgcore on Windows 8 and
// later) and is not part of the problem, and a handler that dumps from inside a crashed
// process runs on damaged state (a corrupt heap, a held loader lock) and may hang or write a
// partial dump.
//
// Evidence: MiniDumpWriteDump on a stack of the dumped process. Certain when the frame came
// from the thread's context or an unwinder; likely when only a scan found it. A dump written
// from outside (procdump, Task Manager, WER) has no such frame, and neither has a process that
// merely loaded dbghelp for its symbol functions.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { threadLabel } from '../engine/core/thread-label.ts';
import { findNamedFrame, programCallerBelow, type NamedFrame } from './lib/named-frames.ts';
import { scanCapped } from './lib/scanned-frames.ts';

const DUMP_WRITERS = new Set(['MiniDumpWriteDump', 'MiniDumpWriteDumpEx']);

export default defineDetector({
  id: 'self-dump',
  messages: {
    writing: '{{subject}} is writing this dump of its own process ({{call}}{{caller}}): its stack is the dump writer\'s, not the problem\'s{{others}}.',
  },
  detect(model) {
    const writers: NamedFrame[] = [];
    for (const t of model.threads) {
      const w = findNamedFrame(t, DUMP_WRITERS);
      if (w) writers.push(w);
    }
    if (writers.length === 0) return [];
    const w = writers[0]!;
    const thread = model.threads.find((t) => t.id === w.threadId)!;
    const caller = programCallerBelow(w.frames, w.frame.index);
    const evidence: Evidence[] = [
      { kind: 'frames', threadId: w.threadId, view: w.view, frames: w.frames.filter((f) => f.index <= w.frame.index).map((f) => f.index), note: 'the dump writer running in the process' },
    ];
    if (caller) evidence.push({ kind: 'frames', threadId: w.threadId, view: w.view, frames: [caller.index], note: 'the code that asked for the dump' });
    const module = model.modules.find((m) => /^(dbghelp|dbgcore)\.dll$/i.test(m.name.split(/[\\/]/).pop() ?? ''));
    if (module) evidence.push({ kind: 'module', name: module.name, note: 'the dump writer' });
    return [
      {
        confidence: scanCapped('certain', [w.frame]),
        messageId: 'writing',
        data: {
          subject: `Thread ${threadLabel(thread)}`,
          call: frameText(w.frame),
          caller: caller ? `, called from ${frameText(caller)}` : '',
          others: writers.length > 1 ? `; ${writers.length - 1} more thread(s) are in the dump writer too` : '',
        },
        evidence,
      },
    ];
  },
});
