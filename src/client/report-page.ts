// The script of the self-contained page `dumpatlas … --html FILE` writes: reads the report or
// the bucket summary from the page's JSON block (as text: it is data, never markup) and draws
// it with the same renderer as the analyzer page. Bundled on its own by scripts/build-cli.ts;
// it fetches nothing (the page's Content-Security-Policy would refuse it anyway).
import type { Report } from '../engine/report/schema.ts';
import type { Summary } from '../engine/report/summary.ts';
import { el } from './dom.ts';
import { renderReport } from './render-report.ts';
import { renderSummary } from './report/summary-view.ts';

const root = document.getElementById('dumpatlas-page');
const data = document.getElementById('dumpatlas-data');
if (root && data) {
  root.replaceChildren();
  const status = el('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  try {
    const value = JSON.parse(data.textContent ?? 'null') as Report | Summary;
    const content =
      data.dataset['kind'] === 'summary'
        ? renderSummary(value as Summary)
        : renderReport(value as Report, { announce: (m) => (status.textContent = m), where: 'by the dumpatlas command line' });
    root.append(el('h1', {}, 'Dump Atlas'), content, status);
  } catch (err) {
    root.append(el('p', { class: 'error-panel' }, `This page’s data could not be read: ${err instanceof Error ? err.message : String(err)}`));
  }
}
