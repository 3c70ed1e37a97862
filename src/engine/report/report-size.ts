// How big a report may get. The report is what the CLI prints with --json and what the page's
// worker posts to the page, whole: past some hundreds of millions of characters JSON.stringify
// throws RangeError and postMessage DataCloneError, and well before that the page's main
// thread spends seconds taking the copy in. The readers bound each string and each list by what
// the input can hold, but the product can still be huge (100 000 handles each naming a 32 K
// string; 10^6 rows of `lm` in a 40 MB text), so the model is bounded once more, whole, before
// the detectors see it (so their evidence points only at what is kept):
//
// 1. by count: each list to a cap (REPORT_CAPS), the faulting thread and its frames first;
// 2. by size: the report's JSON, estimated from its strings and structure (jsonSize), to
//    MAX_REPORT_CHARS, cutting lists from the end in the order a reader misses them least:
//    handles, unloaded modules, annotations, locks, modules, the frames of the other threads
//    (down to frame 0), the other threads, the faulting thread's frames, warnings.
//
// Every cut is a warning (`cap-report`, or the list's own cap kind for a count) and the
// `missing` entry "list entries past the report limit".
import type { DumpModel, Frame, Thread } from '../core/dump-model.ts';
import { faultingThread } from '../core/faulting-thread.ts';
import type { Warning } from '../core/warnings.ts';

/**
 * Characters of the report's JSON, about (strings by their length, escapes not counted): 24 Mi,
 * a few hundred MB as JS objects, far from any engine's string limit even if every character
 * needed a six-character escape.
 */
export const MAX_REPORT_CHARS = 24 * 1024 * 1024;

/** Entries a report keeps of each list, whatever their size. */
export const REPORT_CAPS = {
  threads: 10_000,
  /** All stacks of all threads together, native and x86. */
  frames: 100_000,
  modules: 100_000,
  unloadedModules: 100_000,
  handles: 100_000,
  locks: 10_000,
  annotations: 10_000,
  warnings: 1_000,
} as const;

/** Characters of one warning's message; readers quote input in some. */
export const MAX_WARNING_CHARS = 1024;

const LIMIT_MISSING = 'list entries past the report limit' as const;

/** Characters `value` takes as compact JSON, escapes aside. */
export function jsonSize(value: unknown): number {
  if (typeof value === 'string') return value.length + 2;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).length : 4;
  if (typeof value === 'boolean') return value ? 4 : 5;
  if (value === null) return 4;
  // Index and for-in loops, not for-of and Object.entries: this walks every value of the report
  // once per analysis, before any of it is optimized, and those allocate at each step.
  if (Array.isArray(value)) {
    let n = 2 + Math.max(0, value.length - 1);
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      n += v === undefined ? 4 : jsonSize(v);
    }
    return n;
  }
  if (typeof value === 'object') {
    let n = 2;
    let comma = 0;
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined || typeof v === 'function') continue;
      n += comma + k.length + 3 + jsonSize(v);
      comma = 1;
    }
    return n;
  }
  return 0;
}

