// Builds the prebuilt CLI into dist-cli/ (`npm run build:cli [-- OUT_DIR] [--readable]`; npm's `prepare` runs it after
// `npm install` in a clone and before `npm pack`, so a clone and a packed tarball both carry
// it). Node then loads a handful of plain .mjs files instead of stripping the types of hundreds
// of TypeScript modules at every start.
//
//   dumpatlas.mjs      the entry: argument parsing and --version/--help; each command is a
//                      chunk imported when it runs (esbuild code splitting)
//   worker.mjs         the worker thread of a parallel run
//   chunk-*.mjs        code the two share (the engine, the detectors, the renderers)
//   report-page.js/.css  the --html page's renderer and styles (a browser bundle)
//   build-info.json    the newest source time the build saw (bin/dumpatlas.js compares it)
//
// The CLI targets Node 20, so a tarball installed where only the system's Node is found still
// runs; the detectors and the pattern titles are compiled in (a generated module replaces
// src/cli/patterns.ts, which lists folders at run time).
import { build, type Plugin } from 'esbuild';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
      plugins: [compiledPatterns],
      logLevel: 'warning',
    });
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
  } finally {
    rmSync(tmp, { recursive: true, force: true });
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
