// What a case must do: come back within the time limit with a schema-valid report that
// survives JSON, or refuse with a DumpError whose message is one short line. Anything else — a
// TypeError from deep inside a reader, a RangeError from a huge allocation, a report the schema
// rejects — is a failure, reported in one line.
import type { Detector } from '../src/engine/report/detector.ts';
import type { PatternCatalog } from '../src/catalog/schema.ts';
import { analyze } from '../src/engine/analyze.ts';
import { DumpError, type DumpErrorKind } from '../src/engine/core/errors.ts';
import { Uint8ArraySource } from '../src/engine/io/uint8array-source.ts';
import { Report } from '../src/engine/report/schema.ts';
import type { FuzzCase } from './cases.ts';
import { threadCpuMs } from '../test/lib/cpu-time.ts';

/**
 * A case that takes more than this of CPU time (its worker thread's, test/lib/cpu-time.ts) fails.
 * CPU time, not wall time: several fuzz workers, or a test run beside them, stretch wall time on a
 * busy machine; the work a case costs they do not. A case that never ends is the harness's
 * wall-clock hang limit's.
 */
export const CASE_LIMIT_MS = 5000;
/**
 * The analysis budget a case runs with, as the CLI and the page give theirs: well inside the
 * limit, so a case that would run long must show the budget working (a `cap-time` report).
 */
export const FUZZ_BUDGET_MS = 2500;
/** DumpError messages longer than this are not "one line" for a user. */
export const MAX_MESSAGE_LENGTH = 300;

const KINDS: readonly DumpErrorKind[] = ['not-a-dump', 'truncated', 'corrupt', 'unsupported', 'io', 'too-large', 'cancelled'];

export interface Outcome {
  index: number;
  from: string;
  mutations: string[];
  size: number;
  ms: number;
  /** report: analysed; refused: a proper DumpError; failed: anything else. */
  verdict: 'report' | 'refused' | 'failed';
  /** DumpError kind when refused; for a report, the number of warnings. */
  detail: string;
  /** Why it failed, one line; empty otherwise. */
  reason: string;
  /** Detectors that threw on this input ("id: message"): not a failure of the engine, but bugs. */
  detectorErrors: string[];
  /** The report carries a `cap-time` warning: the budget ended the reading early. */
  capTime: boolean;
}

export interface CheckEnv {
  detectors: readonly Detector[];
  catalog: PatternCatalog;
}

function oneLine(text: string, max = 200): string {
  const first = text.split('\n')[0] ?? '';
  return first.length > max ? `${first.slice(0, max)}…` : first;
}

/** Why a thrown value is not an acceptable refusal, or null when it is one. */
export function refusalProblem(err: unknown): string | null {
  if (!(err instanceof DumpError)) {
    const name = err instanceof Error ? err.name : typeof err;
    const msg = err instanceof Error ? err.message : String(err);
    return `threw ${name}: ${oneLine(msg)}`;
  }
  if (!KINDS.includes(err.kind)) return `DumpError of unknown kind ${JSON.stringify(err.kind)}`;
  if (err.message.length === 0) return `DumpError(${err.kind}) with an empty message`;
  if (/[\r\n]/.test(err.message)) return `DumpError(${err.kind}) message spans lines: ${oneLine(JSON.stringify(err.message))}`;
  if (err.message.length > MAX_MESSAGE_LENGTH) return `DumpError(${err.kind}) message is ${err.message.length} characters: ${oneLine(err.message, 80)}`;
  return null;
}

/** Why a report is not acceptable, or null. */
export function reportProblem(report: unknown): string | null {
  const parsed = Report.safeParse(report);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `report fails the schema at ${issue?.path.join('.') ?? '?'}: ${oneLine(issue?.message ?? '')}`;
  }
  try {
    JSON.stringify(report);
  } catch (err) {
    return `report does not survive JSON: ${oneLine((err as Error).message)}`;
  }
  // The readers survive their own bugs per stream and per thread, and say so in a warning of
  // this kind: for the user that is a partial report, for the fuzzer it is a bug found.
  const internal = parsed.data.warnings.find((w) => w.kind.endsWith('internal-error'));
  if (internal) return `internal error survived as a warning: ${oneLine(internal.message)}`;
  return null;
}

export async function runCase(c: FuzzCase, env: CheckEnv, limitMs = CASE_LIMIT_MS, budgetMs: number | null = FUZZ_BUDGET_MS): Promise<Outcome> {
  const base = { index: c.index, from: c.from, mutations: c.mutations, size: c.bytes.length };
  const started = threadCpuMs();
  let verdict: Outcome['verdict'];
  let detail = '';
  let reason = '';
  let detectorErrors: string[] = [];
  let capTime = false;
  try {
    const report = await analyze(new Uint8ArraySource(c.bytes, c.name), {
      detectors: env.detectors,
      catalog: env.catalog,
      ...(c.images ? { images: c.images.map((f) => new Uint8ArraySource(f.bytes, f.name)) } : {}),
      ...(c.symbols ? { symbols: c.symbols.map((f) => new Uint8ArraySource(f.bytes, f.name)), forceSymbols: c.forceSymbols ?? false } : {}),
      ...(budgetMs === null ? {} : { budgetMs }),
    });
    capTime = report.warnings.some((w) => w.kind === 'cap-time');
    const problem = reportProblem(report);
    verdict = problem ? 'failed' : 'report';
    reason = problem ?? '';
    detail = `${report.warnings.length} warnings`;
    detectorErrors = report.analysis.detectorErrors.map((e) => `${e.pattern}: ${oneLine(e.message, 120)}`);
  } catch (err) {
    const problem = refusalProblem(err);
    verdict = problem ? 'failed' : 'refused';
    reason = problem ?? '';
    detail = err instanceof DumpError ? err.kind : 'exception';
  }
  const ms = threadCpuMs() - started;
  if (verdict !== 'failed' && ms > limitMs) {
    verdict = 'failed';
    reason = `took ${Math.round(ms)} ms of CPU time (limit ${limitMs} ms)`;
  }
  return { ...base, ms, verdict, detail, reason, detectorErrors, capTime };
}
