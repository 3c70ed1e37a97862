// Symbols on the page (issue 10): a reader drops a crash dump with its program image and PDB
// and sees their functions and source lines, inline frames as WinDbg shows them, each line
// copyable as file:line, the JSON the CLI prints. The PDB reader is fetched only then — as code
// from this site, nothing else — and Breakpad .sym files work the same way.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { openAnalyzer, useBrowser } from './browser.ts';

const browser = useBrowser();

/** The dump rows of a refs.tsv: the frames llvm-symbolizer-16 gives each address (innermost first). */
function refFrames(name: string, rva: number): { name: string; file: string; line: number }[] {
  const row = readFileSync(`fixtures/symbols/${name}.refs.tsv`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`0x${rva.toString(16)}\t`))!;
  return row
    .split('\t')
    .slice(4)
    .map((f) => {
      const [fn, file, line] = f.split('|');
      return { name: fn!, file: file!, line: Number(line) };
    });
}

async function report(page: Page): Promise<void> {
  await page.locator('.report h2#r-top, .error-panel').first().waitFor({ timeout: 30_000 });
  expect(await page.locator('.error-panel').count()).toBe(0);
}

it('names the frames of a dump dropped with its image and PDB, with their lines, as llvm-symbolizer does', async () => {
  const page = await openAnalyzer(browser());
  await page.waitForLoadState('networkidle');
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url().startsWith('blob:') ? 'blob:' : new URL(r.url()).pathname));
  await page.setInputFiles('input[type="file"]', ['fixtures/symbols/inline-crash.dmp', 'fixtures/symbols/inline-crash.exe', 'fixtures/symbols/inline-crash.pdb']);
  await report(page);
  expect(await page.locator('[data-status]').textContent()).toContain('With 1 symbol file.');

  const rows = await page.locator('.faulting-stack pre.stack .frame').allTextContents();
  // Frame 0: the NULL store, three levels deep; frame 1 (main) at the line of its call.
  const [top, , , main] = rows;
  const at0 = refFrames('inline-crash', 0x153e);
  expect(at0.map((f) => f.name)).toEqual(['store_total', 'apply_discount', 'process_orders']);
  for (const [i, f] of at0.entries()) expect(rows[i]).toContain(`inline_crash!${f.name}`);
  for (const [i, f] of at0.entries()) expect(rows[i]).toContain(`[${f.file} @ ${f.line}]`);
  expect(top).toContain('(Inline Function) --------`--------');
  const call = refFrames('inline-crash', 0x158d - 1)[0]!;
  expect(main).toContain(`inline_crash!${call.name}+0x2d [${call.file} @ ${call.line}]`);
  // Evidence names the line.
  expect(top).toContain('the NULL store at inline-crash.c:17');

  // The source line is a button that copies file:line.
  const source = page.locator('.faulting-stack pre.stack .frame').first().locator('button.source');
  expect(await source.getAttribute('data-source')).toBe('C:\\src\\inline-crash.c:17');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await source.click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('C:\\src\\inline-crash.c:17');

  // The module table says which file named the module.
  expect(await page.locator('table.modules').first().textContent()).toContain('(symbols: inline-crash.pdb)');

  // Only the site's own code was fetched for it (the PDB reader's chunk), never data.
  expect(requests.filter((r) => r !== 'blob:' && !/^\/_astro\/[\w.-]+\.js$/.test(r))).toEqual([]);
  expect(requests.some((r) => /open-pdb/.test(r))).toBe(true);

  // The JSON the page downloads is the CLI's, with the source and inline fields.
  const download = page.waitForEvent('download');
  await page.locator('button[data-action="download-json"]').click();
  const json = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { threads: { faulting: boolean; frames: { symbol: string; inline?: boolean; source?: { file: string; line: number } }[] }[] };
  const frames = json.threads.find((t) => t.faulting)!.frames;
  expect(frames.slice(0, 3).map((f) => [f.symbol, f.inline ?? false, f.source?.line])).toEqual([
    ['store_total', true, 17],
    ['apply_discount', true, 22],
    ['process_orders', false, 29],
  ]);
  await page.close();
});

