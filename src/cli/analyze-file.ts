// One file, analysed: what the main thread and each worker thread run. The outcome is plain
// data (it crosses from a worker by postMessage): what the chosen output needs, and the file's
// one-row summary, which every run keeps for --summary and --html.
import { analyze } from '../engine/analyze.ts';
import { DEFAULT_BUDGET_MS } from '../engine/core/budget.ts';
import { describeError } from '../engine/core/errors.ts';
import { NodeFileSource } from '../engine/io/node-file-source.ts';
import { summaryOfBroken, summaryOfReport, type Summary } from '../engine/report/summary.ts';
import { renderTextReport } from '../render/text-report.ts';
import { visibleJson } from '../render/untrusted-text.ts';
import type { FilePool } from './file-pool.ts';
import type { Patterns } from './patterns.ts';
import { parseSymbolPath, SymbolStore } from './symbol-store.ts';

/** What the run prints per file: a text report, a JSON line, or nothing (a summary only). */
export type Output = 'text' | 'json' | 'none';

export interface FileTask {
  file: string;
  output: Output;
  /** Also return the report as JSON (for an --html page of one file). */
  wantReport: boolean;
  images: readonly string[];
  symbols: readonly string[];
  forceSymbols: boolean;
  budgetMs?: number;
}

export interface FileOutcome {
  file: string;
  ok: boolean;
  /** The text report or the JSON line; for a failure in --json mode, the error line. */
  printed: string | null;
  /** The one-line error for stderr, when the file could not be read. */
  error: string | null;
  summary: Summary;
  reportJson: string | null;
}

/** Engine messages start with the file's base name; the CLI already names the path. */
function withoutName(message: string, file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return message.startsWith(`${base}: `) ? message.slice(base.length + 2) : message;
}

export function failedOutcome(task: Pick<FileTask, 'file' | 'output'>, kind: string, message: string): FileOutcome {
  const file = task.file;
  return {
    file,
    ok: false,
    printed: task.output === 'json' ? visibleJson({ file, error: { kind, message } }) : null,
    error: message,
    summary: summaryOfBroken({ file, kind, message }),
    reportJson: null,
  };
}

export async function analyzeFile(task: FileTask, patterns: Patterns, images: FilePool): Promise<FileOutcome> {
  let source: NodeFileSource | null = null;
  // Opening a store only stats its entries; its files open on first read (at most
  // MAX_OPEN_HANDLES at once) and are closed after each dump, like the images.
  const store = task.symbols.length > 0 ? await SymbolStore.open(parseSymbolPath(task.symbols).entries) : null;
  try {
    source = await NodeFileSource.open(task.file);
    const report = await analyze(source, {
      detectors: patterns.detectors,
      catalog: patterns.catalog,
      images: images.sources(task.images),
      ...(store && store.files.length > 0 ? { symbols: store.files } : {}),
      ...(store && store.folders.length > 0 ? { symbolLocator: store } : {}),
      forceSymbols: task.forceSymbols,
      budgetMs: task.budgetMs ?? DEFAULT_BUDGET_MS,
    });
    // Validated against the schema before it is printed; zod is loaded only by runs that print JSON.
    // Written with the characters JSON leaves raw (bidi controls…) escaped: the same values, safe on a terminal.
    const line = task.output === 'json' || task.wantReport ? visibleJson({ file: task.file, ...(await import('../engine/report/schema.ts')).Report.parse(report) }) : null;
    return {
      file: task.file,
      ok: true,
      printed: task.output === 'json' ? line : task.output === 'text' ? `${renderTextReport(report)}\n` : null,
      error: null,
      summary: summaryOfReport(report, task.file),
      reportJson: task.wantReport ? line : null,
    };
  } catch (err) {
    const e = describeError(err);
    return failedOutcome(task, e.kind, withoutName(e.message, task.file));
  } finally {
    await source?.close().catch(() => {});
    await images.closeAll();
    await store?.close().catch(() => {});
  }
}
