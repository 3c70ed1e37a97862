// "Copy as text" (the CLI's text report) and "Download JSON" (the CLI's --json object): the
// two ways a reader takes a result into a ticket or another tool. Both stay in the browser.
import type { Report } from '../../engine/report/schema.ts';
import { renderTextReport } from '../../render/text-report.ts';
import { el } from '../dom.ts';

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

export function actionsBar(report: Report, announce: (message: string) => void): HTMLElement {
  const copy = el('button', { type: 'button', 'data-action': 'copy-text' }, 'Copy as text');
  copy.addEventListener('click', async () => {
    const ok = await copyText(renderTextReport(report));
    announce(ok ? 'The report was copied as text.' : 'The browser refused to copy; use Download JSON instead.');
  });
  const download = el('button', { type: 'button', 'data-action': 'download-json' }, 'Download JSON');
  download.addEventListener('click', () => {
    const blob = new Blob([`${JSON.stringify(report, null, 2)}\n`], { type: 'application/json' });
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
