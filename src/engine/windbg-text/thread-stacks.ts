// Thread headers and stack column headers of `~*k`, `~*kb`, `~*kv`, `~*kn`, `~*kp`, `k`, `kb`…
//   .  0  Id: 2088.2fe4 Suspend: 1 Teb: 00000000`7efdb000 Unfrozen
//   #  3  Id: 1a2c.2f10 Suspend: 0 Teb: 000000c5`4f3b7000 Unfrozen "Worker"
//   Child-SP          RetAddr           Call Site
//   # ChildEBP RetAddr  Args to Child
// '.' marks the debugger's current thread, '#' the thread that raised the last event.
import { parseHex } from '../core/hex.ts';

export interface ThreadHeader {
  marker: '.' | '#' | null;
  ordinal: number;
  pid: number;
  tid: number;
  suspend: number | null;
  teb: bigint | null;
  frozen: boolean | null;
  name: string | null;
}

// Ids are 32-bit and counts small: longer digit runs are not WinDbg output and would not fit
// the model's integers, so the line is not taken for a header.
const HEADER =
  /^\s*(?:([.#])\s*)?(\d{1,9})\s+Id:\s+([0-9a-f]{1,8})\.([0-9a-f]{1,8})\b(?:\s+Suspend:\s+(-?\d{1,9})\b)?(?:\s+Teb:?\s+([0-9a-f`]+))?(?:\s+(Unfrozen|Frozen))?(?:\s+"(.*)")?/i;

export function parseThreadHeader(line: string): ThreadHeader | null {
  const m = HEADER.exec(line);
  if (!m) return null;
  return {
    marker: (m[1] as '.' | '#' | undefined) ?? null,
    ordinal: Number(m[2]),
    pid: parseInt(m[3]!, 16),
    tid: parseInt(m[4]!, 16),
    suspend: m[5] !== undefined ? Number(m[5]) : null,
    teb: m[6] ? parseHex(m[6]) : null,
    frozen: m[7] ? m[7].toLowerCase() === 'frozen' : null,
    name: m[8] ?? null,
  };
}

/** "      Priority: 0  Priority class: 32  Affinity: ff" under a `~` thread header. */
export function parsePriorityLine(line: string): number | null {
  const m = /^\s+Priority:\s+(-?\d{1,9})\b/.exec(line);
  return m ? Number(m[1]) : null;
}

export interface StackHeader {
  /** Child-SP columns mean a 64-bit stack; ChildEBP a 32-bit one; kc prints neither. */
  layout: 'x64' | 'x86' | null;
  args: boolean;
  numbered: boolean;
  /** kc: call sites only, no stack pointer or return address columns. */
  callsOnly: boolean;
  /** The header was wrapped after "Args to": its second line ("Child … : Call Site") follows. */
  wrapped: boolean;
}

/** The second half of a kv header wrapped by a paste: "Child                 : Call Site". */
export function isWrappedHeaderTail(line: string): boolean {
  return /^\s*Child\s*:\s*Call Site\s*$/.test(line);
}

export function parseStackHeader(line: string): StackHeader | null {
  const m = /^\s*(#\s+)?(?:Memory\s+)?(Child-SP|ChildEBP|Child-BSP)\s+RetAddr\b(.*)$/.exec(line);
  if (m) {
    const rest = m[3]!.trimEnd();
    const wrapped = rest.endsWith('Args to');
    return {
      layout: m[2] === 'ChildEBP' ? 'x86' : 'x64',
      args: wrapped || rest.includes('Args to Child'),
      numbered: !!m[1],
      callsOnly: false,
      wrapped,
    };
  }
  // `kc` / `kcn`: " # Call Site" alone.
  const c = /^\s*(#\s+)?(?:Memory\s+)?Call Site\s*$/.exec(line);
  if (c) return { layout: null, args: false, numbered: !!c[1], callsOnly: true, wrapped: false };
  return null;
}
