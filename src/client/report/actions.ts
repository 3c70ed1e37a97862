// "Copy as text" (the CLI's text report) and "Download JSON" (the CLI's --json object): the
// two ways a reader takes a result into a ticket or another tool. Both stay in the browser.
import type { Report } from '../../engine/report/schema.ts';
import { renderTextReport } from '../../render/text-report.ts';
import { el } from '../dom.ts';
import { jsonPieces } from '../../render/json-pieces.ts';
import { SLICE_MS, yieldToPage } from './slices.ts';

export function jsonFileName(report: Report): string {
  const base = report.input.name.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_').slice(0, 80) || 'report';
  return `${base}.dumpatlas.json`;
}

/** Puts `text` on the clipboard; false when the browser refuses. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (an embedded or automated browser): the older route still works
    // while the click's user activation lasts.
    const area = el('textarea', { class: 'offscreen', 'aria-hidden': 'true' });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/**
 * The report as a JSON file, written a value at a time in short slices: JSON.stringify of a
 * report near its size bound is one task of a second or more, and the page must not stop.
 */
async function jsonBlob(report: Report): Promise<Blob> {
  const out: string[] = [];
  let buffer = '';
  const pieces = jsonPieces(report);
  for (;;) {
    const end = performance.now() + SLICE_MS;
    let step = pieces.next();
    for (let n = 1; !step.done; n++) {
      buffer += step.value;
      if (buffer.length >= 1 << 16) {
        out.push(buffer);
        buffer = '';
      }
      if ((n & 255) === 0 && performance.now() > end) break;
      step = pieces.next();
    }
    if (step.done) break;
    await yieldToPage();
  }
  out.push(buffer, '\n');
  return new Blob(out, { type: 'application/json' });
}

export function actionsBar(report: Report, announce: (message: string) => void): HTMLElement {
  const copy = el('button', { type: 'button', 'data-action': 'copy-text' }, 'Copy as text');
  copy.addEventListener('click', async () => {
    const ok = await copyText(renderTextReport(report));
    announce(ok ? 'The report was copied as text.' : 'The browser refused to copy; use Download JSON instead.');
  });
  const download = el('button', { type: 'button', 'data-action': 'download-json' }, 'Download JSON');
  download.addEventListener('click', async () => {
    download.disabled = true;
    const blob = await jsonBlob(report);
    download.disabled = false;
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: jsonFileName(report) });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    announce(`Saved ${jsonFileName(report)}.`);
  });
  return el('div', { class: 'report-actions' }, copy, ' ', download);
}
