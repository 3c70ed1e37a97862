// Answers of session commands that name the process, the event and the threads' times:
//   |            ".  0\tid: 5bc4\texamine\tname: C:\Program Files\Contoso\Viewer.exe"
//   .lastevent   "Last event: 5bc4.49a0: Access violation - code c0000005 (first/second chance not available)"
//   !runaway     " User Mode Time" / "  Thread       Time" / "   0:49a0      0 days 0:00:05.678"
//   !gle         "LastErrorValue: (Win32) 0x2 (2) - The system cannot find the file specified."
//   !wow64exts.sw  "Switched to Guest (WoW) mode" / "Switched to Host mode"
import { parseUptime } from './banner.ts';
import { parseExceptionLine, type ExceptionLine } from './exception-line.ts';

/** `|`: the process the debugger is attached to, with its id (hex) and image path. */
export function parseProcessLine(line: string): { pid: number; image: string | null; current: boolean } | null {
  const t = line.trim();
  const m = /^(?:([.#])\s*)?(\d{1,4})\s+id:\s+([0-9a-f]{1,8})\s+(?:examine|attach|create|child)\b/i.exec(t);
  if (!m) return null;
  // Then nothing, or "name: " and the image path to the end of the line.
  const rest = t.slice(m[0].length).trim();
  if (rest !== '' && !/^name:\s/i.test(rest)) return null;
  return { pid: parseInt(m[3]!, 16), image: rest.slice(5).trim() || null, current: m[1] === '.' };
}

/**
 * `.lastevent` for an exception: the same facts as the event line, without its parentheses
 * ("Last event: 5bc4.49a0: Access violation - code c0000005 (first chance)"), or in the older
 * debuggers' words, with no ids ("Last event: Exception C00000FD, second chance").
 */
export function parseLastEvent(line: string): ExceptionLine | null {
  const t = line.trim();
  if (!t.startsWith('Last event:')) return null;
  const m = /^Last event:\s+([0-9a-f]{1,8})\.([0-9a-f]{1,8}):\s/i.exec(t);
  if (m) return parseExceptionLine(`(${m[1]}.${m[2]}): ${t.slice(m[0].length).trim()}`);
  const old = /^Last event: Exception ([0-9a-f]{1,8}), (first|second) chance$/i.exec(t);
  if (!old) return null;
  return { pid: null, tid: null, text: 'Exception', code: parseInt(old[1]!, 16) >>> 0, chance: old[2]!.toLowerCase() === 'second' ? 'second' : 'first' };
}

export type RunawaySection = 'user' | 'kernel' | 'elapsed';

export function parseRunawaySection(line: string): RunawaySection | null {
  const m = /^\s*(User Mode|Kernel Mode|Elapsed) Time\s*$/.exec(line);
  if (!m) return null;
  return m[1] === 'User Mode' ? 'user' : m[1] === 'Kernel Mode' ? 'kernel' : 'elapsed';
}

/** "   0:49a0      0 days 0:00:05.678": debugger thread number, thread id (hex), time. */
export function parseRunawayRow(line: string): { ordinal: number; tid: number; seconds: number } | null {
  const m = /^\s*(\d{1,9}):([0-9a-f]{1,8})\s+(\d{1,9}\s+days?\s+\d{1,9}:\d{2}:\d{2}(?:\.\d{1,9})?)\s*$/i.exec(line);
  if (!m) return null;
  const seconds = parseUptime(m[3]!);
  return seconds === null ? null : { ordinal: Number(m[1]), tid: parseInt(m[2]!, 16), seconds };
}

/** `!gle`: the thread's last Win32 error and NTSTATUS, as the debugger decodes them. */
export function parseLastError(line: string): { key: 'LAST_ERROR_VALUE' | 'LAST_STATUS_VALUE'; value: string } | null {
  const m = /^\s*Last(Error|Status)Value:\s+(\S.*)$/.exec(line);
  if (!m) return null;
  return { key: m[1] === 'Error' ? 'LAST_ERROR_VALUE' : 'LAST_STATUS_VALUE', value: m[2]!.trim() };
}

/** `!wow64exts.sw` (or `!sw`) answers which view following stacks are in. */
export function parseWowSwitch(line: string): 'x86' | 'native' | null {
  const m = /^\s*Switched to (Guest \(WoW\)|Host) mode\s*$/.exec(line);
  if (!m) return null;
  return m[1] === 'Host' ? 'native' : 'x86';
}

/** vertarget / .time: "  Kernel time: 0 days 0:00:01.234", "  User time: 0 days 0:00:05.678". */
export function parseProcessTime(line: string): { kind: 'kernel' | 'user'; seconds: number | null } | null {
  const m = /^\s*(Kernel|User) time:\s+(\S.*)$/.exec(line);
  if (!m) return null;
  return { kind: m[1] === 'Kernel' ? 'kernel' : 'user', seconds: parseUptime(m[2]!) };
}
