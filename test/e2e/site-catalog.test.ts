// The catalog site in Chromium: the index lists every pattern and filters it, Pagefind finds
// a pattern by a frame name from its example stack, a pattern page shows its build-time
// annotated stack, the cooperation page lists co-firing pairs, 404, theme, keyboard and narrow
// screens; and screenshots of the home and a pattern page in light and dark for a person to
// look at (test-results/site-*.png).
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load-node.ts';
import { analyzeInput } from '../lib/analyze-input.ts';
import { siteUrl, useBrowser } from './browser.ts';

const catalog = loadCatalog();
const browser = useBrowser();
beforeAll(() => {
  mkdirSync('test-results', { recursive: true });
});

async function open(path: string, scheme: 'light' | 'dark' = 'light', width = 1280): Promise<Page> {
  const page = await browser().newPage({ viewport: { width, height: 900 } });
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(siteUrl(path));
  return page;
}

describe('the index', () => {
  it('lists every pattern of the catalog, each linking to its page', async () => {
    const page = await open('/');
    const ids = await page.locator('.pattern-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-pattern')));
    expect(ids.sort()).toEqual(Object.keys(catalog).sort());
    const href = await page.locator('.pattern-card[data-pattern="virtualized-process"] h3 a').getAttribute('href');
    expect(href).toBe('/patterns/virtualized-process/');
    await page.close();
  });

  it('filters by input and by category with the radio buttons', async () => {
    const page = await open('/');
    const visible = () => page.locator('.pattern-card:visible').count();
    const all = await visible();
    expect(all).toBe(Object.keys(catalog).length);
    await page.locator('label[for="f-in-debugger-text"]').click();
    const textOnly = Object.values(catalog).filter((m) => m.inputs.includes('debugger-text')).length;
    expect(await visible()).toBe(textOnly);
    await page.locator('label[for="f-in-any"]').click();
    await page.locator('label[for="f-cat-processes-and-systems"]').click();
    const inCategory = Object.values(catalog).filter((m) => m.category === 'Processes and systems').length;
    expect(await visible()).toBe(inCategory);
    expect(await page.locator('.pattern-card[data-pattern="virtualized-process"]').isVisible()).toBe(true);
    await page.close();
  });

  it('finds Virtualized Process by the frame name Wow64NotifyDebugger (Pagefind UI)', async () => {
    const page = await open('/');
    await page.locator('.pagefind-ui__search-input').fill('Wow64NotifyDebugger');
    const first = page.locator('.pagefind-ui__result-link').first();
    await first.waitFor({ timeout: 10_000 });
    const titles = await page.locator('.pagefind-ui__result-link').allTextContents();
    expect(titles).toContain('Virtualized Process');
    await page.close();
  });

  it('runs the search given in the address (?q=), as the header form sends it', async () => {
    const page = await open('/patterns/virtualized-process/');
    await page.locator('#site-q').fill('Wow64NotifyDebugger');
    await page.locator('#site-q').press('Enter');
    await page.waitForURL(/\/\?q=Wow64NotifyDebugger/);
    await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('.pagefind-ui__result-link').allTextContents()).toContain('Virtualized Process');
    await page.close();
  });
});

