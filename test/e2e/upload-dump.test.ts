// A reader picks a real minidump from the corpus and sees its report. Binary dumps depend on
// the minidump model builder; until it lands the engine refuses them and these tests fail.
import { expect, it } from 'vitest';
import { openAnalyzer, useBrowser } from './browser.ts';

const browser = useBrowser();

async function reportOrError(page: import('playwright-core').Page): Promise<void> {
  await page.locator('.report h2#r-top, .error-panel').first().waitFor({ timeout: 30_000 });
  const refused = (await page.locator('.error-panel').count()) > 0 ? await page.locator('.error-panel').textContent() : null;
  expect(refused, 'the dump was refused').toBeNull();
}

it('reads a Breakpad test dump: a NULL read access violation on x86', async () => {
  const page = await openAnalyzer(browser());
  await page.setInputFiles('input[type="file"]', 'fixtures/corpus/breakpad/null_read_av.dmp');
  await reportOrError(page);
  expect(await page.locator('#r-top').textContent()).toBe('Results for null_read_av.dmp');
  const ex = await page.locator('section[aria-labelledby="r-ex"]').textContent();
  expect(ex).toContain('0xc0000005');
  expect(ex).toContain('reading 0x0');
  expect(await page.locator('section[aria-labelledby="r-glance"]').textContent()).toMatch(/Architecturex86/);
  const top = await page.locator('.faulting-stack pre.stack .frame').first().textContent();
  expect(top).toContain('crashme');
  await page.close();
});

it('tells a dump from its program image by content, whatever their names', async () => {
  const page = await openAnalyzer(browser());
  const { readFileSync } = await import('node:fs');
  // Names swapped on purpose: the MDMP file is called .exe and the MZ file .dmp.
  await page.setInputFiles('input[type="file"]', [
    { name: 'null-pointer-data-read.dmp', mimeType: 'application/octet-stream', buffer: readFileSync('fixtures/dumps/null-pointer-data-read.exe') },
    { name: 'crash.exe', mimeType: 'application/octet-stream', buffer: readFileSync('fixtures/dumps/null-pointer-data-read.dmp') },
  ]);
  await reportOrError(page);
  expect(await page.locator('#r-top').textContent()).toBe('Results for crash.exe');
  expect(await page.locator('[data-status]').textContent()).toContain('With 1 program image.');
  expect(await page.locator('section[aria-labelledby="r-ex"]').textContent()).toContain('0xc0000005');
  await page.close();
});

it('shows the engine’s progress while it reads a dump', async () => {
  const page = await openAnalyzer(browser());
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    const status = document.querySelector('[data-status]')!;
    const bar = document.querySelector<HTMLProgressElement>('progress[data-progress]')!;
    new MutationObserver(() => seen.push(`${status.textContent} | ${bar.hidden ? 'hidden' : bar.getAttribute('value') ?? 'indeterminate'}`)).observe(
      document.querySelector('[data-analyzer]')!,
      { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['value', 'hidden'] },
    );
  });
  await page.setInputFiles('input[type="file"]', 'fixtures/corpus/lldb/sigsegv.dmp');
  await page.locator('#r-top').waitFor({ timeout: 30_000 });
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  expect(seen.some((s) => s.startsWith('Analysing sigsegv.dmp: Walking stacks'))).toBe(true);
  expect(seen.some((s) => / \| 0\.\d+$/.test(s))).toBe(true); // the bar carried a fraction
  expect(await page.locator('progress[data-progress]').isHidden()).toBe(true);
  expect(await page.locator('section[aria-labelledby="r-ex"]').textContent()).toContain('0xc0000005');
  await page.close();
});

it('says how each frame was found, and shows scanned frames as less certain', async () => {
  const page = await openAnalyzer(browser());
  await page.setInputFiles('input[type="file"]', 'fixtures/corpus/breakpad/ascii_read_av.dmp');
  await page.locator('#r-top').waitFor({ timeout: 30_000 });
  const top = page.locator('.faulting-stack pre.stack .frame').first();
  expect(await top.locator('.how').textContent()).toBe('  [context]');
  expect(await top.getAttribute('title')).toBe('found by context');
  for (const summary of await page.locator('details.thread summary').all()) await summary.click();
  const scanned = page.locator('pre.stack .frame.trust-scan');
  await scanned.first().waitFor({ timeout: 10_000 });
  expect(await scanned.first().getAttribute('class')).toContain('uncertain');
  expect(await scanned.first().locator('.how').textContent()).toBe('  [stack scan?]');
  expect(await scanned.first().evaluate((e) => getComputedStyle(e).fontStyle)).toBe('italic');
  await page.close();
});
