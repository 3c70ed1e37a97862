// Many reports folded into one table of failure buckets: how many dumps each failure has, the
// patterns that fired in them, the first and last dump time, and one example file. A report (or
// a file that could not be read) becomes a one-row summary, and `mergeSummaries` combines any
// two. The merge is associative and commutative, with the empty summary as its identity, so a
// folder can be split into shards, each shard summarised anywhere (GNU parallel, xargs -P, a
// batch job), and the shards' summaries merged in any grouping and order to the same result.
// Everything kept is a sum, a minimum, a maximum or a union; nothing depends on arrival order.
import type { Bucket } from './schema.ts';
import { compareText } from '../core/text-order.ts';

export const SUMMARY_KIND = 'dumpatlas-summary';

/**
 * Unreadable files listed by name; beyond this only counted. Keeping the first ones in file
 * order (not in arrival order) keeps the merge associative.
 */
export const MAX_BROKEN_LISTED = 1000;

// Plain types, so that a run that only prints tables never loads the schema library; the zod
// schemas that validate a summary read back from a file are in summary-schema.ts, checked
// there to describe these very types.

export interface SummaryBucket extends Bucket {
  /** Dumps in this bucket. */
  count: number;
  /** Every pattern that fired in these dumps, with the number of dumps it fired in. */
  patterns: Record<string, number>;
  /** Earliest and latest dump time (ISO-8601) among dumps that record one. */
  firstTime: string | null;
  lastTime: string | null;
  /** One file of the bucket: the first by path, so every grouping picks the same one. */
  example: string;
}

export interface BrokenFile {
  file: string;
  /** The error's kind ("not-a-dump", "io", "truncated", "crashed"…). */
  kind: string;
  message: string;
}

export interface Summary {
  kind: typeof SUMMARY_KIND;
  version: 1;
  /** Files looked at: analysed plus broken. */
  files: number;
  analysed: number;
  /** Most dumps first; ties by id. */
  buckets: SummaryBucket[];
  /** Unreadable files, first MAX_BROKEN_LISTED by path. */
  broken: BrokenFile[];
  brokenCount: number;
}

export function emptySummary(): Summary {
  return { kind: SUMMARY_KIND, version: 1, files: 0, analysed: 0, buckets: [], broken: [], brokenCount: 0 };
}

/** What one report contributes: the fields of a report the summary reads. */
export interface ReportFacts {
  bucket: Bucket;
  findings: readonly { pattern: string }[];
  dump: { time: string | null };
}

export function summaryOfReport(report: ReportFacts, file: string): Summary {
  const patterns: Record<string, number> = {};
  for (const f of report.findings) patterns[f.pattern] = 1;
  const time = timeKey(report.dump.time) === null ? null : report.dump.time;
  return {
    ...emptySummary(),
    files: 1,
    analysed: 1,
    buckets: [{ ...pickBucket(report.bucket), count: 1, patterns, firstTime: time, lastTime: time, example: file }],
  };
}

export function summaryOfBroken(broken: BrokenFile): Summary {
  return { ...emptySummary(), files: 1, broken: [{ file: broken.file, kind: broken.kind, message: broken.message }], brokenCount: 1 };
}

export function mergeSummaries(a: Summary, b: Summary): Summary {
  return new SummaryAccumulator().add(a).add(b).result();
}

/**
 * The merge for a stream of summaries (one per file of a run, one per line of `merge`): the
 * same fold as mergeSummaries, without sorting the whole table at every step.
 */
export class SummaryAccumulator {
  readonly #buckets = new Map<string, SummaryBucket>();
  #broken: BrokenFile[] = [];
  #files = 0;
  #analysed = 0;
  #brokenCount = 0;

  add(s: Summary): this {
    this.#files += s.files;
    this.#analysed += s.analysed;
    this.#brokenCount += s.brokenCount;
    for (const x of s.buckets) {
      const y = this.#buckets.get(x.id);
      this.#buckets.set(x.id, y ? mergeBucket(y, x) : { ...x, patterns: sortedRecord(x.patterns) });
    }
    this.#broken.push(...s.broken);
    // Trimmed now and then, not at every add: the kept list is the same either way.
    if (this.#broken.length > 2 * MAX_BROKEN_LISTED) this.#broken = this.#broken.sort(compareBroken).slice(0, MAX_BROKEN_LISTED);
    return this;
  }

  result(): Summary {
    return {
      kind: SUMMARY_KIND,
      version: 1,
      files: this.#files,
      analysed: this.#analysed,
      buckets: [...this.#buckets.values()].sort((x, y) => y.count - x.count || compareText(x.id, y.id)),
      broken: [...this.#broken].sort(compareBroken).slice(0, MAX_BROKEN_LISTED),
      brokenCount: this.#brokenCount,
    };
  }
}

function mergeBucket(x: SummaryBucket, y: SummaryBucket): SummaryBucket {
  const patterns: Record<string, number> = { ...x.patterns };
  for (const [k, v] of Object.entries(y.patterns)) patterns[k] = (patterns[k] ?? 0) + v;
  // Equal ids come from equal parts; the parts are taken from the example's side all the same,
  // so that even a collision could not make the result depend on the order.
  const first = compareText(x.example, y.example) <= 0 ? x : y;
  return {
    ...pickBucket(first),
    count: x.count + y.count,
    patterns: sortedRecord(patterns),
    firstTime: earlier(x.firstTime, y.firstTime),
    lastTime: later(x.lastTime, y.lastTime),
    example: first.example,
  };
}

function pickBucket(b: Bucket): Bucket {
  return { id: b.id, reason: b.reason, frame: b.frame, pattern: b.pattern };
}

function sortedRecord(r: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(r).sort(compareText)) out[k] = r[k]!;
  return out;
}

/** Milliseconds since the epoch, or null for a time that does not parse. */
function timeKey(t: string | null): number | null {
  if (t === null) return null;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : null;
}

/** Orders times by the instant, then by text (two spellings of one instant still order one way). */
function compareTimes(x: string, y: string): number {
  return timeKey(x)! - timeKey(y)! || compareText(x, y);
}

function earlier(x: string | null, y: string | null): string | null {
  if (x === null) return y;
  if (y === null) return x;
  return compareTimes(x, y) <= 0 ? x : y;
}

function later(x: string | null, y: string | null): string | null {
  if (x === null) return y;
  if (y === null) return x;
  return compareTimes(x, y) >= 0 ? x : y;
}

function compareBroken(x: BrokenFile, y: BrokenFile): number {
  return compareText(x.file, y.file) || compareText(x.kind, y.kind) || compareText(x.message, y.message);
}
