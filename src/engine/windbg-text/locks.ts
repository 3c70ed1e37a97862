// Critical sections and their owners, as two debugger extensions print them:
//   !locks (ntsdexts)   "CritSec ntdll!LdrpLoaderLock+0 at 77fc4020" then "LockCount          1",
//                       "OwningThread       1a2c" … "*** Locked", and "Scanned 41 critical sections"
//   !cs -l -o (exts)    "DebugInfo          = 0x…", "Critical section   = 0x0042f4a0 (App!g_lock+0x0)",
//                       "LOCKED", "OwningThread       = 0x00001a2c", "OwningThread DbgId = ~3s",
//                       then "OwningThread Stack =" and the owner's stack, indented.
// !locks prints its counts and the owner without a 0x prefix, and they are hex (the owner is a
// thread id as `~` prints it); !cs writes the prefix. Both print the same section when a log has
// both commands: the records merge by address, a later print filling what an earlier one lacked.
import { parseHex } from '../core/hex.ts';

export type LockLine =
  | { kind: 'section'; address: bigint; name: string | null }
  | { kind: 'field'; field: LockField; value: string }
  | { kind: 'locked'; locked: boolean }
  | { kind: 'owner-ordinal'; ordinal: number }
  | { kind: 'owner-stack' }
  | { kind: 'separator' }
  | { kind: 'scanned' };

export type LockField = 'WaiterWoken' | 'LockCount' | 'RecursionCount' | 'OwningThread' | 'EntryCount' | 'ContentionCount' | 'LockSemaphore' | 'SpinCount' | 'DebugInfo';

// The value is the first word after the name; documentation pages annotate lines after it
// ("OwningThread       88         // here's the owning thread ID").
const FIELD_LINE = /^\s*(WaiterWoken|LockCount|RecursionCount|OwningThread|EntryCount|ContentionCount|LockSemaphore|SpinCount|DebugInfo)[ \t]*(?:=[ \t]*)?([^\s=]\S*)(?:[ \t]+\/\/.*)?$/;

/** The debugger's symbol for a section, without the "+0"/"+0x0" it appends to an exact match. */
function sectionName(text: string | undefined): string | null {
  const t = text?.trim().replace(/\+0(?:x0)?$/i, '') ?? '';
  // "CritSec +7c97e178 at 7c97e178": no symbol covers it.
  return t === '' || t.startsWith('+') ? null : t;
}

/**
 * "CritSec ntdll!LdrpLoaderLock+0 at 77fc4020", maybe with someone's note after the address.
 * Split at " at " by position: a pattern with a lazy name before "at" backtracks on every " at".
 */
function critSec(line: string): LockLine | null {
  const t = line.trim();
  const at = t.lastIndexOf(' at ');
  if (at < 0) return null;
  const m = /^((?:0x)?[0-9a-f`]{1,17})(?:\s.*)?$/i.exec(t.slice(at + 4).trim());
  const address = m ? parseHex(m[1]!) : null;
  return address === null ? null : { kind: 'section', address, name: sectionName(t.slice('CritSec'.length, at)) };
}

/** One line of `!locks` or `!cs` output, or null when it is not one. */
export function parseLockLine(line: string): LockLine | null {
  if (/^\s*CritSec\s/.test(line)) return critSec(line);
  const t = line.trim();
  let m = /^Critical section\s*=\s*((?:0x)?[0-9a-fA-F`]+)/.exec(t);
  if (m && m[1]!.length <= 19) {
    // "(App!g_lock+0x0)" after the address, or nothing.
    const rest = t.slice(m[0].length).trim();
    const named = rest.startsWith('(') && rest.endsWith(')');
    const address = parseHex(m[1]!);
    return address === null || (rest !== '' && !named) ? null : { kind: 'section', address, name: sectionName(named ? rest.slice(1, -1) : undefined) };
  }
  m = /^\s*OwningThread DbgId\s*=\s*~(\d{1,6})s?\s*$/i.exec(line);
  if (m) return { kind: 'owner-ordinal', ordinal: Number(m[1]) };
  if (/^\s*OwningThread Stack\s*=\s*$/i.test(line)) return { kind: 'owner-stack' };
  m = FIELD_LINE.exec(line);
  if (m) return { kind: 'field', field: m[1] as LockField, value: m[2]! };
  if (/^\s*\*\*\*\s*Locked\s*$/i.test(line) || /^\s*LOCKED\s*$/.test(line)) return { kind: 'locked', locked: true };
  if (/^\s*NOT LOCKED\s*$/.test(line)) return { kind: 'locked', locked: false };
  if (/^\s*-{10,}\s*$/.test(line)) return { kind: 'separator' };
  if (/^\s*Scanned\s+\d+\s+critical sections?\s*$/i.test(line)) return { kind: 'scanned' };
  return null;
}

/**
 * A count as either command prints it: hex, with or without 0x, possibly negative ("-1" for an
 * unowned section, and "0x-2"-style from some !cs builds). Null when it is not a number.
 */
export function parseLockCount(text: string): number | null {
  // !cs on x64 prints a thread id 16 digits wide ("0x0000000000001ff8"): leading zeros are fine.
  const m = /^(-)?(?:0x)?(-)?0{0,8}([0-9a-f]{1,8})$/i.exec(text.trim());
  if (!m) return null;
  const v = parseInt(m[3]!, 16);
  return m[1] || m[2] ? -v : v;
}
