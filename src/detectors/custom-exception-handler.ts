// Custom Exception Handler: the program installed its own unhandled-exception filter
// (SetUnhandledExceptionFilter: a crash reporter, a logger, a "send report" dialog) and the
// exception reached it. The filter runs inside the crashed process, on the faulting thread,
// with whatever state the crash left: it may hang (a lock the crashed code held), crash again,
// swallow the exception, or write the dump (then the dump shows the filter, not Windows Error
// Reporting). Whoever owns the filter owns what the dump shows.
//
// Evidence: on a stack, the frame called by the system's last-chance filter
// (UnhandledExceptionFilter, kernel32 or KERNELBASE) is in a module that is not the operating
// system's: the program's filter. Certain when both frames came from the context, an unwinder
// or the debugger; likely when a scan found them. A crash whose dump was written from the
// filter is taken from the exception's context, so the filter's own frames (deeper on the
// stack) are not walked and the detector stays silent: the dump does not show them.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { threadLabel } from '../engine/core/thread-label.ts';
import { threadStacks } from './lib/exception-frames.ts';
import { functionName } from './lib/named-frames.ts';
import { isSystemFrame } from './lib/system-modules.ts';

const LAST_CHANCE = new Set(['UnhandledExceptionFilter', 'UnhandledExceptionFilterWorker']);

interface FilterHit {
  threadId: number;
  view: 'native' | 'x86';
  filterIndex: number;
  lastChanceIndex: number;
  text: string;
  lastChance: string;
  scanned: boolean;
}

export default defineDetector({
  id: 'custom-exception-handler',
  messages: {
    filter: '{{subject}} is in the program\'s own unhandled-exception filter {{filter}}, called by {{lastChance}}{{others}}.',
  },
  detect(model) {
    const hits: FilterHit[] = [];
    for (const t of model.threads) {
      for (const s of threadStacks(t)) {
        const uef = s.frames.find((f) => LAST_CHANCE.has(functionName(f) ?? ''));
        if (!uef) continue;
        // The frame above (inner to) the last-chance filter is the function it called: the
        // filter the process registered. Only code outside the OS is "custom".
        const filter = s.frames.find((f) => f.index === uef.index - 1);
        if (!filter || filter.module === null || isSystemFrame(filter)) continue;
        hits.push({
          threadId: t.id,
          view: s.view,
          filterIndex: filter.index,
          lastChanceIndex: uef.index,
          text: frameText(filter),
          lastChance: frameText(uef),
          scanned: filter.trust === 'scan' || uef.trust === 'scan',
        });
        break;
      }
    }
    if (hits.length === 0) return [];
    const h = hits[0]!;
    const thread = model.threads.find((t) => t.id === h.threadId)!;
    const evidence: Evidence[] = hits.flatMap((x) => [
      { kind: 'frames' as const, threadId: x.threadId, view: x.view, frames: [x.filterIndex], note: 'the program\'s own unhandled-exception filter' },
      { kind: 'frames' as const, threadId: x.threadId, view: x.view, frames: [x.lastChanceIndex], note: 'the system\'s last-chance filter that called it' },
    ]);
    return [
      {
        // A filter frame a scan guessed may be left over from an earlier, finished dispatch.
        confidence: h.scanned ? 'likely' : 'certain',
        messageId: 'filter',
        data: {
          subject: `Thread ${threadLabel(thread)}`,
          filter: h.text,
          lastChance: h.lastChance,
          others: hits.length > 1 ? `; ${hits.length - 1} more thread(s) are in it too` : '',
        },
        evidence,
      },
    ];
  },
});
