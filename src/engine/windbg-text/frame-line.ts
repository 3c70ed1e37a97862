// One line of a `k`-family stack, in any of the layouts WinDbg prints:
//   x64 k/kn   [00] 00000000`0016e190 00000000`6b0064f2 wow64!Wow64NotifyDebugger+0x9
//   x64 kb/kv  [00] 000000c5`4f2ff6a0 00007ff6`1e2a10b9 : <4 args> : App!CrashMe+0x17
//   x86 k      0012d98c 7da4a631 kernel32!RaiseException+0x53
//   x86 kb/kv  0012d98c 7da4a631 000006d9 00000001 00000000 kernel32!RaiseException+0x53 (FPO: [4,20,0])
//   inline     01 (Inline Function) --------`-------- App!Helper+0x5 [c:\src\app.cpp @ 12]
// The call site keeps kp's argument list and a trailing "[file @ line]" out of the symbol.
import { parseHex } from '../core/hex.ts';

export interface CallSite {
  module: string | null;
  symbol: string | null;
  /** Offset after '+', or 0 when a symbol is printed without one. Null for a bare address. */
  offset: bigint | null;
  /** Set when the call site is a bare address ("0x0", "0x10007`00000000"). */
  address: bigint | null;
}

export interface FrameLine {
  /** Frame number from kn/# layouts, when printed. */
  number: number | null;
  sp: bigint | null;
  retAddr: bigint | null;
  args: bigint[];
  callSite: CallSite;
  /** The raw call-site text after cleanup ("module!Symbol+0x53"). */
  text: string;
  inline: boolean;
  /** "FPO: [4,20,0]" and similar kv annotations, kept for the curious. */
  info: string | null;
  source: string | null;
}

const ADDR = /^(?:[0-9a-f]{8}`[0-9a-f]{8}|[0-9a-f]{16}|[0-9a-f]{8})$/i;
const SHORT_HEX = /^[0-9a-f]{1,4}$/i;
// An inline frame's empty columns: "--------" or "--------`--------".
const DASHES = /^-+(?:`-+)?$/;

/**
 * Removes kp / kP's argument list from a call site: the last top-level "(…)" that ends the
 * name (followed by "+0x…" or nothing). `operator()` keeps its parentheses, and parentheses
 * inside a template argument ("Foo<void (__cdecl*)(int)>::Call") are not an argument list.
 */
function stripArgList(symbol: string): string {
  let depth = 0;
  let angle = 0;
  let open = -1;
  let best: { open: number; close: number } | null = null;
  for (let i = 0; i < symbol.length; i++) {
    const c = symbol[i];
    if (c === '<') angle++;
    else if (c === '>' && angle > 0) angle--;
    else if (c === '(') {
      if (depth === 0) open = i;
      depth++;
    } else if (c === ')' && depth > 0 && --depth === 0 && angle === 0 && open > 0) {
      const after = symbol.slice(i + 1);
      const isOperatorCall = /operator\s*$/.test(symbol.slice(0, open)) && symbol.slice(open, i + 1) === '()';
      if (!isOperatorCall && /^(?:\+0x[0-9a-f]+)?\s*$/i.test(after)) best = { open, close: i };
    }
  }
  return best ? symbol.slice(0, best.open) + symbol.slice(best.close + 1) : symbol;
}

/** True when a kP line opens an argument list that continues on the next lines. */
export function opensArgList(line: string): boolean {
  let balance = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 40) balance++;
    else if (c === 41) balance--;
  }
  return balance > 0;
}

export function parseCallSite(text: string): CallSite | null {
  const t = text.trim();
  if (!t) return null;
  if (/^0x[0-9a-f`]+$/i.test(t)) {
    return { module: null, symbol: null, offset: null, address: parseHex(t.slice(2)) };
  }
  // A call site names a module: "mod!sym", "mod!sym+0x1", "mod+0x1". Prose and disassembly don't.
  const bang = t.indexOf('!');
  let head = t;
  let offset: bigint | null = null;
  const off = /\+(0x[0-9a-f]+)$/i.exec(t);
  if (off) {
    offset = BigInt(off[1]!);
    head = t.slice(0, off.index);
  }
  if (bang > 0) {
    const module = t.slice(0, bang);
    if (!/^[\w.$@<>\-~]+$/.test(module)) return null;
    const symbol = head.slice(bang + 1);
    if (!symbol) return null;
    return { module, symbol, offset: offset ?? 0n, address: null };
  }
  if (offset !== null && /^[\w.$@<>\-~]+$/.test(head)) return { module: head, symbol: null, offset, address: null };
  return null;
}

/**
 * "text [inner]" / "text (inner)" at the end of `t`, with balanced nesting inside, when blank
 * space separates it from the text before. Linear in the line.
 */
function trailingGroup(t: string, open: string, close: string): { before: string; inner: string } | null {
  if (!t.endsWith(close)) return null;
  let depth = 0;
  for (let i = t.length - 1; i >= 0; i--) {
    const c = t[i];
    if (c === close) depth++;
    else if (c === open && --depth === 0) {
      if (i === 0 || !/\s/.test(t[i - 1]!)) return null;
      return { before: t.slice(0, i).trimEnd(), inner: t.slice(i + 1, -1) };
    }
  }
  return null;
}

