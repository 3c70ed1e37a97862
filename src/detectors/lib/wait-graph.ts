// Reading the model's wait graph (model.waitGraph, issue 12): who waits for whom, said the same
// way by every wait-chain and deadlock pattern. The graph itself — which waits resolved, to
// which owner, and which of them form cycles and chains — is built by model assembly from the
// dump's memory and HandleData stream or from a pasted `!locks`; here it is only read, named
// and turned into evidence.
import type { DumpModel, Thread, WaitChain, WaitHead, WaitLink, WaitObject } from '../../engine/core/dump-model.ts';
import { frameText } from '../../engine/core/frame-text.ts';
import { hex } from '../../engine/core/hex.ts';
import type { Confidence, Evidence } from '../../engine/report/schema.ts';
import { threadLabel } from './main-thread.ts';
import { framesAt, scannedOnly } from './scanned-frames.ts';
import { threadWait } from './wait-functions.ts';

export type WaitObjectKind = WaitObject['kind'];

/** The last part of an object's name: "\\Sessions\\1\\BaseNamedObjects\\ledger" → "ledger". */
function shortObjectName(name: string): string {
  const cut = name.lastIndexOf('\\');
  return cut >= 0 && cut < name.length - 1 ? name.slice(cut + 1) : name;
}

/** "the critical section 0x140007040 (app+0x7040)", "mutex 0x34 (ledger)", "thread handle 0x3c". */
export function objectText(on: WaitObject): string {
  const named = (base: string): string => (on.name ? `${base} (${shortObjectName(on.name)})` : base);
  switch (on.kind) {
    case 'critical-section':
      return named(`the critical section ${on.address}`);
    case 'mutex':
      return named(`mutex ${on.handle}`);
    case 'thread':
      return `thread handle ${on.handle}`;
    case 'process':
      return `process handle ${on.handle}`;
    case 'event':
      return named(`event ${on.handle}`);
    case 'semaphore':
      return named(`semaphore ${on.handle}`);
    default:
      return named(`handle ${on.handle}`);
  }
}

function threadById(model: DumpModel, id: number): Thread | undefined {
  return model.threads.find((t) => t.id === id);
}

/** A thread as the summaries name it; one the dump does not hold by its id alone. */
export function threadText(model: DumpModel, id: number): string {
  const t = threadById(model, id);
  return t ? threadLabel(t) : `thread ${hex(id)} (not in the dump)`;
}

/** Who the link's waiter waits for: "~2 (id 0x10c)", "process 256 (0x100)". */
export function ownerText(model: DumpModel, link: WaitLink): string {
  if (link.ownerThreadId !== null) return threadText(model, link.ownerThreadId);
  if (link.ownerProcessId !== null) return `process ${link.ownerProcessId} (${hex(link.ownerProcessId)})`;
  return 'nobody';
}

/** The verb of a link: a section or a mutex is owned; a thread or process handle is the thread or process. */
export function linkText(model: DumpModel, link: WaitLink): string {
  const owner = ownerText(model, link);
  const what = objectText(link.on);
  switch (link.on.kind) {
    case 'thread':
      return `${threadText(model, link.threadId)} waits for the thread ${owner} to end (${what})`;
    case 'process':
      return `${threadText(model, link.threadId)} waits for the ${owner} to end (${what})`;
    default:
      return `${threadText(model, link.threadId)} waits for ${what}, owned by ${owner}`;
  }
}

/** The model field that validated the link's object: `locks.N` or `handles.N`. */
export function recordPath(link: WaitLink): string {
  return `${link.on.kind === 'critical-section' ? 'locks' : 'handles'}.${link.on.record}`;
}

const SOURCE_NOTE: Record<WaitLink['source'], string> = {
  memory: 'read from the dump’s memory and checked (its debug record points back, its owner is a thread of this dump)',
  'handle-data': 'from the dump’s handle table (HandleData stream)',
  debugger: 'as the debugger’s !locks / !cs reported it',
};

