// Colours the stack blocks with shiki, using the same WinDbg grammar as the pattern pages,
// lazily: only rows near the viewport, in idle slices, each row cut to MAX_COLOURED_CHARS.
// Fine-grained on purpose: shiki's tokenizer primitives (not its core, whose HTML renderer we
// do not use and which would add a quarter to this chunk), the JavaScript engine in its raw form
// (no WebAssembly, and no Oniguruma-to-JS translator, which alone would weigh more than the
// rest), our one grammar and one light + one dark theme. Tokens become <span>s through textContent,
// and their colours go in through the CSSOM (style.setProperty), which the page's
// Content-Security-Policy allows where a style="" attribute would need 'unsafe-inline'.
import { codeToTokensWithThemes, createShikiPrimitive, type ShikiPrimitive } from '@shikijs/primitive';
import type { LanguageRegistration } from 'shiki/core';
import { createJavaScriptRawEngine } from 'shiki/engine/javascript';
import githubDark from 'shiki/themes/github-dark.mjs';
import githubLight from 'shiki/themes/github-light.mjs';
import windbgGrammar from '../render/windbg.tmLanguage.json' with { type: 'json' };
import { whenIdle } from './report/slices.ts';

const PATTERN_KEYS = new Set(['match', 'begin', 'end', 'while']);

/**
 * The raw engine takes grammars whose patterns are already RegExp objects. Ours are written
 * in the common subset of Oniguruma and JavaScript syntax, so compiling them is direct; 'm'
 * because the tokenizer hands each line over with its "\n", which a JavaScript `$` would not
 * match before otherwise, and 'dg' for the match indices and lastIndex scanning it relies on.
 */
export function precompile(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(precompile);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = PATTERN_KEYS.has(k) && typeof v === 'string' ? new RegExp(v, 'dgm') : precompile(v);
  return out;
}

let highlighter: ShikiPrimitive | null = null;

function getHighlighter(): ShikiPrimitive {
  highlighter ??= createShikiPrimitive({
    themes: [githubLight, githubDark],
    langs: [precompile(windbgGrammar) as LanguageRegistration],
    engine: createJavaScriptRawEngine(),
  });
  return highlighter;
}

/**
 * Characters of one row that are coloured; the rest of a longer row stays plain. WinDbg rows
 * are under 200 characters; a 64 K-character symbol is hostile input, and the tokenizer tries
 * every pattern at every token, so its cost grows with the row's length times its tokens.
 */
export const MAX_COLOURED_CHARS = 256;
/** Rows tokenized in one call: one pass over several rows is cheaper than a call per row. */
const ROWS_PER_CALL = 8;
/** How far outside the viewport a row is coloured ahead of being scrolled to. */
const AHEAD = '1500px 0px';
/**
 * Groups coloured in idle time wherever they are, in the order they were drawn, once those near
 * the viewport are done: the report's first stacks are coloured before anyone scrolls to them
 * (or prints the page). Past this many waiting, a group is coloured only when looked at.
 */
const BACKGROUND_GROUPS = 64;

const pending = new Set<HTMLElement>();
/** Groups waiting for idle time without having come into view (at most BACKGROUND_GROUPS). */
const background: HTMLElement[] = [];
let observer: IntersectionObserver | null = null;
let scheduled = false;

function tokenize(code: string) {
  return codeToTokensWithThemes(getHighlighter(), code, {
    lang: 'windbg',
    themes: { light: 'github-light', dark: 'github-dark' },
    tokenizeMaxLineLength: MAX_COLOURED_CHARS,
  });
}

function colourRows(spans: HTMLElement[]): void {
  const texts = spans.map((s) => (s.textContent ?? '').slice(0, MAX_COLOURED_CHARS));
  const tokens = tokenize(texts.join('\n'));
  spans.forEach((span, i) => {
    const line = tokens[i];
    const text = span.textContent ?? '';
    span.setAttribute('data-coloured', '');
    if (!line) return;
    const parts: Node[] = line.map((t) => {
      const part = document.createElement('span');
      part.className = 'tok';
      part.textContent = t.content;
      // The page's stylesheet picks one of the two by the theme in use (site.css, pre.stack .tok).
      const light = t.variants['light']?.color;
      const dark = t.variants['dark']?.color;
      if (light) part.style.setProperty('--shiki-light', light);
      if (dark) part.style.setProperty('--shiki-dark', dark);
      return part;
    });
    // Tokens must spell the same text; if they do not, the plain text is the safer display.
    if (parts.map((p) => p.textContent).join('') !== texts[i]) return;
    if (text.length > texts[i]!.length) parts.push(document.createTextNode(text.slice(texts[i]!.length)));
    span.replaceChildren(...parts);
  });
}

function colourPending(deadline: number): void {
  scheduled = false;
  // Nothing near the viewport waits: colour the next group drawn anywhere.
  while (pending.size === 0 && background.length > 0) {
    const group = background.shift()!;
    if (!group.isConnected) continue;
    for (const span of group.querySelectorAll<HTMLElement>('.code:not([data-coloured])')) pending.add(span);
    if (group.matches('.code:not([data-coloured])')) pending.add(group);
  }
  while (pending.size > 0 && performance.now() < deadline) {
    const batch: HTMLElement[] = [];
    for (const span of pending) {
      pending.delete(span);
      if (span.isConnected && !span.hasAttribute('data-coloured')) batch.push(span);
      if (batch.length >= ROWS_PER_CALL) break;
    }
    if (batch.length > 0) colourRows(batch);
  }
  if (pending.size > 0 || background.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  whenIdle(colourPending);
}

/**
 * Makes the highlighter and tokenizes one row, when the page is idle: the first call pays for
 * the themes and for compiling the tokenizer's code (~100 ms), and that must not land in the
 * middle of drawing a report. The analyzer calls it once its page has loaded.
 */
export function prepareColours(): void {
  whenIdle(() => {
    tokenize('0012d98c 7da4a631 kernel32!RaiseException+0x53');
  }, 2000);
}

/**
 * Colours the `.code` spans inside `root` lazily: each group of rows once it comes near the
 * viewport, in idle slices of a few milliseconds, so a stack of 65 536 frames costs what the
 * rows the reader looks at cost. The observer watches groups (a stack's header and each chunk of
 * rows the stack view adds, `.stack-rows`), not rows: tens of thousands of targets would make
 * every frame's intersection pass cost what the whole stack does. Call it again on a group
 * added later.
 */
export function colourCode(root: HTMLElement): void {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        observer?.unobserve(e.target);
        for (const span of e.target.querySelectorAll<HTMLElement>('.code:not([data-coloured])')) pending.add(span);
        if (e.target.matches('.code:not([data-coloured])')) pending.add(e.target as HTMLElement);
      }
      if (pending.size > 0) schedule();
    },
    { rootMargin: AHEAD },
  );
  const groups = root.matches('.stack-rows') ? [root] : [...root.querySelectorAll<HTMLElement>('.stack-header, .stack-rows')];
  if (groups.length === 0) groups.push(root);
  for (const group of groups) {
    if (group.hasAttribute('data-watched')) continue;
    group.setAttribute('data-watched', '');
    observer.observe(group);
    if (background.length < BACKGROUND_GROUPS) background.push(group);
  }
  if (background.length > 0) schedule();
}
