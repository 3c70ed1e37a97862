// The analysis runs here, off the page's main thread, so a large dump never freezes the tab.
/// <reference lib="webworker" />
import { analyze, analyzeText } from '../engine/analyze.ts';
import { DEFAULT_BUDGET_MS } from '../engine/core/budget.ts';
import { describeError } from '../engine/core/errors.ts';
import { BlobSource } from '../engine/io/blob-source.ts';
import { loadCodeNames } from '../engine/names/exception-codes.ts';
import { detectors } from './detectors-bundle.ts';
import type { Report } from '../engine/report/schema.ts';
import { splitReport } from './report-transfer.ts';
import type { WorkerRequest, WorkerResponse } from './worker-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: WorkerResponse): void => scope.postMessage(m);

/** The report, then its long lists in parts: no one message takes the page long to copy in. */
function postReport(id: number, report: Report): void {
  const { head, parts } = splitReport(report);
  post({ type: 'done', id, report: head, parts: parts.length });
  for (const part of parts) post({ type: 'part', id, part });
}

scope.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const req = event.data;
  try {
    if (req.type === 'analyze-text') {
      postReport(req.id, await analyzeText(req.text, req.name, { detectors, catalog: req.catalog, budgetMs: DEFAULT_BUDGET_MS }));
    } else {
      const report = await analyze(new BlobSource(req.file, req.name), {
        detectors,
        catalog: req.catalog,
        // The same bound as the CLI: a hostile dump ends as a partial report, not a stuck tab.
        budgetMs: DEFAULT_BUDGET_MS,
        images: req.images.map((i) => new BlobSource(i.file, i.name)),
        // The PDB reader is loaded (a chunk of its own) only when one of these is a PDB.
        symbols: (req.symbols ?? []).map((s) => new BlobSource(s.file, s.name)),
        forceSymbols: req.forceSymbols ?? false,
        onProgress: (p) => post({ type: 'progress', id: req.id, ...p }),
      });
      postReport(req.id, report);
    }
  } catch (err) {
    const e = describeError(err);
    post({ type: 'error', id: req.id, kind: e.kind, message: e.message });
  }
};

// The exception-code tables are a chunk of their own (outside the first load); fetched now,
// while the page is idle, so no request is made once an analysis has begun.
loadCodeNames().then(
  () => post({ type: 'ready', id: 0 }),
  () => post({ type: 'ready', id: 0 }),
);
