// The analyzer island: takes dropped or picked files or pasted debugger text, runs the engine
// in a Web Worker and renders the report. Nothing is uploaded: files are read in place by the
// worker, and before the first byte is read the page forbids itself every network request
// (network-lock.ts).
import type { PatternCatalog } from '../catalog/schema.ts';
import { el } from './dom.ts';
import { EngineClient, type AnalysisInput } from './engine-client.ts';
import { sortFiles } from './input-files.ts';
import { lockNetwork } from './network-lock.ts';
import { renderReport } from './render-report.ts';
import { visibleText } from '../render/untrusted-text.ts';

// Fetched with the page, not on demand, so no request is made once an analysis has begun; made
// ready while the page is idle, before any report needs it.
const highlighting = import('./highlight.ts');
highlighting.then((m) => m.prepareColours()).catch(() => {});

function colourLater(pre: HTMLElement): void {
  highlighting.then((m) => m.colourCode(pre)).catch(() => {
    // Colour is a nicety: the stack stays readable as plain text.
  });
}

/** Only paths the site publishes under /examples/: no scheme, no "..", no surprises. */
function examplePath(search: string): string | null {
  const path = new URLSearchParams(search).get('example');
  if (!path || !/^[\w][\w./-]*$/.test(path) || path.split('/').includes('..')) return null;
  return path;
}

interface Parts {
  catalog: PatternCatalog;
  drop: HTMLElement;
  fileInput: HTMLInputElement;
  textarea: HTMLTextAreaElement;
  runButton: HTMLButtonElement;
  cancelButton: HTMLButtonElement;
  progress: HTMLProgressElement;
  status: HTMLElement;
  results: HTMLElement;
  forceSymbols: HTMLInputElement | null;
}

function find(root: HTMLElement): Parts {
  const q = <T extends Element>(sel: string): T => {
    const found = root.querySelector<T>(sel);
    if (!found) throw new Error(`analyzer markup lacks ${sel}`);
    return found;
  };
  return {
    catalog: JSON.parse(q('script[data-catalog]').textContent ?? '{}') as PatternCatalog,
    drop: q('[data-drop]'),
    fileInput: q('input[type="file"]'),
    textarea: q('textarea'),
    runButton: q('button[data-run]'),
    cancelButton: q('button[data-cancel]'),
    progress: q('progress[data-progress]'),
    status: q('[data-status]'),
    results: q('[data-results]'),
    forceSymbols: root.querySelector<HTMLInputElement>('input[data-force-symbols]'),
  };
}

const ERROR_TITLES: Record<string, string> = {
  cancelled: 'Analysis cancelled',
  'not-a-dump': 'This is not a dump or debugger log',
  unsupported: 'This input cannot be read yet',
  truncated: 'The file is cut short',
  corrupt: 'The file is damaged',
  'too-large': 'The input is too large',
  io: 'The file could not be read',
};

