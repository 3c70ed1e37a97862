// `--html FILE`: one self-contained page of a report or of a bucket summary, to attach to a bug.
// It carries the page's own renderer (src/client/report-page.ts, prebuilt by
// scripts/build-cli.ts), its styles and the data, and nothing else: a Content-Security-Policy
// forbids every fetch, and allows only this script and this style by their hashes. The data
// sits in a JSON script block the renderer reads as text; text from a dump reaches the page
// through textContent only.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DumpError } from '../engine/core/errors.ts';

export type PageData = { kind: 'report' | 'summary'; json: string };

/** Next to the prebuilt CLI, or in dist-cli/ when run from source. */
const ASSET_DIRS = [new URL('./', import.meta.url), new URL('../../dist-cli/', import.meta.url)];

async function pageAssets(): Promise<{ script: string; css: string }> {
  for (const dir of ASSET_DIRS) {
    const js = new URL('report-page.js', dir);
    const css = new URL('report-page.css', dir);
    if (existsSync(fileURLToPath(js)) && existsSync(fileURLToPath(css))) {
      return { script: await readFile(js, 'utf8'), css: await readFile(css, 'utf8') };
    }
  }
  throw new DumpError('io', 'the page renderer is not built (run npm run build:cli)');
}

/**
 * JSON that is safe inside a <script> element: "<" cannot open "</script>" or "<!--", and the
 * line separators U+2028/2029, legal in JSON, are escaped too (older parsers end lines there).
 */
export function jsonForScript(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A script or style inlined as element content: nothing in it may close the element early. */
function inlineSafe(text: string, tag: 'script' | 'style'): string {
  const closing = tag === 'script' ? /<\/(script)/gi : /<\/(style)/gi;
  return text.replace(closing, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** The page as one string. `title` is untrusted (a file name from the dump's side). */
export function buildHtmlPage(data: PageData, title: string, script: string, css: string): string {
  const js = inlineSafe(script, 'script');
  const style = inlineSafe(css, 'style');
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${sha256(js)}'`,
    `style-src 'sha256-${sha256(style)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    '<main id="dumpatlas-page" class="analyzer report-page"><noscript>This page draws its report with JavaScript.</noscript></main>',
    `<script type="application/json" id="dumpatlas-data" data-kind="${data.kind}">${jsonForScript(data.json)}</script>`,
    `<script>${js}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Writes the page; `subject` (the dump's file name) goes into the title. */
export async function writeHtmlPage(file: string, data: PageData, subject?: string): Promise<void> {
  const { script, css } = await pageAssets();
  const title = `Dump Atlas — ${subject ?? 'failure buckets'}`;
  try {
    await writeFile(file, buildHtmlPage(data, title, script, css));
  } catch (err) {
    throw new DumpError('io', `cannot write: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
  }
}
