// Exception-record lines, as `.exr -1` prints them and as `!analyze -v` repeats them under
// EXCEPTION_RECORD. They are distinctive enough to read wherever they appear.
import { parseHex } from '../core/hex.ts';
import { parseCallSite, type CallSite } from './frame-line.ts';

export type ExrFact =
  | { kind: 'address'; address: bigint; site: CallSite | null }
  | { kind: 'code'; code: number; text: string | null }
  | { kind: 'flags'; flags: bigint }
  | { kind: 'count'; count: number }
  | { kind: 'parameter'; index: number; value: bigint }
  | { kind: 'attempt'; access: 'read' | 'write' | 'execute'; address: bigint }
  | { kind: 'subcode'; text: string }
  /** Newer debuggers decode a C++ exception under `.exr`: the thrown type and what() text. */
  | { kind: 'cpp'; field: 'type' | 'message'; text: string };

/** "kernel32!RaiseException+0x0000000000000053": the record pads offsets to 16 digits. */
function siteOf(text: string | undefined): CallSite | null {
  return text ? parseCallSite(text) : null;
}

export function parseExrLine(line: string): ExrFact | null {
  const t = line.trim();
  let m: RegExpExecArray | null;
  if ((m = /^ExceptionAddress:\s+([0-9a-f`]+)(?:\s+\((.*)\))?$/i.exec(t))) {
    const address = parseHex(m[1]!);
    return address === null ? null : { kind: 'address', address, site: siteOf(m[2]) };
  }
  if ((m = /^ExceptionCode:\s+([0-9a-f]{1,8})(?:\s+\((.*)\))?$/i.exec(t))) {
    return { kind: 'code', code: parseInt(m[1]!, 16) >>> 0, text: m[2] ?? null };
  }
  if ((m = /^ExceptionFlags:\s+([0-9a-f]+)$/i.exec(t))) return { kind: 'flags', flags: BigInt(`0x${m[1]}`) };
  if ((m = /^NumberParameters:\s+(\d+)$/.exec(t))) return { kind: 'count', count: Number(m[1]) };
  if ((m = /^Parameter\[(\d+)\]:\s+([0-9a-f`]+)$/i.exec(t))) {
    const value = parseHex(m[2]!);
    return value === null ? null : { kind: 'parameter', index: Number(m[1]), value };
  }
  if ((m = /^Attempt to (read from|write to|execute non-executable) address\s+([0-9a-f`]+)$/i.exec(t))) {
    const address = parseHex(m[2]!);
    if (address === null) return null;
    const verb = m[1]!.toLowerCase();
    return { kind: 'attempt', access: verb.startsWith('read') ? 'read' : verb.startsWith('write') ? 'write' : 'execute', address };
  }
  if ((m = /^Subcode:\s+(\S.*)$/.exec(t))) return { kind: 'subcode', text: m[1]! };
  return null;
}

/** "  Type            : class std::runtime_error" / "  Message         : …", read only after `.exr`. */
export function parseExrCppLine(line: string): ExrFact | null {
  const m = /^\s+(Type|Message)\s+:\s+(\S.*)$/.exec(line);
  if (!m) return null;
  return { kind: 'cpp', field: m[1] === 'Type' ? 'type' : 'message', text: m[2]!.trim() };
}
