// The one entry point the CLI, the Web Worker and the tests share: read an input into the
// dump model, run every detector on it, and return the report. The detectors and the patterns'
// titles and links are passed in, so the engine never imports the layers above it.
import { Budget } from './core/budget.ts';
import { renderMessage, type Detector, type PatternIndex } from './report/detector.ts';
import type { ByteSource } from './io/byte-source.ts';
import type { DumpModel } from './core/dump-model.ts';
import { readDump, readTextModel, type ReadOptions } from './read-dump.ts';
import { failureBucket } from './report/bucket.ts';
import { describeCooperation } from './report/cooperation.ts';
import { boundReportSize } from './report/report-size.ts';
import type { Finding, Report } from './report/schema.ts';
import { ENGINE_VERSION } from './core/version.ts';
import { compareTitles } from './core/text-order.ts';
import { loadCodeNames } from './names/exception-codes.ts';

export { ENGINE_VERSION } from './core/version.ts';

export interface AnalyzeOptions extends ReadOptions {
  detectors: readonly Detector[];
  /** Each pattern's title and related ids, by pattern id (the pages' frontmatter has more; this is what a report needs). */
  catalog: PatternIndex;
  /** Clock for elapsed time; injectable so tests stay deterministic. */
  now?: () => number;
}

/**
 * Reads the input and runs every detector. `budgetMs` bounds the reading (a partial report with
 * a `cap-time` warning when it runs out; none by default, the shells pass DEFAULT_BUDGET_MS);
 * `signal` cancels with DumpError('cancelled').
 */
export async function analyze(source: ByteSource, options: AnalyzeOptions): Promise<Report> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const model = await readDump(source, options);
  new Budget(options).throwIfCancelled();
  return buildReport(model, options, now() - started);
}

/** For pasted text: no byte source needed. */
export async function analyzeText(text: string, name: string, options: AnalyzeOptions): Promise<Report> {
  await loadCodeNames();
  return analyzeLoadedText(text, name, options);
}

/**
 * analyzeText once loadCodeNames() has resolved, in one synchronous call (for a caller that
 * times the call itself, as the growth tests do).
 */
export function analyzeLoadedText(text: string, name: string, options: AnalyzeOptions): Report {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const budget = new Budget(options);
  budget.throwIfCancelled();
  const model = readTextModel(text, name, new TextEncoder().encode(text).length, false, budget);
  return buildReport(model, options, now() - started);
}

export function buildReport(readModel: DumpModel, options: AnalyzeOptions, elapsedMs: number): Report {
  // Bounded before the detectors run, so their evidence points only at what the report keeps.
  const model = boundReportSize(readModel);
  const findings: Finding[] = [];
  const detectorErrors: { pattern: string; message: string }[] = [];
  for (const detector of options.detectors) {
    const meta = options.catalog[detector.id];
    try {
      for (const f of detector.detect(model)) {
        const template = detector.messages[f.messageId];
        if (template === undefined) throw new Error(`no message "${f.messageId}"`);
        const data = f.data ?? {};
        findings.push({
          pattern: detector.id,
          title: meta?.title ?? detector.id,
          confidence: f.confidence,
          messageId: f.messageId,
          data,
          summary: renderMessage(template, data),
          evidence: f.evidence,
        });
      }
    } catch (err) {
      // One broken detector must not cost the user the other findings.
      detectorErrors.push({ pattern: detector.id, message: err instanceof Error ? err.message : String(err) });
    }
  }
  findings.sort((a, b) => rank(a.confidence) - rank(b.confidence) || compareTitles(a.title, b.title));
  return {
    schemaVersion: 2,
    ...model,
    findings,
    bucket: failureBucket(model, findings),
    cooperation: describeCooperation(findings, options.catalog),
    analysis: { engineVersion: ENGINE_VERSION, elapsedMs: Math.max(0, elapsedMs), detectorErrors },
  };
}

function rank(c: Finding['confidence']): number {
  return c === 'certain' ? 0 : c === 'likely' ? 1 : 2;
}
