// Text from a dump on its way to a reader: a terminal (the CLI's text report and --json), the
// page (every string the report's DOM is built from) or the clipboard. Control characters
// move a terminal's cursor or change its state, and the Unicode format characters include the
// bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C)
// that reorder what is shown, so "evil\u202Eexe.txt" reads "eviltxt.exe". Isolating such a
// string (<bdi>, unicode-bidi: isolate) only keeps it from reordering its neighbours; inside,
// the override still works. So these characters are never passed on: each is shown as its
// escape ("\u202E"), which a reader sees and can search for. Letters of right-to-left scripts
// are not touched.
//
// What is escaped: every C0 and C1 control and DEL (\p{Cc}), every format character (\p{Cf}:
// the bidi controls, zero-width characters, the BOM, soft hyphen, tag characters), the line and
// paragraph separators (U+2028, U+2029) and lone surrogates (which a terminal shows as
// replacement characters and JSON cannot carry as UTF-8).

const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** Characters JSON.stringify leaves as they are but a terminal must not see raw. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;

const SHORT: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** "\u202e"-style escape of each UTF-16 unit of `c` (an astral format character is a pair). */
function escapeUnits(c: string): string {
  let out = '';
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/** `text` with every control, format and separator character shown as its escape, on one line. */
export function visibleText(text: string): string {
  return text.replace(UNSAFE, (c) => SHORT[c] ?? escapeUnits(c));
}

/**
 * JSON for a terminal: the same value as JSON.stringify gives (a parser reads back the same
 * strings), with the characters JSON leaves raw written as \u escapes.
 */
export function visibleJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_IN_JSON, escapeUnits);
}