function start(root: HTMLElement): void {
  const p = find(root);
  let engine: EngineClient | null = null;
  let started = false; // a reader's own input wins over a slow example download
  let lastStage = '';
  let lastPercent = -1;
  // The files of the last run that came with symbol files: ticking "use symbol files even when
  // they do not match" (which the mismatch warning suggests) runs them again, rather than
  // changing nothing until the reader thinks of dropping them a second time.
  let lastWithSymbols: readonly File[] | null = null;

  const announce = (message: string): void => {
    p.status.textContent = visibleText(message);
  };

  function setBusy(busy: boolean): void {
    if (busy) root.setAttribute('aria-busy', 'true');
    else root.removeAttribute('aria-busy');
    p.progress.hidden = !busy;
    p.cancelButton.hidden = !busy;
    if (busy) {
      p.progress.removeAttribute('value'); // indeterminate until the engine reports progress
      lastStage = '';
      lastPercent = -1;
    }
  }

  /**
   * True when keyboard focus is on the Cancel button, which is about to hide: a hidden button
   * drops focus to the page's top, and the next Tab would start again from "Skip to content".
   */
  const focusOnCancel = (): boolean => document.activeElement === p.cancelButton;

  function showError(kind: string, message: string, inputName: string | null): void {
    const refocus = focusOnCancel();
    setBusy(false);
    const title = ERROR_TITLES[kind] ?? (inputName ? `Could not analyse ${inputName}` : 'Could not analyse this input');
    const panel = el(
      'div',
      { class: 'error-panel', role: 'alert', 'data-kind': kind, tabindex: '-1' },
      el('p', { class: 'error-title' }, el('strong', {}, title)),
      // Engine messages often name the file already; say it once.
      el('p', { class: 'error-message' }, inputName && !message.startsWith(inputName) && kind !== 'cancelled' ? `${inputName}: ${message}` : message),
    );
    p.results.replaceChildren(panel);
    announce(''); // the alert speaks for itself; the status repeating it would be read twice
    if (refocus) panel.focus();
  }

  function ensureEngine(): EngineClient {
    engine ??= new EngineClient(p.catalog, () => root.setAttribute('data-ready', ''));
    return engine;
  }

  function run(input: AnalysisInput, note = ''): void {
    // The order matters: the lock must be in place before the worker that reads the input exists.
    lockNetwork();
    started = true;
    const client = ensureEngine();
    setBusy(true);
    p.results.replaceChildren();
    announce(`Analysing ${input.name}…${note}`);
    client.run(input, {
      onProgress(stage, fraction) {
        const percent = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
        p.progress.value = percent / 100;
        // Screen readers hear the stage changes and every tenth, not every tick.
        if (stage !== lastStage || Math.floor(percent / 10) !== Math.floor(lastPercent / 10)) {
          announce(`Analysing ${input.name}: ${stage}, ${percent}%`);
          lastStage = stage;
          lastPercent = percent;
        }
      },
      onDone(report) {
        setBusy(false);
        try {
          const view = renderReport(report, { decorateStack: colourLater, announce });
          p.results.replaceChildren(view);
          const n = report.findings.length;
          announce(`Analysed ${report.input.name}: ${n === 0 ? 'no pattern fires' : `${n} pattern${n === 1 ? '' : 's'} fire${n === 1 ? 's' : ''}`}.${note}`);
          view.querySelector<HTMLElement>('#r-top')?.focus();
        } catch (err) {
          showError('internal', `the report could not be shown: ${err instanceof Error ? err.message : String(err)}`, report.input.name);
        }
      },
      onError(kind, message) {
        showError(kind, message, input.name);
      },
    });
  }

  async function takeFiles(list: FileList | readonly File[] | null): Promise<void> {
    const files = list ? [...list] : [];
    if (files.length === 0) return;
    try {
      const sorted = await sortFiles(files);
      if (!sorted.primary) {
        showError('not-a-dump', `these are ${sorted.images.length > 0 ? 'program images (.exe/.dll)' : 'symbol files (.pdb/.sym)'}; add the dump (.dmp) they belong to and drop them together`, null);
        return;
      }
      lastWithSymbols = sorted.symbols.length > 0 ? files : null;
      const notes: string[] = [];
      for (const [files, what] of [[sorted.images, 'program image'], [sorted.symbols, 'symbol file']] as const) {
        if (files.length > 0) notes.push(` With ${files.length} ${what}${files.length === 1 ? '' : 's'}.`);
      }
      if (sorted.symbols.length > 0 && p.forceSymbols?.checked) notes.push(' Symbols forced: used even when their build does not match.');
      if (sorted.ignored.length > 0) notes.push(` Not analysed (one input at a time): ${sorted.ignored.map((f) => f.name).join(', ')}.`);
      run(
        {
          type: 'analyze-file',
          file: sorted.primary,
          name: sorted.primary.name,
          images: sorted.images.map((f) => ({ file: f, name: f.name })),
          symbols: sorted.symbols.map((f) => ({ file: f, name: f.name })),
          forceSymbols: p.forceSymbols?.checked ?? false,
        },
        notes.join(''),
      );
    } catch (err) {
      showError('io', `the files could not be read: ${err instanceof Error ? err.message : String(err)}`, null);
    }
  }

  function runPasted(): void {
    const text = p.textarea.value;
    if (!text.trim()) {
      announce('Paste debugger output or choose a file first.');
      p.textarea.focus();
      return;
    }
    lastWithSymbols = null;
    run({ type: 'analyze-text', text, name: 'pasted text' });
  }

  // Files: the drop zone is a button that opens the picker (Enter/Space) and a drop target.
  const openPicker = (): void => p.fileInput.click();
  p.drop.addEventListener('click', openPicker);
  p.drop.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      openPicker();
    }
  });
  p.fileInput.addEventListener('change', () => {
    void takeFiles(p.fileInput.files).finally(() => {
      p.fileInput.value = ''; // choosing the same file again must run again
    });
  });
  for (const type of ['dragenter', 'dragover'] as const) {
    root.addEventListener(type, (e) => {
      e.preventDefault();
      p.drop.classList.add('dragging');
    });
  }
  root.addEventListener('dragleave', (e) => {
    if (!root.contains(e.relatedTarget as Node | null)) p.drop.classList.remove('dragging');
  });
  root.addEventListener('drop', (e) => {
    e.preventDefault();
    p.drop.classList.remove('dragging');
    void takeFiles(e.dataTransfer?.files ?? null);
  });
  // A file dropped beside the zone must not make the browser navigate away to open it.
  for (const type of ['dragover', 'drop'] as const) document.addEventListener(type, (e) => e.preventDefault());

  // Pasted text.
  p.runButton.addEventListener('click', runPasted);
  p.textarea.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      runPasted();
    }
  });

  p.forceSymbols?.addEventListener('change', () => {
    if (lastWithSymbols) void takeFiles(lastWithSymbols);
  });

  p.cancelButton.addEventListener('click', () => {
    engine?.cancel();
  });

  // "Try it" from a pattern page: fetch the example while the network is still open, then lock.
  const example = examplePath(location.search);
  if (!example) {
    lockNetwork();
    ensureEngine();
    return;
  }
  const name = example.split('/').pop() ?? example;
  announce(`Loading the example ${name} from this site…`);
  fetch(`/examples/${example.split('/').map(encodeURIComponent).join('/')}`)
    .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`the site answered ${r.status}`))))
    .then((blob) => {
      if (!started) run({ type: 'analyze-file', file: blob, name, images: [] }, ' (the example from its pattern page)');
    })
    .catch((err: unknown) => {
      lockNetwork();
      ensureEngine();
      if (!started) showError('io', `the example could not be loaded: ${err instanceof Error ? err.message : String(err)}`, name);
    });
}

for (const root of document.querySelectorAll<HTMLElement>('[data-analyzer]')) start(root);
