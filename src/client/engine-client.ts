// Owns the engine's Web Worker: one warm worker, started with the page so its code is fetched
// before any file is read, a run at a time, and Cancel as terminate-and-replace.
//
// The worker is started from a tiny blob: module that imports the bundled worker script.
// A worker loaded straight from a URL gets its Content-Security-Policy from its own HTTP
// response (none on a static host), while a blob: worker inherits the page's policy — so the
// page's connect-src 'none' binds the engine too, not only the page.
import type { PatternCatalog } from '../catalog/schema.ts';
import type { Report } from '../engine/report/schema.ts';
import engineWorkerUrl from './engine-worker.ts?worker&url';
import { applyPart, type ReportPart } from './report-transfer.ts';
import type { WorkerRequest, WorkerResponse } from './worker-protocol.ts';

export type AnalysisInput =
  | { type: 'analyze-text'; text: string; name: string }
  | { type: 'analyze-file'; file: Blob; name: string; images: { file: Blob; name: string }[]; symbols?: { file: Blob; name: string }[]; forceSymbols?: boolean };

export interface RunHandlers {
  onProgress(stage: string, fraction: number): void;
  onDone(report: Report): void;
  /** kind is the engine's DumpErrorKind, or 'internal' / 'worker' when the worker itself failed. */
  onError(kind: string, message: string): void;
}

/** A run in progress; once the report's head is in, its parts still to come. */
interface Run {
  id: number;
  handlers: RunHandlers;
  report?: Report;
  parts?: number;
  partsLeft?: number;
}

function spawnWorker(): Worker {
  const target = new URL(engineWorkerUrl, location.href).href;
  const wrapper = new Blob([`import ${JSON.stringify(target)};\n`], { type: 'text/javascript' });
  const url = URL.createObjectURL(wrapper);
  const worker = new Worker(url, { type: 'module', name: 'dump-atlas-engine' });
  // The worker has fetched the wrapper once it reports ready (or fails); the URL can go.
  const revoke = (): void => URL.revokeObjectURL(url);
  worker.addEventListener('message', revoke, { once: true });
  worker.addEventListener('error', revoke, { once: true });
  return worker;
}

export class EngineClient {
  readonly #catalog: PatternCatalog;
  readonly #onReady: () => void;
  #worker: Worker | null;
  #current: Run | null = null;
  #nextId = 1;

  constructor(catalog: PatternCatalog, onReady: () => void = () => {}) {
    this.#catalog = catalog;
    this.#onReady = onReady;
    this.#worker = this.#start();
  }

  /** Starts a run; a run still going is abandoned (its worker replaced) without a report. */
  run(input: AnalysisInput, handlers: RunHandlers): void {
    if (this.#current) this.#stopWorker();
    const id = this.#nextId++;
    this.#current = { id, handlers };
    const request: WorkerRequest = { ...input, id, catalog: this.#catalog };
    try {
      this.#worker ??= this.#start();
      this.#worker.postMessage(request);
    } catch (err) {
      this.#finish(id, (h) => h.onError('worker', `the input could not be handed to the engine: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  /** Stops the current run at once, whatever the engine is doing. False when nothing ran. */
  cancel(): boolean {
    const current = this.#current;
    if (!current) return false;
    this.#current = null;
    this.#stopWorker();
    this.#worker = this.#start(); // warm again, so the next input starts at once
    current.handlers.onError('cancelled', 'the analysis was cancelled; nothing of this input was kept');
    return true;
  }

  #start(): Worker {
    const worker = spawnWorker();
    worker.onmessage = (event: MessageEvent<WorkerResponse>) => this.#receive(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      // No respawn here: a worker whose code cannot load would fail again at once. The next
      // run starts a fresh one.
      this.#stopWorker();
      const why = event.message ? event.message.split('\n')[0] : 'its code could not be loaded or it crashed';
      const id = this.#current?.id;
      if (id !== undefined) this.#finish(id, (h) => h.onError('worker', `the analysis engine stopped unexpectedly (${why})`));
    };
    worker.onmessageerror = () => {
      const id = this.#current?.id;
      if (id !== undefined) this.#finish(id, (h) => h.onError('worker', 'the engine sent a result the page could not read'));
    };
    return worker;
  }

  #stopWorker(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }

  #receive(msg: WorkerResponse): void {
    if (msg.type === 'ready') {
      this.#onReady();
      return;
    }
    const current = this.#current;
    if (!current || msg.id !== current.id) return; // a reply to a run that was abandoned
    if (msg.type === 'progress') current.handlers.onProgress(msg.stage, msg.fraction);
    else if (msg.type === 'done') {
      if (msg.parts === 0) this.#finish(msg.id, (h) => h.onDone(msg.report));
      else {
        // The long lists follow in parts; the run (and Cancel) lasts until the last is in.
        current.report = msg.report;
        current.parts = current.partsLeft = msg.parts;
        current.handlers.onProgress('receiving the report', 0);
      }
    } else if (msg.type === 'part') this.#receivePart(current, msg.part);
    else this.#finish(msg.id, (h) => h.onError(msg.kind, msg.message));
  }

  #receivePart(current: Run, part: ReportPart): void {
    const report = current.report;
    if (!report || current.partsLeft === undefined || current.parts === undefined) return;
    try {
      applyPart(report, part);
    } catch (err) {
      this.#finish(current.id, (h) => h.onError('worker', `the engine sent a report the page could not put together (${err instanceof Error ? err.message : String(err)})`));
      return;
    }
    current.partsLeft--;
    if (current.partsLeft === 0) this.#finish(current.id, (h) => h.onDone(report));
    else if (current.partsLeft % 16 === 0) current.handlers.onProgress('receiving the report', 1 - current.partsLeft / current.parts);
  }

  #finish(id: number, deliver: (handlers: RunHandlers) => void): void {
    const current = this.#current;
    if (!current || current.id !== id) return;
    this.#current = null;
    deliver(current.handlers);
  }
}
