// The page `dumpatlas analyze … --html FILE` writes, opened from disk as a bug's attachment is:
// it draws the report (the failure bucket in the glance) and the bucket summary with its own
// inlined renderer, shows a dump's markup as text, and asks the network for nothing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { bucketDump, RUN_A, RUN_B, RUN_OTHER } from '../synth/bucket-dumps.ts';
import { MinidumpBuilder } from '../synth/minidump-builder.ts';
import { useBrowser } from './browser.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOSTILE = '<img src=x onerror=alert(1)></script><script>alert(2)</script>\u2028';
const browser = useBrowser();
let dir: string;

function cli(args: string[]): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/dumpatlas.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`dumpatlas ${args.join(' ')}: ${r.stderr}`);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dumpatlas-html-'));
  const b = new MinidumpBuilder();
  b.systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045 });
  b.commentW(HOSTILE);
  writeFileSync(join(dir, 'hostile.dmp'), b.build().bytes);
  mkdirSync(join(dir, 'crashes'));
  writeFileSync(join(dir, 'crashes', 'a.dmp'), bucketDump(RUN_A));
  writeFileSync(join(dir, 'crashes', 'b.dmp'), bucketDump(RUN_B));
  writeFileSync(join(dir, 'crashes', '<img src=x onerror=alert(3)>.dmp'), bucketDump(RUN_OTHER));
  cli(['analyze', join(dir, 'crashes', 'a.dmp'), '--html', join(dir, 'report.html')]);
  cli(['analyze', join(dir, 'hostile.dmp'), '--html', join(dir, 'hostile.html')]);
  cli(['analyze', join(dir, 'crashes'), '--summary', '--html', join(dir, 'summary.html')]);
});

async function open(file: string): Promise<{ page: Page; requests: string[]; dialogs: string[]; errors: string[] }> {
  const page = await browser().newPage();
  const requests: string[] = [];
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(join(dir, file)).href);
  await page.locator('#dumpatlas-page .report').waitFor();
  return { page, requests, dialogs, errors };
}

it('draws a report with its failure bucket in the glance, offline', async () => {
  const { page, requests, errors } = await open('report.html');
  const glance = page.locator('dl.glance').first();
  await expect(glance.locator('dt', { hasText: 'Failure bucket' }).count()).resolves.toBe(1);
  expect(await glance.textContent()).toContain('c0000005 @ crashlib!parse_record (null-pointer-data)');
  expect(await page.locator('.finding[data-pattern="null-pointer-data"]').count()).toBe(1);
  expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
  expect(requests).toHaveLength(1);
  expect(errors).toEqual([]);
  await page.close();
});

it('shows a dump’s markup as text and runs none of it', async () => {
  const { page, dialogs, errors } = await open('hostile.html');
  const text = (await page.locator('.report').textContent()) ?? '';
  expect(text).toContain('<img src=x onerror=alert(1)></script><script>alert(2)</script>');
  expect(await page.locator('.report :is(img, script)').count()).toBe(0);
  await page.waitForTimeout(300);
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});

it('draws the bucket summary', async () => {
  const { page, requests, errors } = await open('summary.html');
  const rows = await page.locator('table.buckets tbody tr').allTextContents();
  expect(rows).toHaveLength(2);
  expect(rows[0]).toContain('c0000005 @ crashlib!parse_record (null-pointer-data)');
  expect(rows[0]).toMatch(/^2/);
  expect(rows[1]).toContain('<img src=x onerror=alert(3)>.dmp');
  expect(await page.locator('table.buckets b').count()).toBe(0);
  expect(requests).toHaveLength(1);
  expect(errors).toEqual([]);
  await page.close();
});

it('a fetch from the page is refused by its Content-Security-Policy', async () => {
  const { page } = await open('report.html');
  const violated = await page.evaluate(async () => {
    const seen = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective)));
    await fetch('http://127.0.0.1:9/steal').catch(() => null);
    return Promise.race([seen, new Promise<string>((resolve) => setTimeout(() => resolve('none'), 2000))]);
  });
  expect(violated).toBe('connect-src');
  await page.close();
});
