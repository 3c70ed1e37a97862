// Strings from a dump are data: a module, symbol or comment that holds markup is shown as
// those very characters and never becomes an element or runs.
import { expect, it } from 'vitest';
import { analyzePasted, openAnalyzer, useBrowser } from './browser.ts';

const LOG = [
  'Microsoft (R) Windows Debugger Version 10.0.22621.1 AMD64',
  'Loading Dump File [C:\\dumps\\evil.dmp]',
  'User Mini Dump File: Only registers, stack and portions of memory are available',
  '',
  "Comment: '<img src=x onerror=alert(1)>'",
  'Windows 10 Version 19045 MP (8 procs) Free x64',
  '(1a2c.1b30): Access violation - code c0000005 (first chance)',
  '0:000> k',
  ' # Child-SP          RetAddr               Call Site',
  '00 000000c5`4f2ff6a0 00007ff6`1e2a10b9     App!Boom+0x17',
  '01 000000c5`4f2ff6e0 00007ff6`1e2a10b9     <b>!<img/src/onerror=alert(2)>+0x17',
  '02 000000c5`4f2ff720 00007ffb`2a0c7034     <i>+0x10b9',
  '0:000> lm',
  'start             end                 module name',
  '00007ff6`1e2a0000 00007ff6`1e2b5000   <svg/onload=alert(1)>   (deferred)',
  '00007ff6`1f2a0000 00007ff6`1f2b5000   evil   (deferred)             C:\\app\\<img src=x onerror=alert(1)>.exe',
  '',
].join('\n');

const browser = useBrowser();

it('shows markup from the input literally and creates no element from it', async () => {
  const page = await openAnalyzer(browser());
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await analyzePasted(page, LOG);
  await page.locator('details.thread summary').first().click();

  const report = page.locator('.report');
  const text = (await report.textContent()) ?? '';
  expect(text).toContain('<img src=x onerror=alert(1)>'); // the comment
  expect(text).toContain('<svg/onload=alert(1)>'); // a module name from lm
  expect(text).toContain('<img src=x onerror=alert(1)>.exe'); // a module file name from lm
  const rows = await page.locator('.faulting-stack pre.stack .frame').allTextContents();
  // The call site as the log printed it: the parentheses are part of the (hostile) symbol, not an argument list.
  expect(rows[1]).toContain('<b>!<img/src/onerror=alert(2)>+0x17');
  expect(rows[2]).toContain('<i>+0x10b9');

  expect(await report.locator('img, svg, script, b, i, iframe, object, embed').count()).toBe(0);
  expect(await page.locator('[data-analyzer] :is(img, svg, script:not([data-catalog]))').count()).toBe(0);
  await page.waitForTimeout(300); // an onerror/onload would have fired by now
  expect(dialogs).toEqual([]);

  // The text report for "Copy as text" keeps them as plain characters too.
  await page.locator('button[data-action="copy-text"]').click();
  await page.locator('[data-status]').filter({ hasText: /copied|refused/ }).waitFor();
  await page.close();
});
