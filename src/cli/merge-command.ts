// `dumpatlas merge`: the reduce step. Reads the JSON lines `analyze --json` printed (reports and
// error lines) and the summaries `analyze --summary --json` printed, from any number of files,
// and folds them into one summary — the same one a single run over all the dumps prints, since
// the merge is associative and commutative (src/engine/report/summary.ts). Lines are read one
// at a time, each at most MAX_LINE_BYTES; a line that is not one of those three is named on
// stderr and left out.
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { failureBucket } from '../engine/report/bucket.ts';
import { Bucket, Report } from '../engine/report/schema.ts';
import { Summary } from '../engine/report/summary-schema.ts';
import { SummaryAccumulator, SUMMARY_KIND, summaryOfBroken, summaryOfReport, type Summary as SummaryValue } from '../engine/report/summary.ts';
import { renderSummaryText } from '../render/summary-text.ts';
import { visibleJson } from '../render/untrusted-text.ts';
import type { MergeArgs } from './args.ts';
import type { CliIo } from './io.ts';

/** A report line is the whole report; hostile dumps are bounded well below this by the engine. */
export const MAX_LINE_BYTES = 256 * 2 ** 20;
/** Bad lines named one by one on stderr; the rest are counted. */
const MAX_BAD_LINES_SHOWN = 20;

/** The parts of a report line a summary reads; the rest is not validated (nor needed). */
const ReportLine = z.object({
  file: z.string().optional(),
  schemaVersion: z.number(),
  input: z.object({ name: z.string() }),
  bucket: Bucket.optional(),
  findings: z.array(z.object({ pattern: z.string() })),
  dump: z.object({ time: z.string().nullable() }),
});

const ErrorLine = z.object({
  file: z.string(),
  error: z.object({ kind: z.string(), message: z.string() }),
});

/** One line's contribution, or why it has none. */
export function lineSummary(line: string): SummaryValue | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: 'not a JSON line' };
  }
  if (typeof value !== 'object' || value === null) return { problem: 'not a JSON object' };
  const o = value as Record<string, unknown>;
  if (o['kind'] === SUMMARY_KIND) {
    const s = Summary.safeParse(o);
    return s.success ? s.data : { problem: 'a summary that does not match its schema' };
  }
  if ('error' in o) {
    const e = ErrorLine.safeParse(o);
    return e.success ? summaryOfBroken({ file: e.data.file, kind: e.data.error.kind, message: e.data.error.message }) : { problem: 'an error line without file and error' };
  }
  if ('schemaVersion' in o) {
    const r = ReportLine.safeParse(o);
    if (!r.success) return { problem: 'a report that does not match its schema' };
    let bucket = r.data.bucket;
    if (!bucket) {
      // A report from before buckets: the bucket is a function of the report, so make it here.
      const full = Report.omit({ bucket: true }).safeParse(o);
      if (!full.success) return { problem: 'a report without a bucket that does not match its schema' };
      bucket = failureBucket(full.data, full.data.findings);
    }
    return summaryOfReport({ bucket, findings: r.data.findings, dump: r.data.dump }, r.data.file ?? r.data.input.name);
  }
  return { problem: 'neither a report, an error line nor a summary' };
}

/** Calls `onLine` for every line of the file; lines longer than the cap are reported instead. */
async function readLines(path: string, onLine: (line: string, n: number) => void, onTooLong: (n: number) => void): Promise<void> {
  const decoder = new TextDecoder();
  let parts: Uint8Array[] = [];
  let length = 0;
  let skipping = false;
  let n = 0;
  const end = (): void => {
    n++;
    if (skipping) onTooLong(n);
    else if (length > 0) onLine(decoder.decode(concat(parts, length)), n);
    parts = [];
    length = 0;
    skipping = false;
  };
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Uint8Array;
    let start = 0;
    for (;;) {
      const nl = bytes.indexOf(0x0a, start);
      const piece = bytes.subarray(start, nl < 0 ? bytes.length : nl);
      if (!skipping) {
        if (length + piece.length > MAX_LINE_BYTES) {
          skipping = true;
          parts = [];
          length = 0;
        } else if (piece.length > 0) {
          parts.push(piece.slice());
          length += piece.length;
        }
      }
      if (nl < 0) break;
      end();
      start = nl + 1;
    }
  }
  if (length > 0 || skipping) end();
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function runMerge(args: MergeArgs, io: CliIo): Promise<number> {
  const summary = new SummaryAccumulator();
  let bad = 0;
  const complain = (text: string): void => {
    bad++;
    if (bad <= MAX_BAD_LINES_SHOWN) io.stderr(`dumpatlas: ${text}`);
  };
  for (const path of args.inputs) {
    try {
      await readLines(
        path,
        (line, n) => {
          if (line.trim() === '') return;
          const s = lineSummary(line);
          if ('problem' in s) complain(`${path}:${n}: ${s.problem}; left out`);
          else summary.add(s);
        },
        (n) => complain(`${path}:${n}: a line longer than ${MAX_LINE_BYTES / 2 ** 20} MiB; left out`),
      );
    } catch (err) {
      complain(`${path}: cannot read: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
    }
  }
  if (bad > MAX_BAD_LINES_SHOWN) io.stderr(`dumpatlas: … ${bad - MAX_BAD_LINES_SHOWN} more lines left out`);
  const merged = summary.result();
  io.stdout(args.json ? visibleJson(merged) : renderSummaryText(merged));
  if (args.html !== null) {
    const { writeHtmlPage } = await import('./html-page.ts');
    try {
      await writeHtmlPage(args.html, { kind: 'summary', json: JSON.stringify(merged) });
    } catch (err) {
      io.stderr(`dumpatlas: ${args.html}: ${err instanceof Error ? err.message : String(err)}`);
      return 2;
    }
  }
  return bad > 0 ? 2 : 0;
}
