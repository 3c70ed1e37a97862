// Files analysed in parallel: one worker thread per core, each given the next file when it
// answers. A worker that dies (a bug, or a dump that exhausts its heap limit) or overruns its
// time costs only the file it held: that file becomes one "could not be analysed" line, a new
// worker takes its place, and the run goes on.
import { Worker } from 'node:worker_threads';
import { failedOutcome, type FileOutcome, type FileTask } from './analyze-file.ts';

export interface PoolOptions {
  size: number;
  /** V8 old-space limit per worker, in MB: a hostile dump stops its worker, not the run. */
  heapMb: number;
  /** Wall time one file may hold a worker before it is stopped (the engine's own budget comes first). */
  taskTimeoutMs: number;
  /** Awaited before each file is handed out: lets output backpressure slow the run down. */
  beforeDispatch?: () => Promise<void> | void;
}

// The prebuilt CLI is one folder of .mjs files; run from source, the worker is TypeScript.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.mjs', import.meta.url);

interface Slot {
  worker: Worker;
  task: { index: number; task: FileTask } | null;
  timer: NodeJS.Timeout | null;
  dead: boolean;
}

/** Runs every task; `onOutcome` receives each outcome (with its task's index) as it finishes. */
export async function runPool(
  tasks: readonly FileTask[],
  options: PoolOptions,
  onOutcome: (index: number, outcome: FileOutcome) => void,
): Promise<void> {
  let next = 0;
  let finished = 0;
  const slots: Slot[] = [];
  let resolveAll!: () => void;
  const done = new Promise<void>((r) => (resolveAll = r));
  if (tasks.length === 0) return;

  const finish = (slot: Slot, outcome: FileOutcome): void => {
    const held = slot.task;
    if (!held) return;
    slot.task = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    onOutcome(held.index, outcome);
    finished++;
    if (finished === tasks.length) resolveAll();
    else void dispatch(slot);
  };

  const replace = (slot: Slot, kind: string, message: string): void => {
    if (slot.dead) return;
    slot.dead = true;
    const held = slot.task;
    void slot.worker.terminate();
    const fresh = spawn();
    if (held) finish(slot, failedOutcome(held.task, kind, message));
    // The failed slot's place goes to the fresh worker, which takes the next file.
    const i = slots.indexOf(slot);
    if (i >= 0) slots[i] = fresh;
    if (finished < tasks.length) void dispatch(fresh);
  };

  const spawn = (): Slot => {
    const worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: options.heapMb } });
    const slot: Slot = { worker, task: null, timer: null, dead: false };
    worker.on('message', (outcome: FileOutcome) => finish(slot, outcome));
    worker.on('error', (err) => replace(slot, 'crashed', `the analysis stopped: ${oneLine(err)}`));
    worker.on('exit', (code) => {
      if (!slot.dead) replace(slot, 'crashed', `the analysis stopped (worker exit ${code})`);
    });
    return slot;
  };

  const dispatch = async (slot: Slot): Promise<void> => {
    if (slot.dead || slot.task || next >= tasks.length) return;
    const index = next++;
    slot.task = { index, task: tasks[index]! };
    await options.beforeDispatch?.();
    if (slot.dead) return;
    slot.timer = setTimeout(() => replace(slot, 'timeout', `gave up after ${Math.round(options.taskTimeoutMs / 1000)} s`), options.taskTimeoutMs);
    slot.worker.postMessage(tasks[index]);
  };

  for (let i = 0; i < Math.min(options.size, tasks.length); i++) slots.push(spawn());
  for (const s of slots) void dispatch(s);
  try {
    await done;
  } finally {
    for (const s of slots) {
      s.dead = true;
      if (s.timer) clearTimeout(s.timer);
      await s.worker.terminate();
    }
  }
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim().slice(0, 200);
}
