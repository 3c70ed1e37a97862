// How the cost of some work grows with its input, as a check that does not hang on the inputs
// it catches and does not depend on the machine's speed: run it at lengths growing 4× a step
// (best of a few runs, so a pause for garbage collection does not count) and stop at the first
// step where it grew far faster than the input, or cost more than any linear reader could.
// Linear work grows ~4× a step, quadratic ~16×, cubic ~64×; the floor keeps steps too cheap to
// time well from being judged on their ratio.

export interface GrowthOptions {
  /** Lengths tried, smallest first (default 1 Ki, 4 Ki, 16 Ki, 64 Ki). */
  lengths?: number[];
  /** Runs per length; the fastest counts. Default 3. */
  runs?: number;
  /** Steps cheaper than this are not judged by their growth. Default 20 ms. */
  floorMs?: number;
  /** Growth per step above which the work is super-linear. Default 8 (between 4 and 16). */
  maxRatio?: number;
  /** Cost no linear reader comes near: `fixedMs + perKiMs × length in Ki`. Defaults 50 and 5. */
  fixedMs?: number;
  perKiMs?: number;
}

export interface SuperLinear {
  length: number;
  ms: number;
  previousMs: number | null;
  why: string;
}

const DEFAULTS = { lengths: [1024, 4096, 16384, 65536], runs: 3, floorMs: 20, maxRatio: 8, fixedMs: 50, perKiMs: 5 };

function best(work: () => void, runs: number): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    work();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

/** The first length at which `work(length)` stops looking linear, or null. */
export function superLinearAt(work: (length: number) => void, options: GrowthOptions = {}): SuperLinear | null {
  const o = { ...DEFAULTS, ...options };
  let previous: number | null = null;
  for (const length of o.lengths) {
    const runs = previous !== null && previous > 200 ? 1 : o.runs;
    const ms = best(() => work(length), runs);
    const cap = o.fixedMs + (o.perKiMs * length) / 1024;
    if (ms > cap) return { length, ms, previousMs: previous, why: `${ms.toFixed(0)} ms at ${length} characters (no linear reader takes over ${cap.toFixed(0)} ms)` };
    if (previous !== null && ms > o.floorMs && ms / Math.max(previous, 0.01) > o.maxRatio) {
      return { length, ms, previousMs: previous, why: `${previous.toFixed(1)} ms → ${ms.toFixed(1)} ms when the input grew 4× (at ${length} characters)` };
    }
    previous = ms;
  }
  return null;
}
