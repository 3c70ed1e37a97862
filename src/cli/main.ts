// `dumpatlas analyze`: a thin shell over analyze(). Every failure a user can cause ends as
// one line on stderr and exit status 2; a stack trace never reaches the terminal.
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { loadCatalog, loadDetectors } from '../catalog/load-node.ts';
import { analyze, ENGINE_VERSION } from '../engine/analyze.ts';
import { DEFAULT_BUDGET_MS } from '../engine/core/budget.ts';
import { describeError } from '../engine/core/errors.ts';
import type { ByteSource } from '../engine/io/byte-source.ts';
import { NodeFileSource } from '../engine/io/node-file-source.ts';
import { Report } from '../engine/report/schema.ts';
import { renderTextReport } from '../render/text-report.ts';
import { parseArgs, USAGE, type AnalyzeArgs } from './args.ts';
import { parseSymbolPath, SymbolStore } from './symbol-store.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(`${t}\n`),
  stderr: (t) => process.stderr.write(`${t}\n`),
};

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    io.stderr(`dumpatlas: ${describeError(err).message.replace(/^internal error: /, '')}`);
    return 2;
  }
  if (args.command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (args.command === 'version') {
    io.stdout(ENGINE_VERSION);
    return 0;
  }
  try {
    return await runAnalyze(args, io);
  } catch (err) {
    // Per-file errors are caught below; this is a bug outside them, still one line.
    io.stderr(`dumpatlas: ${describeError(err).message}`);
    return 2;
  }
}

/** Engine messages start with the file's base name; the CLI already names the path. */
function withoutName(message: string, file: string): string {
  const base = basename(file);
  return message.startsWith(`${base}: `) ? message.slice(base.length + 2) : message;
}

async function openImages(dir: string | null): Promise<NodeFileSource[]> {
  if (!dir) return [];
  const names = (await readdir(dir)).filter((n) => /\.(exe|dll|sys|ocx|drv|cpl)$/i.test(n)).sort();
  return Promise.all(names.map((n) => NodeFileSource.open(join(dir, n))));
}

async function runAnalyze(args: AnalyzeArgs, io: CliIo): Promise<number> {
  let detectors;
  let catalog;
  let images: NodeFileSource[];
  try {
    [detectors, catalog, images] = await Promise.all([loadDetectors(), Promise.resolve(loadCatalog()), openImages(args.imagesDir)]);
  } catch (err) {
    io.stderr(`dumpatlas: ${describeError(err).message}`);
    return 2;
  }
  const symbolPath = parseSymbolPath(args.symbols);
  for (const url of symbolPath.ignored) io.stderr(`dumpatlas: --symbols: ${url} left out (symbols are read from local files and folders only)`);
  const store = await SymbolStore.open(symbolPath.entries);
  for (const path of store.missing) io.stderr(`dumpatlas: --symbols: ${path} is neither a file nor a folder; left out`);
  const symbolOptions = {
    ...(store.files.length > 0 ? { symbols: store.files } : {}),
    ...(store.folders.length > 0 ? { symbolLocator: store } : {}),
    forceSymbols: args.forceSymbols,
  };
  let status = 0;
  try {
    for (const file of args.files) {
      let source: NodeFileSource | null = null;
      try {
        source = await NodeFileSource.open(file);
        const report = await analyze(source as ByteSource, { detectors, catalog, images, ...symbolOptions, budgetMs: DEFAULT_BUDGET_MS });
        if (args.json) io.stdout(JSON.stringify(Report.parse(report)));
        else io.stdout(`${renderTextReport(report)}\n`);
      } catch (err) {
        status = 2;
        io.stderr(`dumpatlas: ${file}: ${withoutName(describeError(err).message, file)}`);
      } finally {
        await source?.close();
      }
    }
  } finally {
    await Promise.all(images.map((i) => i.close()));
    await store.close();
  }
  return status;
}
