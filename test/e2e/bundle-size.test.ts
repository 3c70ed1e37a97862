// The island's JavaScript budget, measured on the built site: every script the analyzer page
// fetches when it opens — the analyzer's entry, its highlighter chunk and the engine's worker,
// since only the analyzer is an island — at most 150 KB gzipped in total. The symbol-file
// readers are chunks of their own, fetched only when a reader drops a PDB or a .sym: they are
// not part of the first load, and a test below checks that they stay out of it. The
// exception-code tables are a chunk of their own too, which the worker fetches as soon as it
// has started (so none is fetched once an analysis has begun): counted apart, with a budget of
// its own. Other pages
// load no script file but the site search's (/pagefind/); the only inline script is the
// layout's small theme switch.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { openAnalyzer, useBrowser } from './browser.ts';

const BUDGET = 150 * 1024;

const browser = useBrowser();

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function gzipSize(file: string): number {
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

/** `file` and the chunks it imports statically, transitively (what loading it fetches). */
function withStaticImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(?:from\s*|import\s*)["'`]\.\/([\w.-]+\.js)["'`]/g)) withStaticImports(join('dist', '_astro', m[1]!), seen);
  return seen;
}

it('keeps the JavaScript the analyzer page loads within 150 KB gzipped', async () => {
  const page = await openAnalyzer(browser());
  await page.waitForLoadState('networkidle');
  const loaded = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => new URL(e.name).pathname)
      .filter((p) => /^\/_astro\/[\w.-]+\.m?js$/.test(p)),
  );
  // The worker's requests are in the worker's own timeline: the page sees its script only as
  // the wrapper's import, so it is added from the built files by name.
  const all = files(join('dist', '_astro')).filter((f) => /\.m?js$/.test(f));
  const worker = all.filter((f) => /engine-worker/.test(f)).flatMap((f) => [...withStaticImports(f)]);
  const scripts = [...new Set([...loaded.flatMap((p) => [...withStaticImports(join('dist', p))]), ...worker])];
  expect(scripts.length).toBeGreaterThanOrEqual(3); // entry, highlighter, worker
  const sizes = scripts.map((f) => ({ file: f, raw: statSync(f).size, gzip: gzipSize(f) }));
  const total = sizes.reduce((n, s) => n + s.gzip, 0);
  const lazy = all.filter((f) => !scripts.includes(f));
  console.log(
    `analyzer first load: ${(total / 1024).toFixed(1)} KB gzip of ${(BUDGET / 1024).toFixed(0)} KB\n` +
      sizes.map((s) => `  ${s.file}: ${(s.raw / 1024).toFixed(1)} KB raw, ${(s.gzip / 1024).toFixed(1)} KB gzip`).join('\n') +
      `\nloaded on demand:\n` +
      lazy.map((f) => `  ${f}: ${(gzipSize(f) / 1024).toFixed(1)} KB gzip`).join('\n'),
  );
  expect(total).toBeLessThanOrEqual(BUDGET);
  await page.close();
});

const CODE_NAMES_BUDGET = 32 * 1024;

it('keeps the exception-code tables in a chunk of their own, fetched after the first load', () => {
  const all = files(join('dist', '_astro')).filter((f) => /\.m?js$/.test(f));
  const tables = all.filter((f) => readFileSync(f, 'utf8').includes('STATUS_ACCESS_VIOLATION'));
  expect(tables).toHaveLength(1);
  const worker = all.filter((f) => /engine-worker/.test(f)).flatMap((f) => [...withStaticImports(f)]);
  expect(worker).not.toContain(tables[0]);
  // …yet the worker asks for it: its name is in the worker's code.
  expect(worker.map((f) => readFileSync(f, 'utf8')).join('')).toContain(tables[0]!.split('/').pop()!);
  console.log(`exception-code tables: ${(gzipSize(tables[0]!) / 1024).toFixed(1)} KB gzip of ${CODE_NAMES_BUDGET / 1024} KB`);
  expect(gzipSize(tables[0]!)).toBeLessThanOrEqual(CODE_NAMES_BUDGET);
});

it('keeps the symbol-file readers out of the first load, in chunks of their own', () => {
  const all = files(join('dist', '_astro')).filter((f) => /\.m?js$/.test(f));
  const pdb = all.filter((f) => /open-pdb/.test(f));
  const sym = all.filter((f) => /open-breakpad-sym/.test(f));
  expect(pdb).toHaveLength(1);
  expect(sym).toHaveLength(1);
  // The readers' own code (a record kind only they name) is in their chunks, not the worker's.
  const worker = all.filter((f) => /engine-worker/.test(f)).map((f) => readFileSync(f, 'utf8')).join('');
  expect(worker).not.toMatch(/S_INLINESITE|STACK WIN|Microsoft C\/C\+\+ MSF/);
  expect(readFileSync(pdb[0]!, 'utf8')).toMatch(/MSF/);
});

const INLINE_BUDGET = 2 * 1024;

it('loads a script file only on /analyze/, and keeps inline scripts tiny', () => {
  const pages = files('dist').filter((f) => f.endsWith('.html'));
  expect(pages.length).toBeGreaterThanOrEqual(3);
  for (const page of pages) {
    const html = readFileSync(page, 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
      .map(([, attrs = '', body = '']) => ({ attrs, body }))
      .filter((s) => !/type="application\/(ld\+)?json"/.test(s.attrs));
    const files = scripts.filter((s) => /\bsrc=/.test(s.attrs));
    const inline = scripts.filter((s) => !/\bsrc=/.test(s.attrs)).reduce((n, s) => n + s.body.length, 0);
    expect(inline, `${page}: inline script bytes`).toBeLessThanOrEqual(INLINE_BUDGET);
    if (page === join('dist', 'analyze', 'index.html')) {
      expect(files.map((s) => s.attrs.trim()), page).toEqual([expect.stringMatching(/^type="module" src="\/_astro\/[\w.-]+\.js"$/)]);
    } else {
      expect(files.filter((s) => !/src="\/pagefind\//.test(s.attrs)), page).toEqual([]);
    }
  }
});
