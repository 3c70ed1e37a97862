// What kind of record a line is and its sort key, read straight from the bytes. This is the
// cheap look every probe, scan and index pass takes at a line: it decodes nothing and allocates
// nothing, so a pass over hundreds of megabytes only pays for the lines it keeps. The full
// parsers (module-record.ts, name-records.ts, function-records.ts, stack-records.ts) then read
// the few lines a lookup actually uses.
import { hexDigit } from './fields.ts';

export type RecordKind =
  | 'module'
  | 'info'
  | 'file'
  | 'inline-origin'
  | 'func'
  | 'line'
  | 'inline'
  | 'public'
  | 'stack-win'
  | 'stack-cfi-init'
  | 'stack-cfi'
  /** Empty, garbage, cut short, or a record type this reader does not know. */
  | 'unknown';

export interface RecordHead {
  kind: RecordKind;
  /**
   * The sort key: the address of FUNC, PUBLIC, line, STACK WIN, STACK CFI (INIT or delta); the
   * id of FILE and INLINE_ORIGIN; 0 for the rest. A keyed record whose key does not parse is
   * reported as 'unknown'.
   */
  key: number;
  /** FUNC size, STACK WIN code size, STACK CFI INIT size; else 0. */
  size: number;
  /** STACK WIN frame type (0 FPO, 4 FRAMEDATA…); else 0. */
  winType: number;
}

const UNKNOWN: RecordHead = { kind: 'unknown', key: 0, size: 0, winType: 0 };

/** Reads the head of the line `bytes[start, end)` (no line terminator inside). */
export function readRecordHead(bytes: Uint8Array, start: number, end: number): RecordHead {
  const tokens = new FieldCursor(bytes, start, end);
  const first = tokens.next();
  if (first === null) return UNKNOWN;
  const [a, b] = first;
  switch (word(bytes, a, b)) {
    case 'MODULE':
      return head('module', 0);
    case 'INFO':
      return head('info', 0);
    case 'FILE':
      return keyed('file', decimalField(bytes, tokens.next()), 0);
    case 'INLINE_ORIGIN':
      return keyed('inline-origin', decimalField(bytes, tokens.next()), 0);
    case 'INLINE':
      return head('inline', 0);
    case 'FUNC': {
      let field = tokens.next();
      if (field !== null && field[1] - field[0] === 1 && bytes[field[0]] === 0x6d /* m */) field = tokens.next();
      const address = hexField(bytes, field);
      const size = hexField(bytes, tokens.next());
      return address === null || size === null ? UNKNOWN : { kind: 'func', key: address, size, winType: 0 };
    }
    case 'PUBLIC': {
      let field = tokens.next();
      if (field !== null && field[1] - field[0] === 1 && bytes[field[0]] === 0x6d) field = tokens.next();
      return keyed('public', hexField(bytes, field), 0);
    }
    case 'STACK': {
      const platform = tokens.next();
      if (platform === null) return UNKNOWN;
      const p = word(bytes, platform[0], platform[1]);
      if (p === 'WIN') {
        const type = hexField(bytes, tokens.next());
        const rva = hexField(bytes, tokens.next());
        const size = hexField(bytes, tokens.next());
        if (type === null || rva === null || size === null) return UNKNOWN;
        return { kind: 'stack-win', key: rva, size, winType: type };
      }
      if (p === 'CFI') {
        const next = tokens.next();
        if (next === null) return UNKNOWN;
        if (word(bytes, next[0], next[1]) === 'INIT') {
          const address = hexField(bytes, tokens.next());
          const size = hexField(bytes, tokens.next());
          return address === null || size === null ? UNKNOWN : { kind: 'stack-cfi-init', key: address, size, winType: 0 };
        }
        return keyed('stack-cfi', hexField(bytes, next), 0);
      }
      return UNKNOWN;
    }
    default:
      // Line records are the only ones without a keyword: their first field is the address.
      return keyed('line', hexField(bytes, first), 0);
  }
}

function head(kind: RecordKind, key: number): RecordHead {
  return { kind, key, size: 0, winType: 0 };
}

function keyed(kind: RecordKind, key: number | null, size: number): RecordHead {
  return key === null ? UNKNOWN : { kind, key, size, winType: 0 };
}

// Keywords are at most 13 characters (INLINE_ORIGIN); a longer first field is not one, and a
// line record's address never spells a keyword (keywords hold letters past 'F').
function word(bytes: Uint8Array, a: number, b: number): string {
  if (b - a > 13) return '';
  let s = '';
  for (let i = a; i < b; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function hexField(bytes: Uint8Array, field: [number, number] | null): number | null {
  if (field === null) return null;
  const [a, b] = field;
  if (b - a === 0 || b - a > 14) return null;
  let value = 0;
  for (let i = a; i < b; i++) {
    const d = hexDigit(bytes[i]!);
    if (d < 0) return null;
    value = value * 16 + d;
  }
  return value <= Number.MAX_SAFE_INTEGER ? value : null;
}

function decimalField(bytes: Uint8Array, field: [number, number] | null): number | null {
  if (field === null) return null;
  const [a, b] = field;
  if (b - a === 0 || b - a > 10) return null;
  let value = 0;
  for (let i = a; i < b; i++) {
    const c = bytes[i]!;
    if (c < 0x30 || c > 0x39) return null;
    value = value * 10 + (c - 0x30);
  }
  return value <= 0x7fff_ffff ? value : null;
}

/** Space-separated fields of a byte range, one at a time. */
class FieldCursor {
  readonly #bytes: Uint8Array;
  #at: number;
  readonly #end: number;
  constructor(bytes: Uint8Array, start: number, end: number) {
    this.#bytes = bytes;
    this.#at = start;
    this.#end = end;
  }
  next(): [number, number] | null {
    const bytes = this.#bytes;
    let i = this.#at;
    while (i < this.#end && bytes[i] === 0x20) i++;
    if (i >= this.#end) return null;
    const start = i;
    while (i < this.#end && bytes[i] !== 0x20) i++;
    this.#at = i;
    return [start, i];
  }
}

/** Kinds that carry an address key and are looked up by it. */
export function isAddressKind(kind: RecordKind): boolean {
  return kind === 'func' || kind === 'public' || kind === 'stack-win' || kind === 'stack-cfi-init';
}
