// `dumpatlas analyze`: the inputs expanded into files, the files analysed (in this thread when
// there is one, else by a pool of worker threads), and each outcome printed as it comes: text
// reports in the order the files were given, JSON lines in the order they finish. Every file
// also folds into the bucket summary, printed with --summary and drawn with --html.
import { availableParallelism, totalmem } from 'node:os';
import { basename } from 'node:path';
import { DEFAULT_BUDGET_MS } from '../engine/core/budget.ts';
import { describeError } from '../engine/core/errors.ts';
import { SummaryAccumulator, summaryOfBroken } from '../engine/report/summary.ts';
import { renderSummaryText } from '../render/summary-text.ts';
import { visibleJson } from '../render/untrusted-text.ts';
import { analyzeFile, type FileOutcome, type FileTask, type Output } from './analyze-file.ts';
import type { AnalyzeArgs } from './args.ts';
import { FilePool } from './file-pool.ts';
import { listImageFiles, MAX_OPEN_IMAGES } from './image-files.ts';
import { expandInputs } from './inputs.ts';
import type { CliIo } from './io.ts';
import { loadPatterns } from './patterns.ts';
import { Progress } from './progress.ts';
import { parseSymbolPath, SymbolStore } from './symbol-store.ts';

/** Wall time a worker may spend on one file, well past the engine's own budget (it stops itself). */
export const TASK_TIMEOUT_MS = 6 * DEFAULT_BUDGET_MS;

/** V8 heap per worker: a share of the machine's memory, at least 1 GiB, at most 4 GiB. */
function workerHeapMb(workers: number): number {
  const share = Math.floor((totalmem() / 2 ** 20) * 0.5 / workers);
  return Math.max(1024, Math.min(4096, share));
}

/** The analyze command; its exit status. Whatever goes wrong outside the files' own analyses is one line on stderr. */
export async function runAnalyze(args: AnalyzeArgs, io: CliIo): Promise<number> {
  try {
    return await analyzeInputs(args, io);
  } catch (err) {
    // Told here, not by main(): the prebuilt CLI runs this command from a bundle of its own
    // (script-loader.ts), whose DumpError only its own describeError knows.
    io.stderr(`dumpatlas: ${describeError(err).message}`);
    return 2;
  }
}

