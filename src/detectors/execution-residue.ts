// Execution Residue: return addresses of calls that have already returned, still on the stack.
// When a function returns its frame is not cleared; the next calls reuse the memory, but a
// buffer they never write, or padding between their frames, keeps what was there. So the stack
// above the stack pointer records code that ran on this thread before: the work it did before
// the crash, the handler that ran and returned, the request it served last. It is residue, not a
// stack trace: it says a call happened at some time, not when, or why it matters.
//
// The model scans the faulting thread's captured stack (bounded, model/minidump/stack-residue.ts)
// and keeps only values whose CALL instruction was checked in module code and that no live frame
// accounts for. This detector reports those in the program's own modules: the operating system's
// residue (loader, heap, thread start) is on every stack and says nothing about the program.
import type { ResidueEntry } from '../engine/core/dump-model.ts';
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { threadLabelById } from './lib/exception-evidence.ts';
import { isSystemModule } from './lib/system-modules.ts';
import { plural } from './lib/model-queries.ts';

/** Functions named in a summary; the rest are counted. */
const NAMED = 5;

function functionKey(e: ResidueEntry): string {
  return e.functionStart ?? `${e.module}!${e.symbol ?? e.address}`;
}

export default defineDetector({
  id: 'execution-residue',
  messages: {
    residue: 'The stack of {{thread}} holds {{addresses}} of calls that already returned ({{functionCount}} not on the live stack): {{names}}{{more}}. Code that ran on this thread before the crash; when, and why it matters, the stack does not say.',
  },
  detect(model) {
    const residue = model.residue?.[0];
    if (!residue) return [];
    const own = residue.entries.filter((e) => e.module !== null && !isSystemModule(e.module));
    if (own.length === 0) return [];
    const byFunction = new Map<string, ResidueEntry>();
    for (const e of own) if (!byFunction.has(functionKey(e))) byFunction.set(functionKey(e), e);
    const distinct = [...byFunction.values()];
    const names = distinct.slice(0, NAMED).map((e) => `${frameText({ address: e.address, module: e.module, symbol: e.symbol, offset: e.offset })} (at ${e.slot})`);
    const evidence: Evidence[] = [
      { kind: 'field', path: 'residue', note: `stale return addresses found by scanning ${residue.scannedBytes} bytes of the stack${residue.capped ? ' (the scan stopped at its bound)' : ''}` },
      { kind: 'thread', threadId: residue.threadId, note: 'the thread whose stack holds the residue' },
    ];
    return [
      {
        // One stale value may be a coincidence (a saved code pointer that happens to follow a
        // call); several functions' worth is a record of what ran. Never more: it is residue.
        confidence: distinct.length >= 2 ? 'likely' : 'possible',
        messageId: 'residue',
        data: {
          thread: threadLabelById(model, residue.threadId),
          count: own.length,
          functions: distinct.length,
          addresses: own.length === 1 ? '1 return address' : `${own.length} return addresses`,
          functionCount: plural(distinct.length, 'function'),
          names: names.join(', '),
          more: distinct.length > NAMED ? ` and ${distinct.length - NAMED} more` : '',
        },
        evidence,
      },
    ];
  },
});
