// What a 32-bit exception / status code means. One number can live in several namespaces
// (0x6d9 is a Win32 error, 0x80070005 an HRESULT wrapping one, 0xc0000005 an NTSTATUS), so the
// lookup tries them in the order a crash analyst would: runtime conventions first (C++ EH,
// CLR), then NTSTATUS, Win32 for small values, HRESULTs last. The tables are generated (see
// scripts/gen-exception-codes.ts) and looked up where they lie, on first use. They are a
// module of their own, imported dynamically by loadCodeNames(): the engine's entry points
// (readDump, analyze, analyzeText) await it, and the page's worker starts it when the worker
// starts, so the tables are a chunk of their own outside the analyzer's first load, yet on
// hand before any input is read (no request is made once an analysis has begun).

/** The generated tables' module: ~27 KB gzipped, so the page's engine fetches it apart. */
type CodeData = typeof import('./exception-codes.data.ts');

/**
 * Where a code comes from. `cpp` covers the Visual C++ runtime's own codes (C++ EH 0xe06d7363,
 * the SetThreadName notification, delay-load failures); `clr` the .NET runtime's.
 */
export type CodeKind = 'ntstatus' | 'win32' | 'hresult' | 'cpp' | 'clr' | 'unknown';

export interface CodeDescription {
  name: string | null;
  description: string | null;
  kind: CodeKind;
}

interface Tables {
  ntNames: Table;
  ntDesc: Table;
  winNames: Table;
  winDesc: Table;
  hrNames: Table;
  hrDesc: Table;
  special: Map<number, CodeDescription>;
}

/** "delta text" lines: each code is the one before plus the delta in base 36 (empty: plus one). */
function parseLines(text: string): Map<number, string> {
  const out = new Map<number, string>();
  let code = 0;
  for (const line of text.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    code += sp === 0 ? 1 : parseInt(line.slice(0, sp), 36);
    out.set(code >>> 0, line.slice(sp + 1));
  }
  return out;
}

/** Lookups a table answers by searching its text before it builds a Map (see Table). */
const SEARCHES_BEFORE_MAP = 32;

/**
 * One generated table (delta lines, see parseLines). An analysis looks up a handful of codes,
 * and splitting some ten thousand lines into maps cost more than all its lookups, so the first
 * few are found by walking the text where it lies — the codes ascend, so a walk stops at the
 * first code past the one asked for; an input that asks about many codes (a log of thousands of
 * exceptions) gets the Map after SEARCHES_BEFORE_MAP of them, so its cost stays linear. Where a
 * code has several lines (a delta of 0) the last one counts, as in the Map.
 */
class Table {
  readonly #text: string;
  #searches = 0;
  #map: Map<number, string> | null = null;

  constructor(text: string) {
    this.#text = text;
  }

  get(code: number): string | undefined {
    if (this.#map) return this.#map.get(code);
    if (++this.#searches > SEARCHES_BEFORE_MAP) {
      const map = parseLines(this.#text);
      this.#map = map;
      return map.get(code);
    }
    const text = this.#text;
    const target = code >>> 0;
    let current = 0;
    let found: string | undefined;
    for (let pos = 0; pos < text.length; ) {
      const nl = text.indexOf('\n', pos);
      const end = nl < 0 ? text.length : nl;
      const sp = text.indexOf(' ', pos);
      if (sp >= 0 && sp < end) {
        current += sp === pos ? 1 : parseInt(text.slice(pos, sp), 36);
        if (current >>> 0 === target) found = text.slice(sp + 1, end);
        else if (current >>> 0 > target) break;
      }
      pos = end + 1;
    }
    return found;
  }
}

let data: CodeData | null = null;
let loading: Promise<void> | null = null;

/** Loads the generated tables once; every entry point of the engine awaits it before reading. */
export function loadCodeNames(): Promise<void> {
  loading ??= import('./exception-codes.data.ts').then(
    (d) => {
      data = d;
    },
    (err: unknown) => {
      loading = null; // a failed fetch is tried again by the next analysis
      throw err;
    },
  );
  return loading;
}

let tables: Tables | null = null;

function load(): Tables {
  if (tables) return tables;
  // A caller that skipped loadCodeNames() is a bug in our code, not a property of the input:
  // fail loudly rather than report every code as unknown.
  if (!data) throw new Error('exception-code names are not loaded: await loadCodeNames() first');
  const special = new Map<number, CodeDescription>();
  for (const line of data.SPECIAL_CODES.split('\n')) {
    const m = /^([0-9a-f]+) (cpp|clr) ([^\t]+)\t(.*)$/.exec(line);
    if (m) special.set(parseInt(m[1]!, 16) >>> 0, { kind: m[2] as CodeKind, name: m[3]!, description: m[4]! });
  }
  tables = {
    ntNames: new Table(data.NTSTATUS_NAMES),
    ntDesc: new Table(data.NTSTATUS_DESCRIPTIONS),
    winNames: new Table(data.WIN32_NAMES),
    winDesc: new Table(data.WIN32_DESCRIPTIONS),
    hrNames: new Table(data.HRESULT_NAMES),
    hrDesc: new Table(data.HRESULT_DESCRIPTIONS),
    special,
  };
  return tables;
}

const FACILITY_WIN32 = 7;
/** HRESULT_FROM_NT sets this bit (FACILITY_NT_BIT) on an NTSTATUS. */
const FACILITY_NT_BIT = 0x10000000;

export function describeCode(code: number): CodeDescription {
  const c = code >>> 0;
  const t = load();

  const special = t.special.get(c);
  if (special) return { ...special };

  // Small values are Win32 errors even where an NTSTATUS shares the number (STATUS_WAIT_0 = 0,
  // STATUS_PENDING = 0x103): exceptions raised with RaiseException(GetLastError()) are the
  // common case, as in an RPC failure raised as 0x6d9.
  if (c < 0x10000) {
    const name = t.winNames.get(c);
    if (name !== undefined) return { kind: 'win32', name, description: t.winDesc.get(c) ?? null };
  }

  const ntName = t.ntNames.get(c);
  if (ntName !== undefined) return { kind: 'ntstatus', name: ntName, description: t.ntDesc.get(c) ?? null };

  const hrName = t.hrNames.get(c);
  const severity = c >>> 31;
  const facility = (c >>> 16) & 0x1fff;
  if (severity === 1 && facility === FACILITY_WIN32 && !(c & FACILITY_NT_BIT)) {
    const w = c & 0xffff;
    const winName = t.winNames.get(w);
    return {
      kind: 'hresult',
      name: hrName ?? (winName ? `HRESULT_FROM_WIN32(${winName})` : null),
      description: t.hrDesc.get(c) ?? t.winDesc.get(w) ?? null,
    };
  }
  if (hrName !== undefined) return { kind: 'hresult', name: hrName, description: t.hrDesc.get(c) ?? null };

  if (c & FACILITY_NT_BIT) {
    const nt = (c & ~FACILITY_NT_BIT) >>> 0;
    const inner = t.ntNames.get(nt);
    if (inner !== undefined) {
      return { kind: 'hresult', name: `HRESULT_FROM_NT(${inner})`, description: t.ntDesc.get(nt) ?? null };
    }
  }
  return { kind: 'unknown', name: null, description: null };
}
