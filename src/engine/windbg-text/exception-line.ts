// The event line WinDbg prints when it stops or opens a dump with an exception:
//   (2088.2fe4): Unknown exception - code 000006d9 (first/second chance not available)
//   (1a2c.1b30): Access violation - code c0000005 (first chance)
//   Break instruction exception - code 80000003 (first chance)      (older debuggers: no ids)
//   Access violation - code c0000005 (!!! second chance !!!)
// and the current-instruction lines that follow it ("App!Crash+0x17:" then the disassembly),
// which give the faulting thread's instruction pointer when nothing else does.
import { parseHex } from '../core/hex.ts';

export interface ExceptionLine {
  /** Process and thread ids, when the line printed them ("(pid.tid): "); older debuggers do not. */
  pid: number | null;
  tid: number | null;
  /** The debugger's words for the event ("Access violation", "Unknown exception"). */
  text: string;
  code: number;
  chance: 'first' | 'second' | null;
}

// Process and thread ids are 32-bit: a longer run of digits is not an event line.
const IDS = /^\(([0-9a-f]{1,8})\.([0-9a-f]{1,8})\):[ \t]*/i;
// The event's words: letters, digits and the few signs debuggers use ("C++ EH exception",
// "Integer divide-by-zero", "In-page I/O error"). One class, anchored at both ends: linear.
const EVENT_WORDS = /^[A-Za-z][\w+ ./-]*$/;
const CODE_AND_CHANCE = /^([0-9a-f]{1,8})[ \t]+\(([^()]*)\)$/i;

function chanceOf(text: string): 'first' | 'second' | null | undefined {
  const t = text.toLowerCase();
  // "first/second chance not available" (a dump) says neither.
  if (t.includes('not available')) return null;
  if (t.includes('second chance')) return 'second';
  if (t.includes('first chance')) return 'first';
  return undefined;
}

/**
 * The event line, with or without its "(pid.tid): " prefix. Without the prefix the chance must
 * be one the debugger prints, so prose of the shape "x - code 5 (y)" is not taken for an event.
 * Found by position (the last " - code "), not by a pattern with two open-ended parts: a line
 * of repeated " - code 1 (" would cost a backtracking pattern its square.
 */
export function parseExceptionLine(line: string): ExceptionLine | null {
  let t = line.trim();
  const ids = IDS.exec(t);
  if (ids) t = t.slice(ids[0].length);
  const at = t.lastIndexOf(' - code ');
  if (at <= 0) return null;
  const text = t.slice(0, at).trim();
  const tail = CODE_AND_CHANCE.exec(t.slice(at + 8).trim());
  if (!tail || !EVENT_WORDS.test(text)) return null;
  const chance = chanceOf(tail[2]!);
  if (!ids && chance === undefined) return null;
  return {
    pid: ids ? parseInt(ids[1]!, 16) : null,
    tid: ids ? parseInt(ids[2]!, 16) : null,
    text,
    code: parseInt(tail[1]!, 16) >>> 0,
    chance: chance ?? null,
  };
}

export interface Disassembly {
  address: bigint;
  bytes: string;
  text: string;
}

// "00000000`6b006369 b001            mov     al,1" / "7d4e2366 5e              pop     esi"
const DISASM = /^([0-9a-f]{8}(?:`[0-9a-f]{8})?|[0-9a-f]{16})\s+([0-9a-f]{2,30})\s+([a-z][a-z0-9.]*(?:\s.*)?)$/i;

export function parseDisassembly(line: string): Disassembly | null {
  const m = DISASM.exec(line.trim());
  if (!m) return null;
  // Opcode bytes come in whole bytes; anything else is a frame or a dump line, not code.
  if (m[2]!.length % 2 !== 0) return null;
  const address = parseHex(m[1]!);
  if (address === null) return null;
  return { address, bytes: m[2]!, text: m[3]!.trim() };
}

/**
 * "App!CrashMe+0x17:" — the symbol line WinDbg prints above the current instruction; with
 * source lines on, "App!CrashMe+0x17 [c:\src\app.cpp @ 41]:".
 */
export function parseSymbolLabel(line: string): string | null {
  const m = /^([A-Za-z0-9_.$@\-]+!\S+?|[A-Za-z0-9_.$@\-]+\+0x[0-9a-f]+)(?: \[[^\]]*\])?:$/.exec(line.trim());
  if (!m) return null;
  // Older debuggers print the offset without its prefix ("pheap-buggy!TestCorruptAfterEnd+1f:").
  const label = m[1]!;
  const plus = label.lastIndexOf('+');
  return plus > 0 && /^[0-9a-f]+$/i.test(label.slice(plus + 1)) ? `${label.slice(0, plus)}+0x${label.slice(plus + 1)}` : label;
}

/** A label's module and symbol, offset dropped: "App!Crash+0x17" → App, Crash; "App+0x1a46" → App, no symbol. */
export function labelModuleSymbol(label: string): { module: string; symbol: string | null } {
  const bang = label.indexOf('!');
  return {
    module: bang > 0 ? label.slice(0, bang) : label.replace(/\+0x[0-9a-f]+$/i, ''),
    symbol: bang > 0 ? label.slice(bang + 1).replace(/\+0x[0-9a-f]+$/i, '') : null,
  };
}
