// A bucket summary (`dumpatlas analyze --summary`, `dumpatlas merge`) as page content: how many
// failures in how many dumps, one table row per bucket, and the files that could not be read.
// Bucket ids and file names come from dumps and file systems: text nodes only (dom.ts).
import type { Summary } from '../../engine/report/summary.ts';
import { el } from '../dom.ts';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function patternList(patterns: Record<string, number>): string {
  const entries = Object.entries(patterns).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return entries.length === 0 ? '—' : entries.map(([p, n]) => `${p} (${n})`).join(', ');
}

export function renderSummary(summary: Summary): HTMLElement {
  const dumps = summary.buckets.reduce((n, b) => n + b.count, 0);
  const head = el('h2', { id: 'r-top', tabindex: '-1' }, 'Failure buckets');
  const intro = el(
    'p',
    {},
    `${plural(summary.buckets.length, 'failure bucket')} in ${plural(dumps, 'dump')} — ` +
      `${plural(summary.files, 'file')}: ${summary.analysed} analysed, ${summary.brokenCount} unreadable.`,
  );
  const body = el('tbody');
  for (const b of summary.buckets) {
    body.append(
      el(
        'tr',
        {},
        el('td', { class: 'count' }, String(b.count)),
        el('td', { class: 'bucket-id' }, b.id),
        el('td', {}, patternList(b.patterns)),
        el('td', { class: 'time' }, b.firstTime ?? '—'),
        el('td', { class: 'time' }, b.lastTime ?? '—'),
        el('td', { class: 'path' }, b.example),
      ),
    );
  }
  const table = el(
    'table',
    { class: 'modules buckets' },
    el('caption', {}, 'Most dumps first; a bucket is the exception (or hang), the first frame in the program’s own code, and the strongest pattern.'),
    el('thead', {}, el('tr', {}, ...['Dumps', 'Bucket', 'Patterns', 'First dump', 'Last dump', 'Example file'].map((h) => el('th', { scope: 'col' }, h)))),
    body,
  );
  const sections: (HTMLElement | null)[] = [
    el('section', { 'aria-labelledby': 'r-buckets' }, el('h3', { id: 'r-buckets' }, 'Buckets'), el('div', { class: 'table-scroll' }, table)),
  ];
  if (summary.brokenCount > 0) {
    const list = el('ul', { class: 'broken-files' });
    for (const f of summary.broken) list.append(el('li', {}, el('span', { class: 'path' }, f.file), `: ${f.message}`));
    if (summary.brokenCount > summary.broken.length) list.append(el('li', {}, `… ${summary.brokenCount - summary.broken.length} more`));
    sections.push(el('section', { 'aria-labelledby': 'r-broken' }, el('h3', { id: 'r-broken' }, `Unreadable files (${summary.brokenCount})`), list));
  }
  return el('div', { class: 'report summary' }, head, intro, ...sections);
}
