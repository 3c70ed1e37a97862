// How the engine orders text: by UTF-16 code units, never with localeCompare. The order must be
// the same on every machine and in every browser whatever its locale (the page and the CLI show
// one report), and the first localeCompare of a process costs ~9 ms to start ICU's collator.

/** Code-unit order. */
export function compareText(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Code-unit order ignoring ASCII case first ("Nested…" before "NULL…"), as people sort titles. */
export function compareTitles(x: string, y: string): number {
  return compareText(x.toLowerCase(), y.toLowerCase()) || compareText(x, y);
}
