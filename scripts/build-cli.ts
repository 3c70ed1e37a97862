// Builds the prebuilt CLI into dist-cli/ (`npm run build:cli [-- OUT_DIR] [--readable]`; npm's `prepare` runs it after
// `npm install` in a clone and before `npm pack`, so a clone and a packed tarball both carry
// it). Node then loads a handful of plain .mjs files instead of stripping the types of hundreds
// of TypeScript modules at every start.
//
//   dumpatlas.mjs      the entry: argument parsing and --version/--help; each command is a
//                      chunk imported when it runs (esbuild code splitting)
//   worker.mjs         the worker thread of a parallel run
//   chunk-*.mjs        code the two share (the engine, the detectors, the renderers)
//   analyze.cjs        the analyze command as one CommonJS bundle, which the entry runs with a
//                      code cache taken after a run (src/cli/script-loader.ts); the build runs
//                      it once over six fixtures to make that cache (analyze.cjs.analyze.v8-*.cache)
//   schema.cjs         the report's zod schema, which analyze.cjs loads only to print JSON
//   report-page.js/.css  the --html page's renderer and styles (a browser bundle)
//   build-info.json    the newest source time the build saw (bin/dumpatlas.js compares it)
//
// The CLI targets Node 20, so a tarball installed where only the system's Node is found still
// runs; the detectors and the pattern titles are compiled in (a generated module replaces
// src/cli/patterns.ts, which lists folders at run time).
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DETECTORS_DIR, detectorIds, loadCatalog, loadDetectors } from '../src/catalog/load-node.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'dist-cli');
const PATTERNS_MODULE = join(ROOT, 'src/cli/patterns.ts');

/** The newest modification time of anything under src/: what bin/dumpatlas.js compares against. */
export function newestSourceTime(dir = join(ROOT, 'src')): number {
  let newest = 0;
  const folders = [dir];
  while (folders.length > 0) {
    const d = folders.pop()!;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) folders.push(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  }
  return newest;
}

/** src/cli/patterns.ts, with the detectors imported and the titles written in. */
function patternsModule(): string {
  const ids = detectorIds();
  const catalog = loadCatalog();
  const index = Object.fromEntries(ids.map((id) => [id, { title: catalog[id]?.title ?? id, related: catalog[id]?.related ?? [] }]));
  return [
    ...ids.map((id, i) => `import d${i} from ${JSON.stringify(join(DETECTORS_DIR, `${id}.ts`))};`),
    `const detectors = [${ids.map((_, i) => `d${i}`).join(', ')}];`,
    `const catalog = ${JSON.stringify(index)};`,
    'export async function loadPatterns() { return { detectors, catalog }; }',
  ].join('\n');
}

const compiledPatterns: Plugin = {
  name: 'compiled-patterns',
  setup(b) {
    b.onResolve({ filter: /[\\/]patterns\.ts$/ }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      return path === PATTERNS_MODULE ? { path, namespace: 'compiled-patterns' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'compiled-patterns' }, () => ({ contents: patternsModule(), loader: 'js', resolveDir: join(ROOT, 'src/cli') }));
  },
};

// The entry's `import('./analyze-command.ts')` becomes a call into analyze.cjs through the
// script loader (see src/cli/script-loader.ts for why).
const ANALYZE_COMMAND = join(ROOT, 'src/cli/analyze-command.ts');
const analyzeFromScript: Plugin = {
  name: 'analyze-from-script',
  setup(b) {
    b.onResolve({ filter: /[\\/]analyze-command\.ts$/ }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      return path === ANALYZE_COMMAND && args.importer === join(ROOT, 'src/cli/main.ts') ? { path, namespace: 'analyze-from-script' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'analyze-from-script' }, () => ({
      contents: [
        `import { runScript } from ${JSON.stringify(join(ROOT, 'src/cli/script-loader.ts'))};`,
        "export function runAnalyze(args, io) { return runScript(new URL('./analyze.cjs', import.meta.url), 'analyze', (m) => m.runAnalyze(args, io)); }",
      ].join('\n'),
      loader: 'js',
      resolveDir: join(ROOT, 'src/cli'),
    }));
  },
};

// In analyze.cjs, the report schema (zod: more bytes than the rest of the command) is schema.cjs,
// required only by a run that prints JSON.
const REPORT_SCHEMA = join(ROOT, 'src/engine/report/schema.ts');
const schemaApart: Plugin = {
  name: 'schema-apart',
  setup(b) {
    b.onResolve({ filter: /[\\/]schema\.ts$/ }, (args) => (resolve(args.resolveDir, args.path) === REPORT_SCHEMA ? { path: './schema.cjs', external: true } : undefined));
  },
};

