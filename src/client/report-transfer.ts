// The report crosses from the worker to the page in pieces. A message's data is copied into
// the page in one task when the message is dispatched, and that copy costs in proportion to its
// size: 100 000 modules blocked the main thread ~0.7 s, 100 000 handles ~0.8 s (Chromium, 2
// cores). So every long list is taken out of the report (its place left empty) and sent after
// it in parts of bounded size, each its own message and so its own short task; the page puts
// them back in order. A part's items may hold long lists themselves (a thread's frames): those
// are taken out the same way and follow their item's part, so every path a part names exists
// by the time it arrives.
import type { Report } from '../engine/report/schema.ts';
import { jsonSize } from '../engine/report/report-size.ts';

/** Lists up to this long travel inside their parent. */
export const INLINE_ITEMS = 256;
/** A part holds at most this many items, and about this many characters of JSON. */
export const PART_ITEMS = 512;
export const PART_CHARS = 64 * 1024;

export interface ReportPart {
  /** Keys and indices from the report's root to the list the items are appended to. */
  path: (string | number)[];
  items: unknown[];
}

type Json = unknown;

/** `value` with its long lists emptied; their items are queued as parts (depth first). */
function detach(value: Json, path: (string | number)[], parts: ReportPart[]): Json {
  if (Array.isArray(value)) {
    if (value.length <= INLINE_ITEMS) return value.map((v, i) => detach(v, [...path, i], parts));
    let items: unknown[] = [];
    let chars = 0;
    const flush = (): void => {
      if (items.length === 0) return;
      parts.push({ path, items });
      items = [];
      chars = 0;
    };
    for (let i = 0; i < value.length; i++) {
      const sub: ReportPart[] = [];
      const item = detach(value[i], [...path, i], sub);
      const size = jsonSize(item);
      if (items.length >= PART_ITEMS || (items.length > 0 && chars + size > PART_CHARS)) flush();
      items.push(item);
      chars += size;
      if (sub.length > 0) {
        // The item must exist before its sub-parts apply: close the part with it.
        flush();
        parts.push(...sub);
      }
    }
    flush();
    return [];
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[k] = detach(v, [...path, k], parts);
    return out;
  }
  return value;
}

/** The report with its long lists emptied, and the parts that fill them again, in order. */
export function splitReport(report: Report): { head: Report; parts: ReportPart[] } {
  const parts: ReportPart[] = [];
  const head = detach(report, [], parts) as Report;
  return { head, parts };
}

/** Appends a part's items to the list its path names in `report` (parts must come in order). */
export function applyPart(report: Report, part: ReportPart): void {
  let at: unknown = report;
  for (const key of part.path) {
    if (at === null || typeof at !== 'object') throw new Error(`report part for a missing place: ${part.path.join('.')}`);
    at = (at as Record<string | number, unknown>)[key];
  }
  if (!Array.isArray(at)) throw new Error(`report part for a place that is not a list: ${part.path.join('.')}`);
  for (const item of part.items) at.push(item);
}
