// How the cost of some work grows with its input, as a check that does not hang on the inputs
// it catches and does not depend on the machine's speed or load: run it at lengths growing 4× a
// step (best of a few runs, so a pause for garbage collection does not count) and stop at the
// first step where it grew far faster than the input, or cost more than any linear reader could.
// Linear work grows ~4× a step, quadratic ~16×, cubic ~64×; the floor keeps steps too cheap to
// time well from being judged on their ratio.
//
// Cost is the CPU time of the thread doing the work (test/lib/cpu-time.ts), not wall time: on a
// machine busy with other work a step's wall time can grow tenfold while its CPU time does not.
// A step that looks super-linear is measured again, alternating with the step before it, and
// is reported only if it still does: one unlucky measurement cannot fail a linear reader.

import { cpuMs } from '../lib/cpu-time.ts';

export interface GrowthOptions {
  /** Lengths tried, smallest first (default 1 Ki, 4 Ki, 16 Ki, 64 Ki). */
  lengths?: number[];
  /** Runs per length; the fastest counts. Default 3. */
  runs?: number;
  /**
   * Steps cheaper than this are not judged by their growth. Default 50 ms: on a loaded machine
   * a step of 20 ms was seen to cost 2.5× its share (a busy sibling hyperthread, a clock change),
   * enough to make linear work look super-linear; quadratic work passes 50 ms long before it
   * could hang a test (at 64 Ki characters, the slowest linear reader here takes a few ms).
   */
  floorMs?: number;
  /** Growth per step above which the work is super-linear. Default 8 (between 4 and 16). */
  maxRatio?: number;
  /** Cost no linear reader comes near: `fixedMs + perKiMs × length in Ki`. Defaults 50 and 5. */
  fixedMs?: number;
  perKiMs?: number;
  /** Extra measurements of a suspect step (and the one before it) before it counts. Default 2. */
  confirmations?: number;
}

export interface SuperLinear {
  length: number;
  ms: number;
  previousMs: number | null;
  why: string;
}

const DEFAULTS = { lengths: [1024, 4096, 16384, 65536], runs: 3, floorMs: 50, maxRatio: 8, fixedMs: 50, perKiMs: 5, confirmations: 2 };

export { cpuMs } from '../lib/cpu-time.ts';

function best(work: () => void, runs: number): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, cpuMs(work));
  return min;
}

/** Why `ms` at `length` (after `previous`) is not linear, or null. */
function judge(o: typeof DEFAULTS, length: number, ms: number, previous: number | null): string | null {
  const cap = o.fixedMs + (o.perKiMs * length) / 1024;
  if (ms > cap) return `${ms.toFixed(0)} ms at ${length} characters (no linear reader takes over ${cap.toFixed(0)} ms)`;
  if (previous !== null && ms > o.floorMs && ms / Math.max(previous, 0.01) > o.maxRatio) {
    return `${previous.toFixed(1)} ms → ${ms.toFixed(1)} ms when the input grew 4× (at ${length} characters)`;
  }
  return null;
}

/** The first length at which `work(length)` stops looking linear, or null. */
export function superLinearAt(work: (length: number) => void, options: GrowthOptions = {}): SuperLinear | null {
  const o = { ...DEFAULTS, ...options };
  let previous: number | null = null;
  let previousLength: number | null = null;
  for (const length of o.lengths) {
    const runs = previous !== null && previous > 200 ? 1 : o.runs;
    let ms = best(() => work(length), runs);
    let why = judge(o, length, ms, previous);
    for (let c = 0; why !== null && c < o.confirmations; c++) {
      if (previous !== null && previousLength !== null) previous = Math.min(previous, best(() => work(previousLength!), 1));
      ms = Math.min(ms, best(() => work(length), 1));
      why = judge(o, length, ms, previous);
    }
    if (why !== null) return { length, ms, previousMs: previous, why };
    previous = ms;
    previousLength = length;
  }
  return null;
}
