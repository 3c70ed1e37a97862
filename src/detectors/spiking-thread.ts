// Spiking Thread: one thread holds most of the CPU time the process's threads have used, and it
// was running — not parked in a wait — when the dump was taken. The times come from the
// minidump's ThreadInfoList stream (procdump and Task Manager write it, WER often) or from WinDbg's
// `!runaway`; without them the detector has nothing to judge and stays silent.
//
// Windows keeps a thread's user and kernel time as totals since the thread was created, so one
// dump shows who has used the CPU over its life, not who uses it now: a thread that spun for an
// hour yesterday and then went idle looks the same as one spinning at this moment. That is why
// the finding is never certain, and why a dominant thread caught inside a wait is left out:
// whatever it did, it was not doing it when the dump was taken.
import type { DumpModel, Frame, Thread } from '../engine/core/dump-model.ts';
import type { Evidence, StackView } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { isDebuggerBreakIn } from './lib/exception-codes.ts';
import { threadStacks } from './lib/exception-frames.ts';
import { threadLabel } from './lib/main-thread.ts';
import { isSystemFrame } from './lib/system-modules.ts';
import { threadWait } from './lib/wait-functions.ts';
import { frameText } from '../engine/core/frame-text.ts';

/**
 * Below this a thread's total is ordinary work: a GUI thread repainting or a worker parsing a
 * file for a few seconds over a long life. Ten seconds of CPU is a full core for ten seconds.
 */
const MIN_CPU_SECONDS = 10;
/** More than half of all threads' time: one thread, not the process as a whole, is busy. */
const MIN_SHARE = 0.5;
/** The evidence marks this many frames from the top: what the thread ran and who called it. */
const TOP_FRAMES = 3;
/** …extended down to the first program frame below operating-system code, but no deeper than this. */
const MAX_TOP_FRAMES = 6;

/** User plus kernel seconds, or null when the input gave neither. */
function cpuSeconds(t: Thread): number | null {
  const user = t.times?.userSeconds ?? null;
  const kernel = t.times?.kernelSeconds ?? null;
  if (user === null && kernel === null) return null;
  return (user ?? 0) + (kernel ?? 0);
}

function seconds(s: number): string {
  return s >= 100 ? `${Math.round(s)} s` : `${s.toFixed(1)} s`;
}

function duration(s: number): string {
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 2 * 3600) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** Seconds between the thread's creation and the dump, when both are known. */
function threadAge(model: DumpModel, t: Thread): number | null {
  const created = t.times?.created ? Date.parse(t.times.created) : NaN;
  const taken = model.dump.time ? Date.parse(model.dump.time) : NaN;
  if (Number.isNaN(created) || Number.isNaN(taken) || taken <= created) return null;
  return (taken - created) / 1000;
}

/** The first program frame: the code that runs, or that called the system code that runs. */
function programFrame(frames: readonly Frame[]): Frame | undefined {
  return frames.slice(0, MAX_TOP_FRAMES).find((f) => f.module !== null && !isSystemFrame(f));
}

function topFrames(frames: readonly Frame[]): number[] {
  const program = programFrame(frames);
  const count = Math.max(Math.min(TOP_FRAMES, frames.length), program ? frames.indexOf(program) + 1 : 0);
  return frames.slice(0, count).map((f) => f.index);
}

export default defineDetector({
  id: 'spiking-thread',
  messages: {
    spiking: "{{thread}} used {{cpu}}, {{share}} of all threads' time{{where}}.{{kernel}} Thread times are totals since the thread started.",
  },
  detect(model) {
    const timed = model.threads.map((t) => ({ t, cpu: cpuSeconds(t) })).filter((x): x is { t: Thread; cpu: number } => x.cpu !== null);
    // A lone thread holds all of its own time; a share says something only beside others.
    if (timed.length < 2) return [];
    const total = timed.reduce((s, x) => s + x.cpu, 0);
    const top = timed.reduce((a, b) => (b.cpu > a.cpu ? b : a));
    const share = top.cpu / total;
    if (top.cpu < MIN_CPU_SECONDS || share <= MIN_SHARE) return [];

    const thread = top.t;
    if (threadWait(thread)) return [];
    const stack: { view: StackView; frames: readonly Frame[] } | undefined = threadStacks(thread)[0];

    const user = thread.times?.userSeconds ?? null;
    const kernel = thread.times?.kernelSeconds ?? null;
    const cpu =
      user !== null && kernel !== null
        ? `${seconds(top.cpu)} of CPU (${seconds(user)} user, ${seconds(kernel)} kernel)`
        : `${seconds(top.cpu)} of ${user !== null ? 'user' : 'kernel'}-mode CPU`;
    const pct = `${Math.round(share * 100)}%`;
    const age = threadAge(model, thread);
    const ageNote = age !== null ? `; created ${duration(age)} before the dump, so on average ${Math.round((top.cpu / age) * 100)}% of one CPU over its life` : '';

    const evidence: Evidence[] = [
      { kind: 'thread', threadId: thread.id, note: `${cpu}: ${pct} of the ${seconds(total)} the ${timed.length} threads used${ageNote}` },
    ];
    let where: string;
    if (stack) {
      const indices = topFrames(stack.frames);
      const program = programFrame(stack.frames);
      evidence.push({ kind: 'frames', threadId: thread.id, view: stack.view, frames: indices, note: 'running here, not in a wait, when the dump was taken' });
      const first = stack.frames[0]!;
      const place = program && program !== first ? `${frameText(first)} called from ${frameText(program)}` : frameText(first);
      where = `, and was running in ${place}, not waiting, when the dump was taken`;
    } else {
      where = '; its stack is not in the input, so it may as well have been waiting';
    }
    // Kernel time above user time points at system calls, paging or I/O in a loop rather than
    // computation in the program's own code.
    const kernelHeavy = user !== null && kernel !== null && kernel > user ? ' Most of it is kernel time.' : '';

    // Beside a crash the dump was taken for the crash; the busy thread is a side fact.
    const crashed = model.exception !== null && !/^0x8000000[34]$/.test(model.exception.code) && !isDebuggerBreakIn(model);
    return [
      {
        confidence: stack && !crashed ? 'likely' : 'possible',
        messageId: 'spiking',
        data: { thread: threadLabel(thread), cpu, share: pct, where, kernel: kernelHeavy },
        evidence,
      },
    ];
  },
});
