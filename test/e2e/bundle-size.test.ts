// The island's JavaScript budget, measured on the built site: every script Astro bundles —
// the analyzer's entry, its highlighter chunk and the engine's worker, since only the analyzer
// is an island — at most 150 KB gzipped in total. Other pages load no script file but the
// site search's (/pagefind/); the only inline script is the layout's small theme switch.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';

const BUDGET = 150 * 1024;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

it('keeps all of the site’s JavaScript — the analyzer island — within 150 KB gzipped', () => {
  const scripts = files(join('dist', '_astro')).filter((f) => /\.m?js$/.test(f));
  expect(scripts.length).toBeGreaterThanOrEqual(3); // entry, highlighter, worker
  const sizes = scripts.map((f) => ({ file: f, raw: statSync(f).size, gzip: gzipSync(readFileSync(f), { level: 9 }).length }));
  const total = sizes.reduce((n, s) => n + s.gzip, 0);
  console.log(
    `island JS: ${(total / 1024).toFixed(1)} KB gzip of ${(BUDGET / 1024).toFixed(0)} KB\n` +
      sizes.map((s) => `  ${s.file}: ${(s.raw / 1024).toFixed(1)} KB raw, ${(s.gzip / 1024).toFixed(1)} KB gzip`).join('\n'),
  );
  expect(total).toBeLessThanOrEqual(BUDGET);
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
