// A worker thread that builds and runs cases on request, so the runner can stop a case that
// never yields (a loop inside one microtask cannot be interrupted from its own thread).
import { parentPort, workerData } from 'node:worker_threads';
import { makeCase } from './cases.ts';
import { runCase } from './check.ts';
import { loadCorpus } from './corpus.ts';
import { loadFuzzEnv } from './env.ts';

export interface WorkerData {
  seed: number;
  /** Seed paths under fixtures/, or null for every fixture. */
  seeds: string[] | null;
  limitMs: number;
  /** The analysis budget per case; null runs without one. */
  budgetMs: number | null;
  /** False leaves out the heavy mutators. */
  heavy: boolean;
  /** Hostile shapes instead of mutations (--shapes), only these ids when given (--shape). */
  shapes?: boolean;
  shapeIds?: string[] | null;
}

const data = workerData as WorkerData;
const port = parentPort!;
const corpus = loadCorpus(data.seeds ?? undefined);
const env = await loadFuzzEnv();

port.on('message', async (index: number) => {
  try {
    const c = makeCase(corpus, data.seed, index, { heavy: data.heavy, shapes: data.shapes ?? false, shapeIds: data.shapeIds ?? null });
    port.postMessage(await runCase(c, env, data.limitMs, data.budgetMs));
  } catch (err) {
    // runCase catches everything the engine throws; this is the fuzzer's own bug.
    const reason = `fuzzer error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    port.postMessage({ index, from: '?', mutations: [], size: 0, ms: 0, verdict: 'failed', detail: 'fuzzer', reason, detectorErrors: [], capTime: false });
  }
});
port.postMessage({ ready: true, detectors: env.detectors.length, notes: env.notes });
