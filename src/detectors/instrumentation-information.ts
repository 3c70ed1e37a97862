// Instrumentation Information: the process ran with debugging instrumentation switched on —
// global flags (gflags: page heap, heap tail and free checks, the user-mode stack trace
// database), Application Verifier, or the debug heap a debugger turns on for a process it
// starts. Instrumentation changes what a crash looks like (page heap turns a quiet overrun
// into an access violation at the guilty instruction; Verifier stops with its own breakpoint)
// and what the dump holds (allocation stacks for !heap -p -a, !htrace), so it is the first
// thing to know about a dump, and a hint that someone was already hunting a bug.
//
// Evidence, strongest first: PEB.NtGlobalFlag read from the dump (the flags the loader applied:
// proof), Application Verifier's DLLs in the module list or, in a log without `lm`, in the
// frames the debugger named (it names a frame's module only from the loaded modules: proof too),
// a verifier stop or page heap message in debugger output (the reader keeps them as annotations).
import type { DumpModel } from '../engine/core/dump-model.ts';
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { big } from '../engine/core/hex.ts';
import { threadStacks } from './lib/exception-frames.ts';
import { shortName } from './lib/model-queries.ts';

/** NtGlobalFlag bits that instrument a user-mode process (ntexapi.h FLG_*, gflags' abbreviations). */
const FLAGS: ReadonlyArray<[number, string]> = [
  [0x00000010, 'htc (heap tail checking)'],
  [0x00000020, 'hfc (heap free checking)'],
  [0x00000040, 'hpc (heap parameter checking)'],
  [0x00000080, 'hvc (heap validation on call)'],
  [0x00000100, 'vrf (Application Verifier)'],
  [0x00000800, 'htg (heap tagging)'],
  [0x00001000, 'ust (user-mode stack trace database)'],
  [0x00008000, 'htd (heap tagging by DLL)'],
  [0x00100000, 'dhc (disable heap coalescing)'],
  [0x02000000, 'hpa (page heap)'],
];
/** htc + hfc + hpc: what Windows sets for a process started under a debugger (the debug heap). */
const DEBUGGER_HEAP = 0x70;
/** Application Verifier's engine and its provider DLLs. */
const VERIFIER_MODULES = new Set(['verifier', 'vrfcore', 'vfbasics', 'vfcompat', 'vfluapriv', 'vfprint', 'vfnet', 'vfntlmless', 'vfnws', 'vfcuzz']);

/**
 * Frames in Application Verifier's DLLs, per thread, for a model whose module list does not
 * hold them (a pasted `k` without `lm`). Scanned frames are left out: a stale return address
 * found on the stack is not a call the debugger walked.
 */
function verifierFrames(model: DumpModel): { names: string[]; evidence: Evidence[] } {
  const names = new Set<string>();
  const evidence: Evidence[] = [];
  for (const t of model.threads) {
    for (const { view, frames } of threadStacks(t)) {
      const hits = frames.filter((f) => f.module !== null && f.trust !== 'scan' && VERIFIER_MODULES.has(shortName(f.module)));
      if (hits.length === 0) continue;
      for (const f of hits) names.add(shortName(f.module!));
      evidence.push({ kind: 'frames', threadId: t.id, view, frames: hits.map((f) => f.index), note: "frames in Application Verifier's DLL, as the debugger named them" });
    }
  }
  return { names: [...names].sort(), evidence };
}

function flagNames(value: number): string[] {
  return FLAGS.filter(([bit]) => (value & bit) !== 0).map(([, name]) => name);
}

export default defineDetector({
  id: 'instrumentation-information',
  messages: {
    flags: 'The process ran with global flags {{flag}}: {{names}}{{verifier}}.',
    debugHeap: 'The process ran with global flags {{flag}} ({{names}}): the debug heap Windows turns on for a process started under a debugger{{verifier}}.',
    verifier: 'Application Verifier was loaded in the process ({{modules}}){{stop}}.',
    stop: 'Debugger output reports {{what}}: the process ran under heap instrumentation{{stopText}}.',
  },
  detect(model) {
    const verifierModules = model.modules.filter((m) => VERIFIER_MODULES.has(shortName(m.name)));
    const verifierText = verifierModules.length > 0 ? `; Application Verifier is loaded (${verifierModules.map((m) => shortName(m.name)).join(', ')})` : '';
    const moduleEvidence: Evidence[] = verifierModules.map((m) => ({ kind: 'module', name: m.name, note: 'an Application Verifier DLL' }));
    const flagHex = model.process.ntGlobalFlag;
    const flag = flagHex ? Number(big(flagHex) & 0xffffffffn) : 0;
    const names = flagNames(flag);
    if (names.length > 0) {
      const evidence: Evidence[] = [{ kind: 'field', path: 'process.ntGlobalFlag', note: `PEB.NtGlobalFlag: ${names.join(', ')}` }, ...moduleEvidence];
      const onlyDebugger = (flag & ~DEBUGGER_HEAP) === 0;
      return [
        {
          confidence: 'certain',
          messageId: onlyDebugger ? 'debugHeap' : 'flags',
          data: { flag: `0x${flag.toString(16).padStart(8, '0')}`, names: names.join(', '), verifier: verifierText },
          evidence,
        },
      ];
    }
    const stop = model.annotations['VERIFIER_STOP'];
    const pageHeap = model.annotations['PAGE_HEAP'];
    const onStacks = verifierModules.length > 0 ? null : verifierFrames(model);
    if (verifierModules.length > 0 || (onStacks && onStacks.names.length > 0)) {
      return [
        {
          confidence: 'certain',
          messageId: 'verifier',
          data: {
            modules: verifierModules.length > 0 ? verifierModules.map((m) => m.name).join(', ') : onStacks!.names.join(', '),
            stop: stop ? `; it stopped the process: VERIFIER STOP ${stop}` : '',
          },
          evidence: [...moduleEvidence, ...(onStacks?.evidence ?? []), ...(stop ? [{ kind: 'field' as const, path: 'annotations.VERIFIER_STOP', note: `VERIFIER STOP ${stop}` }] : [])],
        },
      ];
    }
    if (stop || pageHeap) {
      const evidence: Evidence[] = [];
      if (stop) evidence.push({ kind: 'field', path: 'annotations.VERIFIER_STOP', note: `VERIFIER STOP ${stop}` });
      if (pageHeap) evidence.push({ kind: 'field', path: 'annotations.PAGE_HEAP', note: 'page heap messages in the output' });
      return [
        {
          confidence: 'certain',
          messageId: 'stop',
          data: { what: stop ? 'an Application Verifier stop (page heap checks)' : 'page heap', stopText: stop ? `: VERIFIER STOP ${stop}` : '' },
          evidence,
        },
      ];
    }
    return [];
  },
});