/** Frames of the waiter that show the wait, and the record that names the object and its owner. */
export function linkEvidence(model: DumpModel, link: WaitLink): Evidence[] {
  return [
    { kind: 'frames', threadId: link.threadId, view: link.view, frames: link.frames, note: `waits for ${objectText(link.on)}; ${link.ownerThreadId !== null || link.ownerProcessId !== null ? `it waits for ${ownerText(model, link)}` : 'nobody owns it'}` },
    { kind: 'field', path: recordPath(link), note: `${objectText(link.on)}: ${SOURCE_NOTE[link.source]}` },
  ];
}

/** True when some link rests only on frames found by stack scanning (then nothing is certain). */
export function anyScanned(model: DumpModel, links: readonly WaitLink[]): boolean {
  return links.some((l) => {
    const t = threadById(model, l.threadId);
    return t === undefined || scannedOnly(framesAt(t, l.view, l.frames));
  });
}

/** Certain when the links rest on frames a walk can stand behind; likely when any rests on scanned ones. */
export function linksConfidence(model: DumpModel, links: readonly WaitLink[]): Confidence {
  return anyScanned(model, links) ? 'likely' : 'certain';
}

/** What the head of a chain does, in words, from its own stack. */
export function headText(model: DumpModel, head: WaitHead): string {
  if (head.threadId === null) return `process ${head.processId} (${hex(head.processId ?? 0)}), which this dump does not hold`;
  if (!head.inDump) return `${threadText(model, head.threadId)}`;
  const t = threadById(model, head.threadId)!;
  if (head.waitsOn) return `${threadLabel(t)}, which waits for ${objectText(head.waitsOn)} that nobody owns`;
  const w = threadWait(t);
  if (w) return `${threadLabel(t)}, which waits in ${frameText(w.key)}${w.caller ? ` called from ${frameText(w.caller)}` : ''}`;
  const top = t.frames[0];
  return top ? `${threadLabel(t)}, which runs at ${frameText(top)}` : threadLabel(t);
}

/**
 * Evidence for a head: its wait frames, or its top frame, or the thread; and the model's
 * `waitGraph.head` when this is that head (the longest chain's).
 */
export function headEvidence(model: DumpModel, head: WaitHead): Evidence[] {
  const out: Evidence[] = [];
  if (model.waitGraph?.head === head) out.push({ kind: 'field', path: 'waitGraph.head', note: 'the head of the longest wait chain: what a hang’s failure bucket names' });
  if (head.threadId === null || !head.inDump) return out;
  const t = threadById(model, head.threadId)!;
  const w = threadWait(t);
  const note = 'the head of the wait chain: every thread in it waits, directly or not, for this one';
  if (w) out.push({ kind: 'frames', threadId: t.id, view: w.view, frames: w.caller ? [...w.waitFrames, w.caller.index] : w.waitFrames, note });
  else if (t.frames.length > 0) out.push({ kind: 'frames', threadId: t.id, view: 'native', frames: [0], note });
  else out.push({ kind: 'thread', threadId: t.id, note });
  return out;
}

/** The chains that hold a link of `kind`, of at least `minLinks` links, longest first. */
export function chainsWith(model: DumpModel, kind: WaitObjectKind, minLinks: number): WaitChain[] {
  const g = model.waitGraph;
  if (!g) return [];
  return g.chains.filter((c) => c.links.length >= minLinks && c.links.some((i) => g.links[i]!.on.kind === kind));
}

/** The links of a chain or cycle, by index. */
export function linksOf(model: DumpModel, indices: readonly number[]): WaitLink[] {
  return indices.map((i) => model.waitGraph!.links[i]!);
}

/** Threads in a chain: every waiter, and the head when it is a thread. */
export function chainThreadCount(model: DumpModel, chain: WaitChain): number {
  return chain.links.length + (chain.head.threadId !== null ? 1 : 0);
}
