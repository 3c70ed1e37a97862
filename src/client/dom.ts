// Tiny DOM builder. Every string goes in through textContent / setAttribute, never innerHTML:
// module names, comments and paths come from the dump and are untrusted. They go in with their
// control and format characters escaped (render/untrusted-text.ts), so a bidi override cannot
// reorder what the reader sees; letters of right-to-left scripts are kept and isolated by the
// stylesheet (unicode-bidi: isolate on the report's text cells).
import { visibleText } from '../render/untrusted-text.ts';

export type Child = Node | string | null | undefined | false;

/**
 * Characters of one string shown on the page. A string from a dump can be 64 Ki characters (a
 * symbol, a path, a comment), and laying out text costs by its length: thirty such rows were a
 * second of layout. The rest is in the downloaded JSON.
 */
export const MAX_SHOWN_CHARS = 4096;

/** `text` cut to `max` characters, saying how many were left out. */
export function shownText(text: string, max = MAX_SHOWN_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters, in the JSON)`;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, shownText(visibleText(v)));
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === 'string' ? document.createTextNode(shownText(visibleText(c))) : c);
  }
  return node;
}