describe('a pattern page', () => {
  it('shows the example stack rendered at build time, evidence rows marked with the note', async () => {
    const page = await open('/patterns/virtualized-process/');
    const example = page.locator('section.example');
    expect(await example.getAttribute('data-example')).toBe(catalog['virtualized-process']!.examples[0]);
    expect(await example.locator('.finding .confidence-certain').textContent()).toBe('certain');
    const marked = example.locator('pre.shiki .line.ev');
    expect(await marked.count()).toBeGreaterThanOrEqual(1);
    expect(await marked.first().textContent()).toMatch(/wow64!Wow64NotifyDebugger\+0x9\s+← .*WOW64/);
    // Coloured by shiki: the symbol is its own token with a colour.
    const style = await marked.first().locator('span', { hasText: /^Wow64NotifyDebugger$/ }).getAttribute('style');
    expect(style).toMatch(/color:light-dark\(#[0-9a-f]{6}, ?#[0-9a-f]{6}\)/i);
    await page.close();
  });

  it('ships no script but the theme switch: no external or module scripts', async () => {
    const html = await (await fetch(siteUrl('/patterns/virtualized-process/'))).text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]![1]).not.toMatch(/\bsrc=|type="module"/);
    expect(scripts[0]![2]).toContain('data-theme-toggle');
  });

  it('lists related patterns and the pages that link to it', async () => {
    const withRelated = Object.entries(catalog).find(([, m]) => m.related.length > 0);
    if (!withRelated) return; // a catalog with no links has nothing to show here
    const [id, meta] = withRelated;
    const page = await open(`/patterns/${id}/`);
    for (const r of meta.related) expect(await page.locator(`#related-patterns ~ ul [data-related="${r}"]`).count()).toBe(1);
    const target = meta.related[0]!;
    const back = await open(`/patterns/${target}/`);
    const listedByTarget = catalog[target]!.related.includes(id);
    expect(await back.locator(`[data-related="${id}"]${listedByTarget ? '' : '[data-linked-from]'}`).count()).toBe(1);
    await page.close();
    await back.close();
  });
});

describe('the cooperation page', () => {
  it('lists the pairs that fire together on an example, as the engine finds them', async () => {
    const fixture = catalog['virtualized-process']!.examples[0]!;
    const report = await analyzeInput({ fixture });
    const fired = [...new Set(report.findings.map((f) => f.pattern))].sort();
    expect(fired.length).toBeGreaterThanOrEqual(2);
    const page = await open('/cooperation/');
    const rows = await page.locator('table[data-cofiring] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-pair')));
    for (let i = 0; i < fired.length; i++) {
      for (let j = i + 1; j < fired.length; j++) expect(rows).toContain(`${fired[i]} ${fired[j]}`);
    }
    expect(await page.locator('svg.graph a').count()).toBe(Object.keys(catalog).length);
    expect(await page.locator('svg.graph path.cofire').count()).toBe(rows.length);
    await page.close();
  });
});

describe('the whole site', () => {
  it('answers an unknown address with the 404 page', async () => {
    const res = await fetch(siteUrl('/patterns/no-such-pattern/'));
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('<h1>Page not found</h1>');
  });

  it('remembers the theme chosen with the button, also on the analyzer', async () => {
    const page = await open('/', 'light');
    const toggle = page.locator('[data-theme-toggle]');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(21, 23, 26)');
    await page.goto(siteUrl('/analyze/'));
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.locator('[data-theme-toggle]').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(253, 253, 252)');
    await page.close();
  });

  it('starts with a skip link that moves focus to the main content', async () => {
    const page = await open('/patterns/virtualized-process/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(await page.locator('header').count()).toBe(1);
    expect(await page.locator('main').count()).toBe(1);
    expect(await page.locator('footer').count()).toBe(1);
    expect(await page.locator('h1').count()).toBe(1);
    await page.close();
  });

  for (const path of ['/', '/patterns/virtualized-process/', '/cooperation/', '/analyze/', '/404.html']) {
    it(`fits a 375 px wide screen without sideways scrolling: ${path}`, async () => {
      const page = await open(path, 'light', 375);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(375);
      await page.close();
    });
  }
});

describe('screenshots for a person to look at', () => {
  const shots: [string, string, number][] = [
    ['home', '/', 1280],
    ['pattern', '/patterns/virtualized-process/', 1280],
    ['cooperation', '/cooperation/', 1280],
    ['home-narrow', '/', 375],
    ['pattern-narrow', '/patterns/virtualized-process/', 375],
  ];
  for (const [name, path, width] of shots) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`saves ${name} (${scheme})`, async () => {
        const page = await open(path, scheme, width);
        const png = await page.screenshot({ path: `test-results/site-${name}-${scheme}.png`, fullPage: true });
        expect(png.byteLength).toBeGreaterThan(10_000);
        await page.close();
      });
    }
  }
});