async function analyzeInputs(args: AnalyzeArgs, io: CliIo): Promise<number> {
  let imageFiles: string[];
  try {
    imageFiles = await listImageFiles(args.images);
  } catch (err) {
    io.stderr(`dumpatlas: ${describeError(err).message}`);
    return 2;
  }
  // The symbol path is told about once per run; each file's analysis opens its own store.
  const symbolPath = parseSymbolPath(args.symbols);
  for (const url of symbolPath.ignored) io.stderr(`dumpatlas: --symbols: ${url} left out (symbols are read from local files and folders only)`);
  const store = await SymbolStore.open(symbolPath.entries);
  for (const path of store.missing) io.stderr(`dumpatlas: --symbols: ${path} is neither a file nor a folder; left out`);
  await store.close();
  const inputs = await expandInputs(args.inputs);
  let status = inputs.problems.length > 0 ? 2 : 0;
  const summary = new SummaryAccumulator();
  const output: Output = args.summary ? 'none' : args.json ? 'json' : 'text';
  for (const p of inputs.problems) {
    summary.add(summaryOfBroken(p));
    if (!args.summary) io.stderr(`dumpatlas: ${p.file}: ${p.message}`);
    // The map step's output carries every input, so a merge counts this one too.
    if (output === 'json') io.stdout(visibleJson({ file: p.file, error: { kind: p.kind, message: p.message } }));
  }
  if (inputs.capped) io.stderr(`dumpatlas: warning: ${inputs.capped}`);
  if (inputs.files.length === 0 && inputs.problems.length === 0) {
    io.stderr(`dumpatlas: no dump or debugger output in ${args.inputs.join(', ')}${inputs.skipped > 0 ? ` (${inputs.skipped} other file${inputs.skipped === 1 ? '' : 's'} skipped)` : ''}`);
    return 2;
  }

  const single = inputs.files.length === 1 && inputs.problems.length === 0;
  const tasks: FileTask[] = inputs.files.map((file) => ({
    file,
    output,
    wantReport: args.html !== null && single,
    images: imageFiles,
    symbols: args.symbols,
    forceSymbols: args.forceSymbols,
  }));
  const progress = Progress.maybe(tasks.length, io.progressStream ?? { write: () => {} }, args.progress);
  const say = (print: (t: string) => void, text: string): void => {
    progress?.clear();
    print(text);
  };

  // Text reports (and their files' error lines) keep the order the files were given: each waits
  // only for those before it. JSON lines go out as each file finishes.
  const pending = new Map<number, FileOutcome>();
  let nextToPrint = 0;
  let oneReport: string | null = null;
  const show = (o: FileOutcome): void => {
    if (!o.ok && o.error && !args.summary) say(io.stderr, `dumpatlas: ${o.file}: ${o.error}`);
    if (o.printed && output !== 'none') say(io.stdout, o.printed);
  };
  const take = (index: number, o: FileOutcome): void => {
    summary.add(o.summary);
    if (!o.ok) status = 2;
    if (o.reportJson) oneReport = o.reportJson;
    if (output !== 'text') show(o);
    else {
      pending.set(index, o);
      for (let next = pending.get(nextToPrint); next; next = pending.get(nextToPrint)) {
        pending.delete(nextToPrint++);
        show(next);
      }
    }
    progress?.tick(o.ok);
  };

  if (tasks.length === 1) {
    // One file: no worker to start, the answer comes sooner.
    const patterns = await loadPatterns();
    const pool = new FilePool(MAX_OPEN_IMAGES);
    take(0, await analyzeFile(tasks[0]!, patterns, pool));
  } else if (tasks.length > 1) {
    const size = Math.min(args.jobs ?? availableParallelism(), tasks.length);
    // Imported here: node:worker_threads costs a one-file run ~4 ms of start-up for nothing.
    const { runPool } = await import('./worker-pool.ts');
    await runPool(tasks, { size, heapMb: workerHeapMb(size), taskTimeoutMs: TASK_TIMEOUT_MS, beforeDispatch: io.drain }, take);
  }
  progress?.clear();

  if (inputs.skipped > 0) {
    const n = inputs.skipped;
    const images = inputs.skippedImages;
    const hint = images > 0 ? ` (${images === n ? (n === 1 ? 'a module image' : 'all module images') : `${images} of them ${images === 1 ? 'a module image' : 'module images'}`}: give ${images === 1 ? 'it' : 'them'} with --images to unwind and name frames)` : '';
    io.stderr(`dumpatlas: ${n} file${n === 1 ? '' : 's'} in the folders ${n === 1 ? 'is' : 'are'} neither a dump nor debugger output; skipped${hint}`);
  }
  if (output === 'text' && tasks.length > 1 && io.progressStream?.isTTY === true) {
    io.stderr(`dumpatlas: ${tasks.length} reports above; --summary counts them by failure bucket instead`);
  }
  const merged = args.summary || args.html !== null ? summary.result() : null;
  if (args.summary && merged) io.stdout(args.json ? visibleJson(merged) : renderSummaryText(merged));
  if (args.html !== null) {
    const { writeHtmlPage } = await import('./html-page.ts');
    try {
      if (oneReport !== null) await writeHtmlPage(args.html, { kind: 'report', json: oneReport }, basename(inputs.files[0]!));
      else await writeHtmlPage(args.html, { kind: 'summary', json: JSON.stringify(merged) });
    } catch (err) {
      io.stderr(`dumpatlas: ${args.html}: ${describeError(err).message}`);
      return 2;
    }
  }
  return status;
}
