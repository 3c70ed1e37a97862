// Colours the stack blocks with shiki, using the same WinDbg grammar as the pattern pages.
// Fine-grained on purpose: shiki's core, the JavaScript engine in its raw form (no
// WebAssembly, and no Oniguruma-to-JS translator, which alone would weigh more than the rest),
// our one grammar and one light + one dark theme. Tokens become <span>s through textContent,
// and their colours go in through the CSSOM (style.setProperty), which the page's
// Content-Security-Policy allows where a style="" attribute would need 'unsafe-inline'.
import { createHighlighterCoreSync, type HighlighterCore, type LanguageRegistration } from 'shiki/core';
import { createJavaScriptRawEngine } from 'shiki/engine/javascript';
import githubDark from 'shiki/themes/github-dark.mjs';
import githubLight from 'shiki/themes/github-light.mjs';
import windbgGrammar from '../render/windbg.tmLanguage.json' with { type: 'json' };

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

let highlighter: HighlighterCore | null = null;

function getHighlighter(): HighlighterCore {
  highlighter ??= createHighlighterCoreSync({
    themes: [githubLight, githubDark],
    langs: [precompile(windbgGrammar) as LanguageRegistration],
    engine: createJavaScriptRawEngine(),
  });
  return highlighter;
}

/** Replaces the text of every `.code` span inside `root` with coloured token spans. */
export function colourCode(root: HTMLElement): void {
  const spans = [...root.querySelectorAll<HTMLElement>('.code:not([data-coloured])')];
  if (spans.length === 0) return;
  // One tokenizer pass for the whole block: far cheaper than one call per row.
  const { tokens } = getHighlighter().codeToTokens(spans.map((s) => s.textContent ?? '').join('\n'), {
    lang: 'windbg',
    themes: { light: 'github-light', dark: 'github-dark' },
    defaultColor: false,
  });
  spans.forEach((span, i) => {
    const line = tokens[i];
    if (!line) return;
    const parts = line.map((t) => {
      const part = document.createElement('span');
      part.className = 'tok';
      part.textContent = t.content;
      for (const [k, v] of Object.entries(t.htmlStyle ?? {})) part.style.setProperty(k, v);
      return part;
    });
    // Tokens must spell the same text; if they do not, the plain text is the safer display.
    if (parts.map((p) => p.textContent).join('') !== span.textContent) return;
    span.replaceChildren(...parts);
    span.setAttribute('data-coloured', '');
  });
}