interface Cuts {
  warnings: Warning[];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function cutCount<T>(list: T[], cap: number, what: string, kind: Warning['kind'], cuts: Cuts): T[] {
  if (list.length <= cap) return list;
  cuts.warnings.push({ kind, message: `the report keeps the first ${cap} of ${list.length} ${what} (its limit); the rest are not listed` });
  return list.slice(0, cap);
}

function cutMessage(w: Warning): Warning {
  return w.message.length <= MAX_WARNING_CHARS ? w : { ...w, message: `${w.message.slice(0, MAX_WARNING_CHARS - 1)}…` };
}

function noteCut(thread: Thread, note: string): string {
  return thread.framesNote ? `${thread.framesNote}; ${note}` : note;
}

/** The thread with at most `keep` frames in all (x86 first: a WOW64 thread's real stack), never fewer than frame 0. */
function keepFrames(thread: Thread, keep: number, note: string): Thread {
  const x86 = thread.x86Frames ?? [];
  const total = thread.frames.length + x86.length;
  if (total <= keep) return thread;
  const x86Keep = Math.min(x86.length, keep);
  const nativeKeep = Math.min(thread.frames.length, keep - x86Keep);
  const frames: Frame[] = thread.frames.slice(0, nativeKeep === 0 && x86Keep === 0 ? 1 : nativeKeep);
  const out: Thread = { ...thread, frames, framesNote: noteCut(thread, note) };
  if (thread.x86Frames) out.x86Frames = x86.slice(0, x86Keep === 0 && frames.length === 0 ? 1 : x86Keep);
  return out;
}

function frameCount(t: Thread): number {
  return t.frames.length + (t.x86Frames?.length ?? 0);
}

/** Drops entries from the end of `list` until at least `excess` characters are saved. */
function shrink<T>(list: readonly T[], excess: number, keepAtLeast = 0): { kept: T[]; saved: number } {
  let saved = 0;
  let n = list.length;
  while (n > keepAtLeast && saved < excess) {
    n--;
    saved += jsonSize(list[n]) + 1;
  }
  return { kept: list.slice(0, n), saved };
}

/** `model` within REPORT_CAPS and MAX_REPORT_CHARS; the same object when nothing had to go. */
export function boundReportSize(model: DumpModel, maxChars = MAX_REPORT_CHARS): DumpModel {
  const cuts: Cuts = { warnings: [] };
  const m: DumpModel = { ...model };
  const faulting = faultingThread(model);
  // Threads are copied as their frames are cut: the faulting one is known by its id from then on.
  const isFaulting = (t: Thread): boolean => t === faulting || (faulting !== undefined && t.id === faulting.id);

  // 1. Counts. Threads: the faulting one always, then the first ones.
  if (m.threads.length > REPORT_CAPS.threads) {
    let others = REPORT_CAPS.threads - (faulting ? 1 : 0);
    m.threads = m.threads.filter((t) => t === faulting || others-- > 0);
    cuts.warnings.push({ kind: 'cap-threads', message: `the report keeps ${m.threads.length} of ${model.threads.length} threads (its limit); the rest are not listed` });
  }
  const frameNote = `frames past the report's limit (${REPORT_CAPS.frames} in all threads) not kept`;
  if (m.threads.reduce((n, t) => n + frameCount(t), 0) > REPORT_CAPS.frames) {
    let left: number = REPORT_CAPS.frames;
    let cutThreads = 0;
    const order = [...m.threads.filter(isFaulting), ...m.threads.filter((t) => !isFaulting(t))];
    const kept = new Map<Thread, Thread>();
    for (const t of order) {
      const k = keepFrames(t, left, frameNote);
      if (k !== t) cutThreads++;
      left = Math.max(0, left - frameCount(k));
      kept.set(t, k);
    }
    m.threads = m.threads.map((t) => kept.get(t) ?? t);
    cuts.warnings.push({ kind: 'cap-frames', message: `the report keeps ${REPORT_CAPS.frames} frames in all (its limit); ${plural(cutThreads, 'thread')} keep only their first frames` });
  }
  m.modules = cutCount(m.modules, REPORT_CAPS.modules, 'modules', 'cap-count', cuts);
  m.unloadedModules = cutCount(m.unloadedModules, REPORT_CAPS.unloadedModules, 'unloaded modules', 'cap-count', cuts);
  if (m.handles) m.handles = cutCount(m.handles, REPORT_CAPS.handles, 'handles', 'cap-count', cuts);
  if (m.locks) m.locks = cutCount(m.locks, REPORT_CAPS.locks, 'locks', 'cap-count', cuts);
  const annotations = Object.entries(m.annotations);
  if (annotations.length > REPORT_CAPS.annotations) {
    m.annotations = Object.fromEntries(cutCount(annotations, REPORT_CAPS.annotations, 'annotations', 'cap-count', cuts));
  }
  if (m.warnings.length > REPORT_CAPS.warnings) {
    const kept = m.warnings.slice(0, REPORT_CAPS.warnings - 1);
    kept.push({ kind: 'cap-report', message: `${m.warnings.length - kept.length} more warnings were not kept (the report's limit is ${REPORT_CAPS.warnings})` });
    m.warnings = kept;
  }
  if (m.warnings.some((w) => w.message.length > MAX_WARNING_CHARS)) m.warnings = m.warnings.map(cutMessage);

  // 2. Size.
  let excess = jsonSize(m) + 4096 - maxChars; // room for the warnings this adds and the findings' frame
  const bySize = (what: string, before: number, after: number): void => {
    if (after < before) cuts.warnings.push({ kind: 'cap-report', message: `the report keeps ${after} of ${before} ${what} (its size limit is ${maxChars} characters)` });
  };
  /** Cuts one list to what the excess allows, says so, and counts what that saved. */
  const cutList = <T>(what: string, list: T[] | null | undefined, keep: (kept: T[]) => void): void => {
    if (excess <= 0 || !list) return;
    const r = shrink(list, excess);
    bySize(what, list.length, r.kept.length);
    if (r.kept.length < list.length) keep(r.kept);
    excess -= r.saved;
  };
  cutList('handles', m.handles, (kept) => (m.handles = kept));
  cutList('unloaded modules', m.unloadedModules, (kept) => (m.unloadedModules = kept));
  // Entries listed only when something must go: most reports fit.
  if (excess > 0) cutList('annotations', Object.entries(m.annotations), (kept) => (m.annotations = Object.fromEntries(kept)));
  cutList('locks', m.locks, (kept) => (m.locks = kept));
  cutList('modules', m.modules, (kept) => (m.modules = kept));
  if (excess > 0) {
    // The other threads' frames, from the last thread back, down to frame 0 each.
    const threads = [...m.threads];
    let cut = 0;
    for (let i = threads.length - 1; i >= 0 && excess > 0; i--) {
      const t = threads[i]!;
      if (isFaulting(t) || frameCount(t) <= 1) continue;
      const k = keepFrames(t, 0, `frames past the report's size limit not kept`);
      excess -= jsonSize(t) - jsonSize(k);
      threads[i] = k;
      cut++;
    }
    if (cut > 0) cuts.warnings.push({ kind: 'cap-report', message: `${plural(cut, 'thread')} keep only frame 0 (the report's size limit is ${maxChars} characters)` });
    m.threads = threads;
  }
  if (excess > 0) {
    const others = m.threads.filter((t) => !isFaulting(t));
    const r = shrink(others, excess);
    if (r.kept.length < others.length) {
      const keep = new Set(r.kept);
      const threads = m.threads.filter((t) => isFaulting(t) || keep.has(t));
      bySize('threads', m.threads.length, threads.length);
      m.threads = threads;
    }
    excess -= r.saved;
  }
  if (excess > 0 && faulting) {
    const i = m.threads.findIndex(isFaulting);
    const t = m.threads[i];
    if (t) {
      const frames = shrink(t.frames, excess, 1);
      const k: Thread = { ...t, frames: frames.kept, framesNote: noteCut(t, `frames past the report's size limit not kept`) };
      excess -= frames.saved;
      if (excess > 0 && t.x86Frames) {
        const x86 = shrink(t.x86Frames, excess, 1);
        k.x86Frames = x86.kept;
        excess -= x86.saved;
      }
      if (frameCount(k) < frameCount(t)) {
        bySize('frames of the faulting thread', frameCount(t), frameCount(k));
        m.threads = m.threads.map((x, j) => (j === i ? k : x));
      }
    }
  }
  if (excess > 0) {
    const r = shrink(m.warnings, excess, 1);
    m.warnings = r.kept;
    excess -= r.saved;
  }

  if (cuts.warnings.length === 0) return model;
  m.warnings = [...m.warnings, ...cuts.warnings];
  if (!m.missing.includes(LIMIT_MISSING)) m.missing = [...m.missing, LIMIT_MISSING];
  return m;
}