it('refuses a PDB of another build with a warning naming both identities', async () => {
  const page = await openAnalyzer(browser());
  const pdb = new Uint8Array(readFileSync('fixtures/symbols/inline-crash.pdb'));
  const view = new DataView(pdb.buffer);
  for (let at = 0; at + 28 <= pdb.length; at += 4) {
    if (view.getUint32(at, true) === 20000404) {
      pdb[at + 12]! ^= 0xff; // the PDB info stream's GUID: another build
      break;
    }
  }
  await page.setInputFiles('input[type="file"]', [
    { name: 'inline-crash.dmp', mimeType: 'application/octet-stream', buffer: readFileSync('fixtures/symbols/inline-crash.dmp') },
    { name: 'inline-crash.exe', mimeType: 'application/octet-stream', buffer: readFileSync('fixtures/symbols/inline-crash.exe') },
    { name: 'inline-crash.pdb', mimeType: 'application/octet-stream', buffer: Buffer.from(pdb) },
  ]);
  await report(page);
  const notes = await page.locator('.notes').textContent();
  expect(notes).toMatch(/inline-crash\.pdb \(inline-crash\.pdb, id 8966F225B0D96BC04C4C44205044422E1\) does not match: inline-crash\.exe wants inline-crash\.pdb id 8966F2DAB0D96BC04C4C44205044422E1/);
  // Said at the top too, before the stack it leaves unnamed: the notes are below every thread and module.
  const notice = page.locator('.report > .symbol-notice');
  expect(await notice.textContent()).toContain('inline-crash.pdb (inline-crash.pdb, id 8966F225B0D96BC04C4C44205044422E1) does not match');
  expect(await notice.evaluate((n) => n.compareDocumentPosition(document.querySelector('.faulting-stack')!) & Node.DOCUMENT_POSITION_FOLLOWING)).toBeTruthy();
  expect(await page.locator('.faulting-stack pre.stack .frame').first().textContent()).toContain('inline_crash+0x153e');

  // Forced, it names (the reader asked for it, and the warning stays). Ticking the box, as the
  // warning suggests, runs the same files again: no second drop needed.
  await page.locator('input[data-force-symbols]').check();
  await page.locator('.faulting-stack pre.stack .frame', { hasText: 'inline_crash!store_total' }).first().waitFor({ timeout: 30_000 });
  await report(page);
  expect(await page.locator('.notes').textContent()).toContain('used anyway because symbols were forced');
  expect(await page.locator('[data-status]').textContent()).toContain('Symbols forced');
  // And unticked, the mismatch is refused again.
  await page.locator('input[data-force-symbols]').uncheck();
  await page.locator('.faulting-stack pre.stack .frame', { hasText: 'inline_crash+0x153e' }).first().waitFor({ timeout: 30_000 });
  expect(await page.locator('.notes').textContent()).toContain('does not match');
  await page.close();
});

it('says nothing about symbol files at the top when they were all used', async () => {
  const page = await openAnalyzer(browser());
  await page.setInputFiles('input[type="file"]', ['fixtures/symbols/multi-file.dmp', 'fixtures/symbols/multi-file.exe', 'fixtures/symbols/multi-file.pdb']);
  await report(page);
  expect(await page.locator('.faulting-stack pre.stack .frame').first().textContent()).toContain('multi_file!scaled_price');
  expect(await page.locator('.symbol-notice').count()).toBe(0);
  await page.close();
});

it("walks minidump2 with Breakpad's .sym files as Breakpad does", async () => {
  const page = await openAnalyzer(browser());
  await page.setInputFiles('input[type="file"]', [
    'fixtures/corpus/breakpad/minidump2.dmp',
    'fixtures/symbols/breakpad/test_app.pdb/5A9832E5287241C1838ED98914E9B7FF1/test_app.sym',
    'fixtures/symbols/breakpad/kernel32.pdb/BCE8785C57B44245A669896B6A19B9542/kernel32.sym',
  ]);
  await report(page);
  const rows = await page.locator('.faulting-stack pre.stack .frame').allTextContents();
  expect(rows).toHaveLength(4);
  expect(rows[0]).toContain("test_app!`anonymous namespace'::CrashFunction+0xe [c:\\test_app.cc @ 58]");
  expect(rows[1]).toContain('test_app!main+0x50 [c:\\test_app.cc @ 65]');
  expect(rows[1]).toContain('[frame data]');
  expect(rows[3]).toContain('kernel32!BaseProcessStart+0x23');
  await page.close();
});

it('says what to add when only symbol files are dropped', async () => {
  const page = await openAnalyzer(browser());
  await page.setInputFiles('input[type="file"]', 'fixtures/symbols/inline-crash.pdb');
  await page.locator('.error-panel').waitFor({ timeout: 10_000 });
  expect(await page.locator('.error-panel').textContent()).toContain('these are symbol files (.pdb/.sym); add the dump (.dmp) they belong to');
  await page.close();
});

it('says a file named .sym that is no symbol file was not used, as the CLI does, instead of taking it for a second input', async () => {
  const page = await openAnalyzer(browser());
  // fixtures/dumps' .exe.sym files are address maps (the build's `nm` output), not Breakpad files.
  await page.setInputFiles('input[type="file"]', ['fixtures/dumps/abort.dmp', 'fixtures/dumps/abort.exe.sym']);
  await report(page);
  expect(await page.locator('[data-status]').textContent()).not.toContain('Not analysed');
  expect(await page.locator('.notes').textContent()).toContain('abort.exe.sym is neither a PDB nor a Breakpad symbol file; not used');
  await page.close();
});
