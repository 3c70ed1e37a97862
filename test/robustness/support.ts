// What the robustness tests share: analyse bytes the way the CLI does (every detector), and
// get back either the report or the DumpError, never anything else.
import { readFileSync } from 'node:fs';
import { analyze, type AnalyzeOptions } from '../../src/engine/analyze.ts';
import { DumpError } from '../../src/engine/core/errors.ts';
import { Uint8ArraySource } from '../../src/engine/io/uint8array-source.ts';
import { Report } from '../../src/engine/report/schema.ts';
import { loadFuzzEnv, type FuzzEnv } from '../../fuzz/env.ts';
import { threadCpuMs } from '../lib/cpu-time.ts';

let env: Promise<FuzzEnv> | null = null;

export function detectorsAndCatalog(): Promise<FuzzEnv> {
  env ??= loadFuzzEnv();
  return env;
}

/** `ms` is the CPU time of the analysis on this thread. */
export type Outcome = { report: Report; error?: undefined; ms: number } | { error: DumpError; report?: undefined; ms: number };

/** analyze() with every detector; a report is checked against the schema, a DumpError returned. */
export async function run(bytes: Uint8Array, name: string, options: Partial<AnalyzeOptions> = {}): Promise<Outcome> {
  const { detectors, catalog } = await detectorsAndCatalog();
  // Work done, not wall time: a loaded machine does not stretch it (test/lib/cpu-time.ts).
  const t0 = threadCpuMs();
  try {
    const report = await analyze(new Uint8ArraySource(bytes, name), { detectors, catalog, ...options });
    return { report: Report.parse(report), ms: threadCpuMs() - t0 };
  } catch (err) {
    if (!(err instanceof DumpError)) throw err;
    return { error: err, ms: threadCpuMs() - t0 };
  }
}

/** The report of `bytes`, failing the test with the error's message when there is none. */
export async function reportOf(bytes: Uint8Array, name: string, options: Partial<AnalyzeOptions> = {}): Promise<Report> {
  const o = await run(bytes, name, options);
  if (o.error) throw new Error(`expected a report, got DumpError(${o.error.kind}): ${o.error.message}`);
  return o.report;
}

/** The DumpError of `bytes`, failing the test when a report came back. */
export async function errorOf(bytes: Uint8Array, name: string, options: Partial<AnalyzeOptions> = {}): Promise<DumpError> {
  const o = await run(bytes, name, options);
  if (!o.error) throw new Error(`expected a DumpError, got a report with ${o.report.threads.length} threads`);
  return o.error;
}

export function fixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));
}
