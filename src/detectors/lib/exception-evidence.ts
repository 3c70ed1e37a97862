// Evidence that points at the stored exception and at the faulting thread's frames, shaped the
// way the report wants it (see Evidence in src/engine/report/schema.ts), so the page highlights
// the same things for every exception pattern.
import type { DumpModel, Thread } from '../../engine/core/dump-model.ts';
import type { Evidence } from '../../engine/report/schema.ts';
import { hex } from '../../engine/core/hex.ts';
import type { ExceptionStack } from './exception-frames.ts';
import { faultingThread } from './model-queries.ts';
import { faultSite } from './exception-codes.ts';
import { threadLabel } from '../../engine/core/thread-label.ts';
import { shortSourceText } from '../../engine/core/frame-text.ts';
import type { Frame } from '../../engine/core/dump-model.ts';

/** `note`, placed at the frame's source line when a symbol file gave one: "…, at order.c:15". */
export function atSource(note: string, frame: Frame | undefined): string {
  return frame?.source ? `${note} at ${shortSourceText(frame.source)}` : note;
}

/** The exception record, plus the `!analyze -v` fields that restate it, when the input has them. */
export function exceptionEvidence(model: DumpModel, note: string, keys: readonly string[] = []): Evidence[] {
  const out: Evidence[] = [];
  if (model.exception) out.push({ kind: 'exception', note });
  for (const key of keys) {
    if (model.annotations[key]) out.push({ kind: 'field', path: `annotations.${key}`, note: `!analyze -v: ${model.annotations[key]}` });
  }
  return out;
}

/** Frames of the faulting thread, by index, keeping only indices that exist. */
export function faultingFramesEvidence(model: DumpModel, indices: readonly number[], note: string): Evidence[] {
  const t = faultingThread(model);
  if (!t) return [];
  return framesEvidence(t, indices, note);
}

export function framesEvidence(thread: Thread, indices: readonly number[], note: string, view: 'native' | 'x86' = 'native'): Evidence[] {
  const frames = view === 'x86' ? (thread.x86Frames ?? []) : thread.frames;
  const present = [...new Set(indices)].filter((i) => frames.some((f) => f.index === i));
  return present.length > 0 ? [{ kind: 'frames', threadId: thread.id, view, frames: present, note }] : [];
}

/** The exception-processing frames of one stack, and the frame they came from. */
export function exceptionStackEvidence(s: ExceptionStack, note: string): Evidence[] {
  const frames = s.matches.map((m) => m.frame.index);
  const out: Evidence[] = [{ kind: 'frames', threadId: s.threadId, view: s.view, frames, note }];
  if (s.origin) out.push({ kind: 'frames', threadId: s.threadId, view: s.view, frames: [s.origin.index], note: atSource('the code that raised or faulted', s.origin) });
  return out;
}

/** "Thread ~0 (id 0x2fe4)", capitalised to start a sentence. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "thread ~0 (id 0x2fe4)", to name a thread inside a sentence. */
export function threadNoun(t: Thread): string {
  return `thread ${threadLabel(t)}`;
}

/** Threads by id, once per thread list: detectors ask for labels thread after thread. */
const byIdCache = new WeakMap<readonly Thread[], Map<number, Thread>>();

function threadById(threads: readonly Thread[], id: number): Thread | undefined {
  let byId = byIdCache.get(threads);
  if (!byId) {
    byId = new Map();
    // The first thread with an id wins, as a find() over the list would.
    for (const t of threads) if (!byId.has(t.id)) byId.set(t.id, t);
    byIdCache.set(threads, byId);
  }
  return byId.get(id);
}

export function threadLabelById(model: DumpModel, id: number): string {
  const t = threadById(model.threads, id);
  return t ? threadNoun(t) : `thread ${hex(id)}`;
}

/** "Thread ~0 (id 0x24)" for the thread the exception belongs to, to start a summary with. */
export function exceptionSubject(model: DumpModel): string {
  const t = faultingThread(model);
  if (t) return capitalize(threadNoun(t));
  const id = model.exception?.threadId;
  return id != null ? capitalize(threadLabelById(model, id)) : 'The faulting thread';
}

/** The frame at the faulting instruction (see faultSite), and optionally its caller. */
export function faultSiteEvidence(model: DumpModel, note: string, callerNote?: string): Evidence[] {
  const site = faultSite(model);
  if (!site) return [];
  const out: Evidence[] = [{ kind: 'frames', threadId: site.threadId, view: site.view, frames: [site.frame.index], note: atSource(note, site.frame) }];
  if (callerNote) {
    const t = model.threads.find((x) => x.id === site.threadId);
    const frames = site.view === 'x86' ? (t?.x86Frames ?? []) : (t?.frames ?? []);
    const caller = frames.find((f) => f.index === site.frame.index + 1);
    if (caller) out.push({ kind: 'frames', threadId: site.threadId, view: site.view, frames: [caller.index], note: atSource(callerNote, caller) });
  }
  return out;
}
