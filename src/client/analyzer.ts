// The analyzer island: takes pasted text or a file, runs the engine in a Web Worker, and
// renders the report. Nothing is uploaded: the file is read in place by the worker.
import type { PatternCatalog } from '../catalog/schema.ts';
import { el } from './dom.ts';
import { renderReport } from './render-report.ts';
import type { WorkerRequest, WorkerResponse } from './worker-protocol.ts';

function start(root: HTMLElement): void {
  const catalog = JSON.parse(root.querySelector('script[type="application/json"]')?.textContent ?? '{}') as PatternCatalog;
  const textarea = root.querySelector<HTMLTextAreaElement>('textarea')!;
  const fileInput = root.querySelector<HTMLInputElement>('input[type="file"]')!;
  const runButton = root.querySelector<HTMLButtonElement>('button[data-run]')!;
  const status = root.querySelector<HTMLElement>('[data-status]')!;
  const results = root.querySelector<HTMLElement>('[data-results]')!;
  let worker: Worker | null = null;
  let nextId = 1;

  function run(request: WorkerRequest): void {
    worker?.terminate();
    worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module' });
    status.textContent = 'Analysing…';
    results.replaceChildren();
    worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
      const msg = event.data;
      if (msg.id !== request.id) return;
      if (msg.type === 'progress') status.textContent = `${msg.stage}… ${Math.round(msg.fraction * 100)}%`;
      else if (msg.type === 'error') {
        status.textContent = '';
        results.replaceChildren(el('div', { class: 'error-panel', role: 'alert' }, el('strong', {}, 'Could not analyse this input: '), msg.message));
      } else {
        status.textContent = `Analysed ${msg.report.input.name}.`;
        results.replaceChildren(renderReport(msg.report));
      }
    };
    worker.onerror = (e) => {
      status.textContent = '';
      results.replaceChildren(el('div', { class: 'error-panel', role: 'alert' }, `The analysis stopped unexpectedly: ${e.message}`));
    };
    worker.postMessage(request);
  }

  runButton.addEventListener('click', () => {
    const file = fileInput.files?.[0];
    if (file) run({ type: 'analyze-file', id: nextId++, file, name: file.name, images: [], catalog });
    else if (textarea.value.trim()) run({ type: 'analyze-text', id: nextId++, text: textarea.value, name: 'pasted text', catalog });
    else status.textContent = 'Paste debugger output or choose a file first.';
  });

  const example = new URLSearchParams(location.search).get('example');
  if (example) {
    fetch(`/examples/${example}`)
      .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`example ${example} not found`))))
      .then((blob) => run({ type: 'analyze-file', id: nextId++, file: blob, name: example.split('/').pop() ?? example, images: [], catalog }))
      .catch((err: Error) => (status.textContent = err.message));
  }
}

for (const root of document.querySelectorAll<HTMLElement>('[data-analyzer]')) start(root);
