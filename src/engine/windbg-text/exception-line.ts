// The event line WinDbg prints when it stops or opens a dump with an exception:
//   (2088.2fe4): Unknown exception - code 000006d9 (first/second chance not available)
//   (1a2c.1b30): Access violation - code c0000005 (first chance)
// and the current-instruction lines that follow it ("App!Crash+0x17:" then the disassembly),
// which give the faulting thread's instruction pointer when nothing else does.
import { parseHex } from '../core/hex.ts';

export interface ExceptionLine {
  pid: number;
  tid: number;
  /** The debugger's words for the event ("Access violation", "Unknown exception"). */
  text: string;
  code: number;
  chance: 'first' | 'second' | null;
}

// Process and thread ids are 32-bit: a longer run of digits is not an event line.
const EVENT = /^\(([0-9a-f]{1,8})\.([0-9a-f]{1,8})\):\s+(.+?)\s+-\s+code\s+([0-9a-f]{1,8})\s+\((.*)\)\s*$/i;

export function parseExceptionLine(line: string): ExceptionLine | null {
  const m = EVENT.exec(line.trim());
  if (!m) return null;
  const chanceText = m[5]!.toLowerCase();
  // "first/second chance not available" (a dump) says neither.
  const chance = /not available/.test(chanceText) ? null : /second/.test(chanceText) ? 'second' : /first/.test(chanceText) ? 'first' : null;
  return {
    pid: parseInt(m[1]!, 16),
    tid: parseInt(m[2]!, 16),
    text: m[3]!,
    code: parseInt(m[4]!, 16) >>> 0,
    chance,
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
  return m ? m[1]! : null;
}

/** A label's module and symbol, offset dropped: "App!Crash+0x17" → App, Crash; "App+0x1a46" → App, no symbol. */
export function labelModuleSymbol(label: string): { module: string; symbol: string | null } {
  const bang = label.indexOf('!');
  return {
    module: bang > 0 ? label.slice(0, bang) : label.replace(/\+0x[0-9a-f]+$/i, ''),
    symbol: bang > 0 ? label.slice(bang + 1).replace(/\+0x[0-9a-f]+$/i, '') : null,
  };
}
