// The fields of one .sym record. Breakpad separates fields by spaces and lets the last field of
// some records (a name, a path, a program) run to the end of the line, spaces included; numbers
// are bare hexadecimal (addresses, sizes) or decimal (ids, line numbers). Everything here walks
// the text once by hand: no regular expression sees a line from the file.

/** Breakpad's own tokenizer splits at spaces (and CR/LF, gone by now); a tab is part of a field. */
const SPACE = 0x20;

/**
 * Splits `text` at runs of spaces into at most `max` fields; the last one keeps the rest of the
 * line with its inner spaces (a function name such as "operator new(unsigned int)"). Leading
 * spaces are skipped; trailing spaces of the last field are kept, as Breakpad keeps them.
 */
export function splitFields(text: string, max: number): string[] {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n && fields.length < max) {
    while (i < n && text.charCodeAt(i) === SPACE) i++;
    if (i >= n) break;
    if (fields.length === max - 1) {
      fields.push(text.slice(i));
      break;
    }
    const start = i;
    while (i < n && text.charCodeAt(i) !== SPACE) i++;
    fields.push(text.slice(start, i));
  }
  return fields;
}

/** Addresses and sizes beyond 2^53 cannot be RVAs of a real module and would lose precision. */
const MAX_HEX_DIGITS = 14;

/** A bare hexadecimal number (either case, no "0x"), or null. Up to 14 digits (< 2^56, checked ≤ 2^53). */
export function parseHex(field: string): number | null {
  const n = field.length;
  if (n === 0 || n > MAX_HEX_DIGITS) return null;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const digit = hexDigit(field.charCodeAt(i));
    if (digit < 0) return null;
    value = value * 16 + digit;
  }
  return value <= Number.MAX_SAFE_INTEGER ? value : null;
}

/** A decimal integer in [min, max] (a leading '-' allowed when min < 0), or null. */
export function parseDecimal(field: string, min: number, max: number): number | null {
  const n = field.length;
  let i = 0;
  let negative = false;
  if (n > 0 && field.charCodeAt(0) === 0x2d) {
    negative = true;
    i = 1;
  }
  // Eleven digits already exceed every bound used here; stop before the number grows.
  if (i >= n || n - i > 11) return null;
  let value = 0;
  for (; i < n; i++) {
    const c = field.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return null;
    value = value * 10 + (c - 0x30);
  }
  if (negative) value = -value;
  return value >= min && value <= max ? value : null;
}

/** Value of one hexadecimal digit's character code, or -1. */
export function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** True when every character is a hexadecimal digit (and there is at least one). */
export function isHex(field: string): boolean {
  if (field.length === 0) return false;
  for (let i = 0; i < field.length; i++) if (hexDigit(field.charCodeAt(i)) < 0) return false;
  return true;
}

/** Line numbers and ids are C longs in Breakpad; anything past 2^31 is not a real one. */
export const MAX_DECIMAL = 0x7fff_ffff;
