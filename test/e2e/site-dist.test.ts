// The built site (dist/) checked as files, without a browser. It runs with the browser tests,
// after `npm run test:e2e` has built the site, so it always has a dist/ to check.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = 'dist';
const built = existsSync(join(DIST, 'index.html'));
const read = (path: string) => readFileSync(join(DIST, path), 'utf8');
const patternIds = built && existsSync(join(DIST, 'patterns')) ? readdirSync(join(DIST, 'patterns')).sort() : [];

function scripts(html: string): { attrs: string; body: string }[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1] ?? '', body: m[2] ?? '' }));
}

describe('the built site', () => {
  it('was built', () => expect(built, 'dist/index.html (run npm run build)').toBe(true));

  it('lists every built pattern page on the index', () => {
    const index = read('index.html');
    expect(patternIds.length).toBeGreaterThan(0);
    for (const id of patternIds) expect(index, id).toContain(`href="/patterns/${id}/"`);
  });

  it('gives every pattern page its example section, the search body and no script but the theme', () => {
    for (const id of patternIds) {
      const html = read(`patterns/${id}/index.html`);
      expect(html, id).toContain('data-pagefind-body');
      expect(html, id).toMatch(/<section class="example" aria-labelledby="example-analysed" data-example="[^"]+">/);
      const found = scripts(html);
      expect(found, id).toHaveLength(1);
      expect(found[0]!.attrs, id).not.toMatch(/src=|type="module"/);
      expect(found[0]!.body, id).toContain('localStorage');
    }
  });

  it('marks evidence rows in the example of Virtualized Process', () => {
    if (!patternIds.includes('virtualized-process')) return;
    const html = read('patterns/virtualized-process/index.html');
    expect(html).toMatch(/<span class="line ev" data-frame="\d+">/);
    expect(html).toContain('class="ev-note"');
  });

  it('has the cooperation page with its graph and tables, and a 404 page', () => {
    const coop = read('cooperation/index.html');
    expect(coop).toMatch(/<svg class="graph"[^>]*role="img"/);
    expect(coop).toContain('data-cofiring');
    expect(read('404.html')).toContain('<h1>Page not found</h1>');
  });

  it.skipIf(!existsSync(join(DIST, 'pagefind')))('carries the Pagefind index and UI, built offline from dist/', () => {
    const files = readdirSync(join(DIST, 'pagefind'));
    expect(files).toContain('pagefind-ui.js');
    expect(files).toContain('pagefind-ui.css');
    expect(files.some((f) => f.startsWith('pagefind-entry'))).toBe(true);
    expect(readdirSync(join(DIST, 'pagefind', 'index')).length).toBeGreaterThan(0);
  });
});
