// The bucket table of a summary (`dumpatlas analyze --summary`, `dumpatlas merge`): one row per
// failure, most dumps first, with the patterns seen in it on the line below; then one line per
// file that could not be read. Bucket ids and paths come from dumps and file names: kept on
// one line and free of terminal controls.
import type { Summary, SummaryBucket } from '../engine/report/summary.ts';
import { visibleText } from './untrusted-text.ts';

/** Rows printed; the JSON summary (`--json`) has them all. */
export const MAX_TABLE_ROWS = 200;
/** Characters of a bucket id in the table before it is cut with "…". */
const MAX_ID_CHARS = 90;

/** Control characters and the bidirectional overrides that could reorder a terminal line, shown as escapes. */
function clean(text: string): string {
  return visibleText(text);
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** "2026-12-04T11:22:10.000Z" → "2026-12-04 11:22:10Z"; other spellings as they are. */
function shortTime(t: string | null): string {
  if (t === null) return '-';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)?$/.exec(t);
  return m ? `${m[1]} ${m[2]}${m[3] ?? ''}` : clean(t);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function patternsText(b: SummaryBucket): string {
  const entries = Object.entries(b.patterns).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return entries.length === 0 ? 'none' : entries.map(([p, n]) => `${p} ${n}`).join(', ');
}

export function renderSummaryText(summary: Summary): string {
  const out: string[] = [];
  const dumps = summary.buckets.reduce((n, b) => n + b.count, 0);
  out.push(
    `${plural(summary.buckets.length, 'failure bucket')} in ${plural(dumps, 'dump')}` +
      ` (${plural(summary.files, 'file')}: ${summary.analysed} analysed, ${summary.brokenCount} unreadable)`,
  );
  const rows = summary.buckets.slice(0, MAX_TABLE_ROWS).map((b) => ({
    count: String(b.count),
    id: cut(clean(b.id), MAX_ID_CHARS),
    first: shortTime(b.firstTime),
    last: shortTime(b.lastTime),
    example: clean(b.example),
    patterns: clean(patternsText(b)),
  }));
  if (rows.length > 0) {
    const w = {
      count: Math.max(5, ...rows.map((r) => r.count.length)),
      id: Math.max(6, ...rows.map((r) => r.id.length)),
      first: Math.max(10, ...rows.map((r) => r.first.length)),
      last: Math.max(9, ...rows.map((r) => r.last.length)),
    };
    out.push('');
    out.push(`${'count'.padStart(w.count)}  ${'bucket'.padEnd(w.id)}  ${'first dump'.padEnd(w.first)}  ${'last dump'.padEnd(w.last)}  example`);
    for (const r of rows) {
      out.push(`${r.count.padStart(w.count)}  ${r.id.padEnd(w.id)}  ${r.first.padEnd(w.first)}  ${r.last.padEnd(w.last)}  ${r.example}`);
      out.push(`${''.padStart(w.count)}  patterns: ${r.patterns}`);
    }
    if (summary.buckets.length > rows.length) {
      const rest = summary.buckets.slice(rows.length);
      out.push(`  … ${plural(rest.length, 'more bucket')} with ${plural(rest.reduce((n, b) => n + b.count, 0), 'dump')} (see --json)`);
    }
  }
  if (summary.brokenCount > 0) {
    out.push('', `Unreadable (${summary.brokenCount}):`);
    for (const b of summary.broken) out.push(`  ${clean(b.file)}: ${clean(b.message)}`);
    if (summary.brokenCount > summary.broken.length) out.push(`  … ${summary.brokenCount - summary.broken.length} more`);
  }
  return out.join('\n');
}