/** Options of the two CommonJS bundles: Node 20, require() for what they load later, their own file as import.meta.url. */
function scriptBundle(entry: string, outfile: string, readable: boolean, plugins: Plugin[]): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // Dynamic imports become require() calls inside the bundle, evaluated when first reached.
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__bundle_url' },
    banner: { js: 'var __bundle_url = require("node:url").pathToFileURL(__filename).href;' },
    minify: !readable,
    legalComments: 'none',
    plugins,
    logLevel: 'warning',
  };
}

/**
 * What the build analyses so that the analyze command's code cache holds real runs: a
 * full-memory x64 Wine dump, Windows x64 dumps without module code, a WOW64 dump, a Linux
 * Breakpad dump and a WinDbg log, one after another through one load of the bundle.
 */
const WARM_UP_INPUTS = [
  'fixtures/dumps/deadlock-critical-sections-full.dmp',
  'fixtures/synth/x64-scan.dmp',
  'fixtures/synth/wow64-seed-like.dmp',
  'fixtures/corpus/breakpad/ascii_read_av.dmp',
  'fixtures/corpus/lldb/sigsegv.dmp',
  'fixtures/windbg/real/13-gh-dotnet-runtime-110837-coreclr-null-0x10-x64.txt',
];

/** `readable`: no minifying, for reading a profile of the prebuilt CLI. */
export async function buildCli(out = OUT, { readable = false } = {}): Promise<void> {
  // The same checks the CLI makes when it lists detectors: a default export whose id is its file name.
  await loadDetectors();
  const stamp = newestSourceTime();
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await build({
      absWorkingDir: ROOT,
      entryPoints: { dumpatlas: 'src/cli/main.ts', worker: 'src/cli/worker.ts' },
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outExtension: { '.js': '.mjs' },
      // Identifiers too: less to parse at every start. Errors reach users as one-line messages,
      // never as stacks, so the short names cost nothing there.
      minify: !readable,
      legalComments: 'none',
      plugins: [compiledPatterns, analyzeFromScript],
      logLevel: 'warning',
    });
    await build(scriptBundle('src/cli/analyze-command.ts', join(tmp, 'analyze.cjs'), readable, [compiledPatterns, schemaApart]));
    await build(scriptBundle('src/engine/report/schema.ts', join(tmp, 'schema.cjs'), readable, []));
    // script-loader.ts decodes the bundle as latin1, which is only right for ASCII (esbuild
    // escapes strings; a readable build keeps doc comments, whose other characters it garbles).
    if (!readable && readFileSync(join(tmp, 'analyze.cjs')).some((byte) => byte > 0x7f)) throw new Error('analyze.cjs is not ASCII');
    await build({
      absWorkingDir: ROOT,
      entryPoints: { 'report-page': 'src/client/report-page.ts' },
      outdir: tmp,
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      legalComments: 'none',
      logLevel: 'warning',
    });
    await build({
      absWorkingDir: ROOT,
      entryPoints: { 'report-page': 'src/client/report-page.css' },
      outdir: tmp,
      bundle: true,
      minify: true,
      logLevel: 'warning',
    });
    writeFileSync(join(tmp, 'build-info.json'), `${JSON.stringify({ sourceTime: stamp })}\n`);
    rmSync(out, { recursive: true, force: true });
    renameSync(tmp, out);
    warmUp(out);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Runs the built analyze command over the warm-up inputs, output discarded, and writes its code
 * cache beside analyze.cjs. Best effort: without it (no fixtures in this copy, a failed run) the
 * first analysis makes the cache instead.
 */
function warmUp(out: string): void {
  const inputs = WARM_UP_INPUTS.map((f) => join(ROOT, f)).filter((f) => existsSync(f));
  if (inputs.length === 0) return;
  const source = (file: string): string => JSON.stringify(pathToFileURL(join(ROOT, 'src/cli', file)).href);
  const run = [
    `const { loadScript } = await import(${source('script-loader.ts')});`,
    `const { parseArgs } = await import(${source('args.ts')});`,
    `const script = loadScript(new URL(${JSON.stringify(pathToFileURL(join(out, 'analyze.cjs')).href)}), 'analyze');`,
    // One input per run: several would be analysed in worker threads, which the cache does not see.
    `for (const input of ${JSON.stringify(inputs)}) await script.exports.runAnalyze(parseArgs(['analyze', input]), { stdout() {}, stderr() {} });`,
    'script.keepCache(true);',
  ].join('\n');
  try {
    execFileSync(process.execPath, ['--input-type=module', '-e', run], { stdio: 'ignore', timeout: 120_000 });
  } catch {
    // the first analysis makes the cache instead
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const args = process.argv.slice(2);
  const readable = args.includes('--readable');
  const dir = args.find((a) => !a.startsWith('--'));
  await buildCli(dir ? resolve(dir) : OUT, { readable });
  console.log(`dist-cli built in ${Math.round(performance.now() - started)} ms`);
}
