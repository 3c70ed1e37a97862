// Runs cases [start, start + count) of a seeded run on worker threads and gathers the outcome.
// Each case has CASE_LIMIT_MS to finish; a worker silent for HANG_LIMIT_MS is stopped, the case
// recorded as a hang and a fresh worker started, so one endless loop cannot stall the run.
import { Worker } from 'node:worker_threads';
import { CASE_LIMIT_MS, FUZZ_BUDGET_MS, type Outcome } from './check.ts';
import type { WorkerData } from './worker.ts';

export const HANG_LIMIT_MS = 30_000;
/**
 * A --shapes worker's heap: the memory an analysis may use (issue 15 asks ≤ 1 GB). Past it the
 * worker alone is stopped (ERR_WORKER_OUT_OF_MEMORY) and the case fails, instead of V8
 * aborting the whole run.
 */
export const SHAPES_HEAP_MB = 1024;

export interface FuzzOptions {
  count: number;
  seed: number;
  /** First case index (to rerun one case: start = N, count = 1). */
  start?: number;
  /** Seed paths under fixtures/; every fixture when absent. */
  seeds?: readonly string[];
  /** Worker threads. */
  jobs?: number;
  limitMs?: number;
  /** False leaves out the heavy mutators (megabytes of text, thousands of threads). */
  heavy?: boolean;
  /** The analysis budget per case (FUZZ_BUDGET_MS); null runs without one. */
  budgetMs?: number | null;
  /** Hostile shapes instead of mutations (fuzz/shapes.ts); workers get a heap of SHAPES_HEAP_MB. */
  shapes?: boolean;
  /** With `shapes`: only these shape ids. */
  shapeIds?: readonly string[] | null;
  hangLimitMs?: number;
  onOutcome?: (o: Outcome) => void;
  /** Called once with what the first worker loaded. */
  onReady?: (r: Ready) => void;
}

export interface FuzzSummary {
  seed: number;
  cases: number;
  seconds: number;
  casesPerSecond: number;
  verdicts: Record<Outcome['verdict'], number>;
  /** How many cases ended in each DumpError kind. */
  refusals: Record<string, number>;
  failures: Outcome[];
  /** Cases whose reading the time budget cut short (a report with a `cap-time` warning). */
  capTime: number;
  /** Cases on which a detector threw (the report stood; the detector has a bug). */
  detectorErrors: Outcome[];
  slowest: Outcome | null;
}

interface Slot {
  worker: Worker;
  ready: Promise<Ready>;
}

/** What a worker says once it has loaded: how many detectors, and what did not load. */
export interface Ready {
  ready: true;
  detectors: number;
  notes: string[];
}

function spawn(data: WorkerData): Slot {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), {
    workerData: data,
    ...(data.shapes ? { resourceLimits: { maxOldGenerationSizeMb: SHAPES_HEAP_MB } } : {}),
  });
  // A worker given up on (a hang) may still die of its heap while being terminated; with no
  // listener left, that 'error' would end the whole run.
  worker.on('error', () => {});
  const ready = new Promise<Ready>((resolve, reject) => {
    const onMessage = (m: Ready) => {
      if (m && m.ready === true) {
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(m);
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
  return { worker, ready };
}

function runOn(slot: Slot, index: number, hangMs: number): Promise<Outcome | 'hang' | Error> {
  return new Promise((resolve) => {
    const done = (v: Outcome | 'hang' | Error) => {
      clearTimeout(timer);
      slot.worker.off('message', onMessage);
      slot.worker.off('error', onError);
      resolve(v);
    };
    const onMessage = (m: Outcome) => done(m);
    const onError = (e: Error) => done(e);
    const timer = setTimeout(() => done('hang'), hangMs);
    slot.worker.on('message', onMessage);
    slot.worker.once('error', onError);
    slot.worker.postMessage(index);
  });
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const start = options.start ?? 0;
  const end = start + options.count;
  const limitMs = options.limitMs ?? CASE_LIMIT_MS;
  const hangMs = options.hangLimitMs ?? HANG_LIMIT_MS;
  const budgetMs = options.budgetMs === undefined ? FUZZ_BUDGET_MS : options.budgetMs;
  const data: WorkerData = { seed: options.seed, seeds: options.seeds ? [...options.seeds] : null, limitMs, budgetMs, heavy: options.heavy ?? true, shapes: options.shapes ?? false, shapeIds: options.shapeIds ? [...options.shapeIds] : null };
  const outcomes: Outcome[] = [];
  let next = start;
  let announced = false;
  const began = performance.now();

  const lane = async (): Promise<void> => {
    let slot = spawn(data);
    const ready = await slot.ready;
    if (!announced) {
      announced = true;
      options.onReady?.(ready);
    }
    try {
      while (next < end) {
        const index = next++;
        const result = await runOn(slot, index, hangMs);
        let outcome: Outcome;
        if (result === 'hang' || result instanceof Error) {
          outcome = {
            index,
            from: '?',
            mutations: [],
            size: 0,
            ms: result === 'hang' ? hangMs : 0,
            verdict: 'failed',
            detail: 'worker',
            reason: result === 'hang' ? `no answer after ${hangMs} ms (hang)` : `worker died: ${result.message.split('\n')[0]}`,
            detectorErrors: [],
            capTime: false,
          };
          await slot.worker.terminate();
          slot = spawn(data);
          await slot.ready;
        } else outcome = result;
        outcomes.push(outcome);
        options.onOutcome?.(outcome);
      }
    } finally {
      await slot.worker.terminate();
    }
  };
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, options.count));
  await Promise.all(Array.from({ length: jobs }, lane));

  const seconds = (performance.now() - began) / 1000;
  outcomes.sort((a, b) => a.index - b.index);
  const verdicts = { report: 0, refused: 0, failed: 0 };
  const refusals: Record<string, number> = {};
  let slowest: Outcome | null = null;
  for (const o of outcomes) {
    verdicts[o.verdict]++;
    if (o.verdict === 'refused') refusals[o.detail] = (refusals[o.detail] ?? 0) + 1;
    if (!slowest || o.ms > slowest.ms) slowest = o;
  }
  return {
    seed: options.seed,
    cases: outcomes.length,
    seconds,
    casesPerSecond: outcomes.length / Math.max(seconds, 1e-9),
    verdicts,
    refusals,
    failures: outcomes.filter((o) => o.verdict === 'failed'),
    capTime: outcomes.filter((o) => o.capTime).length,
    detectorErrors: outcomes.filter((o) => o.detectorErrors.length > 0),
    slowest,
  };
}
