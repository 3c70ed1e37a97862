// Unloaded Module: code runs (or ran, per a return address) where a DLL used to be. Once
// FreeLibrary unmaps a module its range belongs to nobody, so a callback, a hook, a thread or a
// vtable left pointing into it faults on the next call (an execute access violation) or returns
// into whatever was mapped there later. Only the dump's unloaded-module list (Windows keeps the
// last 64 unloads; dbghelp writes them with MiniDumpWithUnloadedModules, WinDbg prints them
// under "Unloaded modules:" in `lm`) says whose code the address was.
//
// A stack frame (or the exception address) inside an unloaded module's last range, and inside
// no loaded module, is the evidence: certain when the frame came from the thread's context, an
// unwinder or the debugger's own walk, likely when only a stack scan found it (a stale return
// address of a call that returned before the unload). An unloaded-module list alone says
// nothing wrong: plugins are unloaded all the time.
import type { DumpModel, Frame, Module } from '../engine/core/dump-model.ts';
import type { Evidence, StackView } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { big } from '../engine/core/hex.ts';
import { threadLabel } from '../engine/core/thread-label.ts';
import { fileNameOf } from '../engine/names/module-names.ts';
import { threadStacks } from './lib/exception-frames.ts';
import { moduleAt } from './lib/exception-codes.ts';
import { ModuleRanges } from './lib/module-ranges.ts';
import { scanCapped } from './lib/scanned-frames.ts';

interface Hit {
  threadId: number;
  view: StackView;
  frame: Frame;
  module: Module;
}

function unloadedAt(model: DumpModel, address: bigint): Module | null {
  // A range reused by a module loaded since is that module's now.
  if (moduleAt(model, address) !== null) return null;
  return ModuleRanges.of(model.unloadedModules).at(address);
}

export default defineDetector({
  id: 'unloaded-module',
  messages: {
    onStack: '{{subject}} {{what}} {{address}}, inside {{module}}, a module the process had unloaded{{range}}{{more}}.',
    exceptionOnly: 'The exception address {{address}} lies inside {{module}}, a module the process had unloaded{{range}}.',
  },
  detect(model) {
    if (model.unloadedModules.length === 0) return [];
    const hits: Hit[] = [];
    for (const t of model.threads) {
      for (const s of threadStacks(t)) {
        for (const f of s.frames) {
          const m = unloadedAt(model, big(f.address));
          if (m) hits.push({ threadId: t.id, view: s.view, frame: f, module: m });
        }
      }
    }
    const exceptionModule = model.exception?.address ? unloadedAt(model, big(model.exception.address)) : null;
    const range = (m: Module) => ` (${fileNameOf(m.name)} was at ${m.base}, ${m.size} bytes)`;
    if (hits.length === 0) {
      if (!exceptionModule || !model.exception?.address) return [];
      return [
        {
          confidence: 'certain',
          messageId: 'exceptionOnly',
          data: { address: model.exception.address, module: fileNameOf(exceptionModule.name), range: range(exceptionModule) },
          evidence: [
            { kind: 'exception', note: 'the exception address is in an unloaded module' },
            { kind: 'field', path: 'unloadedModules', note: `${fileNameOf(exceptionModule.name)} in the unloaded-module list` },
          ],
        },
      ];
    }
    // The faulting thread's hit first, then frame 0 hits (code running there now). Which threads
    // are faulting is decided once, not per comparison (a find per comparison was threads × hits).
    const faulting = new Set(model.threads.filter((t) => t.faulting).map((t) => t.id));
    const isFaulting = (id: number): boolean => faulting.has(id) && (model.threads.find((t) => t.id === id)?.faulting ?? false);
    const rank = new Map<number, number>();
    for (const h of hits) if (!rank.has(h.threadId)) rank.set(h.threadId, isFaulting(h.threadId) ? 1 : 0);
    hits.sort((a, b) => rank.get(b.threadId)! - rank.get(a.threadId)! || a.frame.index - b.frame.index);
    const first = hits[0]!;
    const thread = model.threads.find((t) => t.id === first.threadId)!;
    const byThread = new Map<string, Hit[]>();
    for (const h of hits) {
      const k = `${h.threadId}:${h.view}`;
      const list = byThread.get(k);
      if (list) list.push(h);
      else byThread.set(k, [h]);
    }
    const evidence: Evidence[] = [...byThread.values()].map((list) => ({
      kind: 'frames' as const,
      threadId: list[0]!.threadId,
      view: list[0]!.view,
      frames: list.map((h) => h.frame.index),
      note: `code address inside the unloaded ${fileNameOf(list[0]!.module.name)}`,
    }));
    if (exceptionModule) evidence.push({ kind: 'exception', note: 'the exception address is in the same unloaded range' });
    evidence.push({ kind: 'field', path: 'unloadedModules', note: `${fileNameOf(first.module.name)} in the unloaded-module list` });
    const threads = new Set(hits.map((h) => h.threadId)).size;
    const what = first.frame.index === 0 ? 'was executing at' : `returns (frame ${first.frame.index}) to`;
    return [
      {
        // A frame a scan guessed may be a return address left from before the unload.
        confidence: scanCapped('certain', hits.map((h) => h.frame)),
        messageId: 'onStack',
        data: {
          subject: `Thread ${threadLabel(thread)}`,
          what,
          address: first.frame.address,
          module: fileNameOf(first.module.name),
          range: range(first.module),
          more: threads > 1 ? `; ${threads - 1} more thread(s) have frames in unloaded modules` : '',
        },
        evidence,
      },
    ];
  },
});

