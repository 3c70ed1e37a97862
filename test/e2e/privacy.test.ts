// Nothing leaves the page: the analyze page's Content-Security-Policy allows only this site,
// the island adds connect-src 'none' before it reads any input, the engine's worker inherits
// it, and no request at all is made while an input is analysed.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { analyzePasted, openAnalyzer, siteUrl, useBrowser } from './browser.ts';

const browser = useBrowser();

function record(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => seen.push(`${r.method()} ${r.url()}`));
  return seen;
}

it('makes no request while it analyses a text file, a binary dump and pasted text', async () => {
  const page = await openAnalyzer(browser());
  await page.waitForLoadState('networkidle');
  const requests = record(page);

  await page.setInputFiles('input[type="file"]', 'fixtures/windbg/virtualized-process-seed.txt');
  await page.locator('.finding[data-pattern="virtualized-process"]').waitFor({ timeout: 20_000 });
  await page.locator('.faulting-stack .code[data-coloured]').first().waitFor({ timeout: 10_000 });

  await page.setInputFiles('input[type="file"]', 'fixtures/corpus/breakpad/null_read_av.dmp');
  await page.locator('.report h2#r-top, .error-panel').first().waitFor({ timeout: 30_000 });

  await analyzePasted(page, readFileSync('fixtures/windbg/virtualized-process-seed.txt', 'utf8'));
  await page.locator('details.thread summary').first().click();
  await page.locator('button[data-action="download-json"]').click();

  expect(requests).toEqual([]);
  await page.close();
});

it('is served with a policy that allows only this site, and locks itself before any input', async () => {
  const page = await openAnalyzer(browser());
  const policies = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .evaluateAll((metas) => metas.map((m) => m.getAttribute('content') ?? ''));
  expect(policies).toHaveLength(2);
  expect(policies[0]).toContain("default-src 'none'");
  expect(policies[0]).toContain("script-src 'self'");
  expect(policies[0]).toContain("connect-src 'self'");
  expect(policies[1]).toBe("connect-src 'none'");
  // The page text says what the policy does.
  expect(await page.locator('[data-privacy]').textContent()).toContain("connect-src 'none'");

  const fromPage = await page.evaluate(() => fetch('/').then(() => 'sent', () => 'blocked'));
  expect(fromPage).toBe('blocked');
  // A worker started from a blob: URL, as the engine's is, is bound by the same lock.
  const fromWorker = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const src = "fetch('/').then(() => postMessage('sent'), () => postMessage('blocked'));";
        const worker = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
        worker.onmessage = (e: MessageEvent<string>) => resolve(e.data);
      }),
  );
  expect(fromWorker).toBe('blocked');
  await page.close();
});

it('with "Try it", fetches only the example and the site’s own code, then locks', async () => {
  const page = await browser().newPage();
  const requests = record(page);
  await page.goto(siteUrl('/analyze/?example=windbg%2Fvirtualized-process-seed.txt'));
  await page.locator('.finding[data-pattern="virtualized-process"]').waitFor({ timeout: 20_000 });
  await page.locator('.faulting-stack .code[data-coloured]').first().waitFor({ timeout: 10_000 });
  const paths = requests.map((r) => {
    const [method, url] = r.split(' ');
    // blob: is the engine worker's two-line wrapper, made inside the page; not a network request.
    if (url!.startsWith('blob:')) return `${method} blob:`;
    const u = new URL(url!);
    expect(u.origin).toBe(new URL(siteUrl('/')).origin);
    return `${method} ${u.pathname}`;
  });
  const example = paths.indexOf('GET /examples/windbg/virtualized-process-seed.txt');
  expect(example).toBeGreaterThan(0);
  expect(paths.filter((p) => p.startsWith('GET /examples/'))).toHaveLength(1);
  // After the example: at most the engine's own script, fetched as code, never data.
  expect(paths.slice(example + 1).filter((p) => !/^GET (blob:|\/_astro\/[\w.-]+\.js)$/.test(p))).toEqual([]);
  expect(await page.evaluate(() => fetch('/').then(() => 'sent', () => 'blocked'))).toBe('blocked');
  await page.close();
});