/** x64 kb/kv columns: "sp ret : args : call site". A colon counts only with blanks on both sides. */
function splitColumns(t: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i < t.length - 1; i++) {
    if (t.charCodeAt(i) === 58 && (t[i - 1] === ' ' || t[i - 1] === '\t') && (t[i + 1] === ' ' || t[i + 1] === '\t')) {
      parts.push(t.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(t.slice(start).trim());
  return parts;
}

/**
 * A frame a paste cut inside its source group ("ntdll!RtlRaiseException+0x163 [minkernel\ntos\rai"):
 * the unclosed " [" and what follows are not part of the call site.
 */
function cutSourceGroup(site: string): string {
  const open = site.lastIndexOf(' [');
  return open > 0 && !site.includes(']', open) ? site.slice(0, open) : site;
}

export function parseFrameLine(line: string): FrameLine | null {
  let t = line.trim();
  if (!t) return null;
  let source: string | null = null;
  let info: string | null = null;
  // The trailing groups are found by scanning back from the end: an unanchored "\s+\(" regex
  // costs quadratic time on a long run of blanks, and a paste can hold any line.
  const src = trailingGroup(t, '[', ']');
  if (src && /@\s*\d+$/.test(src.inner)) {
    source = src.inner.trim();
    t = src.before;
  }
  // kv prints up to three of these after the call site: "(FPO: [Non-Fpo]) (CONV: cdecl)".
  for (let n = 0; n < 3; n++) {
    const kv = trailingGroup(t, '(', ')');
    if (!kv || !/^(?:FPO|CONV|TrapFrame|Trap|Inline Function|Inline)\b/.test(kv.inner)) break;
    info = info ? `${kv.inner.trim()} ${info}` : kv.inner.trim();
    t = kv.before;
  }

  let inline = false;
  let numbers: string[];
  let args: string[] = [];
  let site: string;
  // x64 kb/kv separate the columns with " : ".
  const parts = splitColumns(t);
  if (parts.length >= 3) {
    numbers = parts[0]!.split(/\s+/);
    args = parts[1]!.split(/\s+/).filter((a) => !DASHES.test(a));
    site = parts.slice(2).join(' : ');
  } else {
    const tokens = t.split(/\s+/);
    numbers = [];
    let i = 0;
    while (i < tokens.length && (SHORT_HEX.test(tokens[i]!) || ADDR.test(tokens[i]!) || /^-{8}(`-{8})?$/.test(tokens[i]!) || tokens[i] === '(Inline' || tokens[i] === 'Function)' || tokens[i] === '(Inline)')) {
      numbers.push(tokens[i]!);
      i++;
    }
    site = tokens.slice(i).join(' ');
  }
  const inlineAt = numbers.findIndex((n) => n === '(Inline' || n === '(Inline)');
  if (inlineAt >= 0 || /^\(Inline/.test(t.replace(/^[0-9a-f]{1,4}\s+/i, ''))) inline = true;
  const cleaned = numbers.filter((n) => n !== '(Inline' && n !== 'Function)' && n !== '(Inline)');

  let number: number | null = null;
  const addrs: string[] = [];
  for (const n of cleaned) {
    if (DASHES.test(n)) {
      addrs.push('');
      continue;
    }
    if (addrs.length === 0 && SHORT_HEX.test(n) && !ADDR.test(n)) {
      if (number === null) number = parseInt(n, 16);
      // kf prints a memory-distance column after the number; it is not an address.
      continue;
    }
    if (!ADDR.test(n)) return null;
    addrs.push(n);
  }
  // An inline frame prints "(Inline Function)" where the stack pointer goes.
  if (inline && addrs.length === 1) addrs.unshift('');
  if (addrs.length < 2) return null;
  const [spText, retText, ...rest] = addrs;
  if (parts.length < 3) args = rest.filter((a) => a !== '');
  else if (rest.length > 0) return null;

  const symbolText = stripArgList(cutSourceGroup(site.trim()));
  const callSite = parseCallSite(symbolText);
  if (!callSite) return null;
  const argValues: bigint[] = [];
  for (const a of args) {
    const v = parseHex(a);
    if (v === null) return null;
    argValues.push(v);
  }
  return {
    number,
    sp: spText ? parseHex(spText) : null,
    retAddr: retText ? parseHex(retText) : null,
    args: argValues,
    callSite,
    text: symbolText,
    inline,
    info,
    source,
  };
}

/**
 * A `kc` / `kcn` line: an optional frame number and the call site, no address columns.
 *   00 ntdll!NtWaitForSingleObject
 *   KERNELBASE!WaitForSingleObjectEx
 */
export function parseCallOnlyLine(line: string): FrameLine | null {
  let t = line.trim();
  if (!t) return null;
  let source: string | null = null;
  const src = trailingGroup(t, '[', ']');
  if (src && /@\s*\d+$/.test(src.inner)) {
    source = src.inner.trim();
    t = src.before;
  }
  let number: number | null = null;
  let inline = false;
  const num = /^([0-9a-f]{1,4})\s+(?=\S)/i.exec(t);
  if (num) {
    number = parseInt(num[1]!, 16);
    t = t.slice(num[0].length);
  }
  if (t.startsWith('(Inline Function) ') || t.startsWith('(Inline) ')) {
    inline = true;
    t = t.slice(t.indexOf(')') + 1).trim();
  }
  const symbolText = stripArgList(t);
  const callSite = parseCallSite(symbolText);
  // A kc line that is only an address is indistinguishable from prose; require a module.
  if (!callSite || callSite.module === null) return null;
  // kc leaves offsets out: "ntdll!NtWaitForSingleObject" is somewhere in it, not at +0.
  if (!/\+0x[0-9a-f]+$/i.test(symbolText)) callSite.offset = null;
  return { number, sp: null, retAddr: null, args: [], callSite, text: symbolText, inline, info: null, source };
}
