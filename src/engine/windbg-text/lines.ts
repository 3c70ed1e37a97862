// Pasted debugger output arrives in every state: CRLF from Windows, `> ` quoting from e-mail
// replies, non-breaking spaces from blog pages, binary noise from a dump opened as text.
// This module turns it into plain lines the parsers can trust, within fixed bounds so that
// no input can make the reader hang or hold an unbounded amount of memory.
import type { Warning } from '../core/dump-model.ts';

export interface LineLimits {
  /** Lines after this many are dropped (a warning says so). */
  maxLines: number;
  /** Longer lines are cut before any parser sees them; WinDbg never prints a meaningful line this long. */
  maxLineLength: number;
}

/**
 * A million lines is `~*kv` of 2000 threads with 500 frames each; reading one costs a few
 * microseconds, so the cap keeps the worst text to seconds. Lines are cut at 8 Ki characters:
 * dbghelp names a symbol in at most 2000 (MAX_SYM_NAME), so no frame, `lm` row or analysis
 * value WinDbg prints is longer, and every parser's work per line stays small and bounded
 * (each pattern is linear in the line, and the line is short).
 */
export const DEFAULT_LIMITS: LineLimits = { maxLines: 1_000_000, maxLineLength: 8 * 1024 };

export interface SplitText {
  lines: string[];
  warnings: Warning[];
}

export interface SplitOptions {
  /** The text was pasted through Markdown escaping (see looksMarkdownEscaped): undo it on every line. */
  markdownEscaped?: boolean;
}

// C0 controls except tab, DEL, zero-width characters and the BOM carry no debugger output.
const NOISE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200d\u2060\ufeff]/g;
// E-mail reply markers ("> ", ">> ", "> > ") and the same after a forum's indentation.
const QUOTE = /^[ \t]*(?:>[ \t]?)+/;

// Web pages and issue trackers store some characters as entities: "0&#8203;:004>" is a prompt
// with a zero-width space in it.
const ENTITY = /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|(amp|lt|gt|quot|apos|nbsp));/gi;
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
// CommonMark's escapable punctuation: a Markdown writer puts a backslash before each.
const MD_ESCAPE = /\\([!-/:-@[-`{-~])/g;

/**
 * True when the text went through Markdown escaping (a ticket migrated between trackers, an
 * editor that escapes on save): `\!analyze`, `ntdll\!Rtl…`, `00000000\`053ff398`. Then every
 * backslash in it is an escape, a path's own ones included (they became `\\`). Linear: two
 * searches for fixed shapes, no backtracking.
 */
export function looksMarkdownEscaped(text: string): boolean {
  return /\\![A-Za-z]|[0-9a-fA-F]\\`[0-9a-fA-F]/.test(text);
}

function decodeEntity(whole: string, dec: string | undefined, hexCode: string | undefined, name: string | undefined): string {
  if (name) return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  const cp = dec !== undefined ? Number(dec) : parseInt(hexCode!, 16);
  return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '';
}

/**
 * Inline-code and fence backticks around a pasted line ("`ExceptionAddress: …`", "```c"); WinDbg's
 * own backticks sit between hex digits, never at a line's ends. A loop, not a regex: "`+$" is
 * tried at every backtick of a long run and costs its square.
 */
function trimBackticks(line: string): string {
  let start = 0;
  while (start < line.length && (line[start] === ' ' || line[start] === '\t')) start++;
  if (line[start] !== '`') start = 0;
  else while (line[start] === '`') start++;
  let end = line.length;
  while (end > start && line[end - 1] === '`') end--;
  return start === 0 && end === line.length ? line : line.slice(start, end);
}

const MAX_BLANKS = 16;
const LONG_BLANKS = /[ \t]{17,}/g;
const BLANKS = ' '.repeat(MAX_BLANKS);

/** Cleans one raw line: entities, Markdown escapes, quoting, odd spaces, control characters and trailing blanks. */
export function normaliseLine(raw: string, options: SplitOptions = {}): string {
  let line = raw.includes('&') ? raw.replace(ENTITY, decodeEntity) : raw;
  line = line.replace(NOISE, '');
  if (options.markdownEscaped && line.includes('\\')) line = line.replace(MD_ESCAPE, '$1');
  // A bare prompt "0:000>" can never start a line with '>', so stripping quotes is safe.
  if (QUOTE.test(line)) line = line.replace(QUOTE, '');
  if (line.includes('`')) line = trimBackticks(line);
  // Blogs and word processors turn spaces into NBSP, figure, narrow, em and ideographic spaces;
  // a line or paragraph separator (U+2028/9, NEL) inside a line is no debugger output either.
  // All become plain spaces, so the blank-run cut below bounds them too, and no character that a
  // pattern's "." cannot match is left inside a line for it to backtrack against.
  line = line.replace(/[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g, ' ');
  // WinDbg pads columns with at most a few dozen blanks. A longer run is cut to MAX_BLANKS:
  // every parser reads blanks as "\s+", and a pattern searched across a run of k blanks can
  // cost k² steps, so a line of 64 Ki spaces would otherwise take seconds per regex.
  if (line.length > MAX_BLANKS) line = line.replace(LONG_BLANKS, BLANKS);
  return line.trimEnd();
}

export function splitLines(text: string, limits: LineLimits = DEFAULT_LIMITS, options: SplitOptions = {}): SplitText {
  const lines: string[] = [];
  const warnings: Warning[] = [];
  let cut = 0;
  let pos = 0;
  let dropped = false;
  while (pos <= text.length) {
    if (lines.length >= limits.maxLines) {
      dropped = true;
      break;
    }
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let raw = text.slice(pos, Math.min(end, pos + limits.maxLineLength));
    if (end - pos > limits.maxLineLength) cut++;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    // Old Mac line ends: a lone CR inside the line is a break too (and counts against the cap:
    // a "line" of 64 Ki carriage returns is 64 Ki lines).
    for (const part of raw.split('\r')) {
      if (lines.length >= limits.maxLines) {
        dropped = true;
        break;
      }
      lines.push(normaliseLine(part, options));
    }
    pos = end + 1;
  }
  if (dropped) {
    warnings.push({
      kind: 'text-truncated',
      message: `only the first ${limits.maxLines} lines were read; the rest of the text was ignored`,
    });
  }
  if (cut > 0) {
    warnings.push({
      kind: 'line-too-long',
      message: `${cut} line(s) longer than ${limits.maxLineLength} characters were cut`,
    });
  }
  return { lines, warnings };
}

/** Bytes the text takes as UTF-8 (the model's input size), without encoding a copy of it. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
