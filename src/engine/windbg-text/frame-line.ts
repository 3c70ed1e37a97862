// One line of a `k`-family stack, in any of the layouts WinDbg prints:
//   x64 k/kn   [00] 00000000`0016e190 00000000`6b0064f2 wow64!Wow64NotifyDebugger+0x9
//   x64 kb/kv  [00] 000000c5`4f2ff6a0 00007ff6`1e2a10b9 : <4 args> : App!CrashMe+0x17
//   x86 k      0012d98c 7da4a631 kernel32!RaiseException+0x53
//   x86 kb/kv  0012d98c 7da4a631 000006d9 00000001 00000000 kernel32!RaiseException+0x53 (FPO: [4,20,0])
//   inline     01 (Inline Function) --------`-------- App!Helper+0x5 [c:\src\app.cpp @ 12]
// The call site keeps kp's argument list and a trailing "[file @ line]" out of the symbol.
import { parseHex } from '../model/hex.ts';

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

/** Removes a balanced "(…)" argument list that follows the function name (kp / kP). */
function stripArgList(symbol: string): string {
  const open = symbol.indexOf('(');
  if (open <= 0) return symbol;
  let depth = 0;
  for (let i = open; i < symbol.length; i++) {
    const c = symbol[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return symbol.slice(0, open) + symbol.slice(i + 1);
  }
  return symbol;
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

export function parseFrameLine(line: string): FrameLine | null {
  let t = line.trim();
  if (!t) return null;
  let source: string | null = null;
  let info: string | null = null;
  const src = /\s+\[([^\]]*@\s*\d+)\]\s*$/.exec(t);
  if (src) {
    source = src[1]!.trim();
    t = t.slice(0, src.index);
  }
  const kv = /\s+\(((?:FPO|CONV|TrapFrame|Trap|Inline Function|Inline)[^()]*(?:\([^()]*\))?[^()]*)\)\s*$/.exec(t);
  if (kv) {
    info = kv[1]!.trim();
    t = t.slice(0, kv.index);
  }

  let inline = false;
  let numbers: string[];
  let args: string[] = [];
  let site: string;
  // x64 kb/kv separate the columns with " : ".
  const parts = t.split(/\s+:\s+/);
  if (parts.length >= 3) {
    numbers = parts[0]!.split(/\s+/);
    args = parts[1]!.split(/\s+/).filter((a) => !/^-+`?-*$/.test(a));
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
    if (/^-+`?-*$/.test(n)) {
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

  const symbolText = stripArgList(site.trim());
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
