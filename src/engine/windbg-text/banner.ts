// The lines WinDbg/CDB print when a dump is opened: the dump kind, the comment a dump
// writer left, the OS line, session time, uptimes and the loader's overlap warnings.
// Each line parses on its own, so a banner cut up by prose or quoting still reads.
import type { Arch } from '../core/dump-model.ts';

export type BannerFact =
  | { kind: 'debugger'; version: string; host: string | null }
  | { kind: 'dump-file'; path: string }
  | { kind: 'dump-type'; description: string; fullMemory: boolean | null; kernel: boolean }
  | { kind: 'comment'; text: string }
  | { kind: 'os'; os: string; version: string | null; build: number; servicePack: string | null; cpuCount: number | null; arch: Arch; checked: boolean }
  | { kind: 'product'; text: string }
  | { kind: 'build-lab'; text: string; arch: Arch | null }
  | { kind: 'machine-name'; text: string }
  | { kind: 'session-time'; iso: string | null; text: string }
  | { kind: 'system-uptime'; seconds: number | null }
  | { kind: 'process-uptime'; seconds: number | null }
  | { kind: 'overlap'; a: string; b: string }
  | { kind: 'exception-of-interest' }
  | { kind: 'truncated' };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "6 days 3:32:26.081" → seconds; null for "not available". */
export function parseUptime(text: string): number | null {
  const m = /^(\d{1,9})\s+days?\s+(\d{1,9}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?/.exec(text.trim());
  if (!m) return null;
  const frac = m[5] ? Number(`0.${m[5]}`) : 0;
  const s = Number(m[1]) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]) + frac;
  return Math.round(s * 1000) / 1000;
}

/**
 * "Tue Sep  4 13:36:14.000 2007 (GMT+2)" or "Wed Mar 15 14:02:11.000 2023 (UTC + 1:00)" →
 * ISO-8601 with the printed offset; without a zone the ISO string has no offset either.
 */
export function parseSessionTime(text: string): string | null {
  const m = /^\w{3}\s+(\w{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?\s+(\d{4})(?:\s*\((?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::(\d{2}))?\))?/.exec(
    text.trim(),
  );
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]!);
  if (month < 0) return null;
  const p2 = (v: string | number) => String(v).padStart(2, '0');
  const ms = (m[6] ?? '000').padEnd(3, '0');
  let iso = `${m[7]}-${p2(month + 1)}-${p2(m[2]!)}T${p2(m[3]!)}:${m[4]}:${m[5]}.${ms}`;
  if (m[8]) iso += `${m[8]}${p2(m[9]!)}:${m[10] ?? '00'}`;
  else if (/\((?:GMT|UTC)\)/.test(text)) iso += 'Z';
  return iso;
}

// Marketing name → kernel version, for the dotted `system.version` (the build comes from the line).
const NT_VERSIONS: Array<[RegExp, string]> = [
  [/^Windows (?:10|11|Server (?:2016|2019|2022|2025))\b/, '10.0'],
  [/^Windows (?:8\.1|Server 2012 R2)\b/, '6.3'],
  [/^Windows (?:8|Server 2012)\b/, '6.2'],
  [/^Windows (?:7|Server 2008 R2)\b/, '6.1'],
  [/^Windows (?:Vista|Server 2008)\b/, '6.0'],
  [/^Windows (?:Server 2003|XP Professional x64)\b/, '5.2'],
  [/^Windows XP\b/, '5.1'],
  [/^Windows 2000\b/, '5.0'],
];

function archFromText(text: string): Arch {
  if (/\bx64\b|\bAMD64\b/i.test(text)) return 'amd64';
  if (/ARM64|AArch64/i.test(text)) return 'arm64';
  if (/\bARM\b/.test(text)) return 'arm';
  if (/x86|i386/i.test(text)) return 'x86';
  return 'unknown';
}

// "Windows Server 2003 Version 3790 (Service Pack 2) MP (4 procs) Free x64"
// "Windows 10 Version 19041 MP (8 procs) Free x64", "Windows XP Version 2600 (Service Pack 3) UP Free x86 compatible"
// Build and processor counts beyond 9 digits are not real and would not fit the model's integers.
// The name ends at the first " Version " (found by position: a lazy "Windows.*? Version" would
// try every later " Version " of a hostile line, each with the rest of the pattern, at n² cost);
// what follows it is matched from a fixed start.
const OS_REST = /^(\d+)(?: \(([^)]*)\))? (MP|UP)(?: \((\d+) procs\))? (Free|Checked) /;

/** "Windows 10 Version 19041 MP (8 procs) Free x64" → name and the rest's parts, or null. */
function osLine(t: string): { name: string; rest: RegExpExecArray; cpu: string } | null {
  if (!/^Windows\b/.test(t)) return null;
  const at = t.indexOf(' Version ');
  if (at < 0) return null;
  const after = t.slice(at + ' Version '.length);
  const rest = OS_REST.exec(after);
  // The CPU words run to the end of the line ("x64", "x86 compatible").
  const cpu = rest ? after.slice(rest[0].length).trim() : '';
  // More than 9 digits is no build or processor count (and would not fit the model's integers).
  if (!rest || !cpu || rest[1]!.length > 9 || (rest[4] ?? '').length > 9) return null;
  return { name: t.slice(0, at), rest, cpu };
}

/**
 * "User Mini Dump File with Full Memory: Only application data is available": the dump kind
 * before the first colon (letters, digits and spaces, naming a "Dump File"), and what follows.
 */
function dumpTypeLine(t: string): { description: string; rest: string } | null {
  if (!/^(?:User|Kernel|Mini Kernel)\b/.test(t)) return null;
  const colon = t.indexOf(':');
  if (colon < 0) return null;
  const description = t.slice(0, colon).trimEnd();
  if (!description.includes('Dump File') || !/^[\w ]+$/.test(description)) return null;
  return { description, rest: t.slice(colon + 1).trim() };
}

export function parseBannerLine(line: string): BannerFact | null {
  const t = line.trim();
  let m: RegExpExecArray | null;
  if ((m = /^Microsoft \(R\) Windows (?:Debugger|Kernel Debugger) Version (\S+)(?:\s+(\S+))?/.exec(t))) {
    return { kind: 'debugger', version: m[1]!, host: m[2] ?? null };
  }
  if ((m = /^Loading Dump File \[(.*)\]$/.exec(t))) return { kind: 'dump-file', path: m[1]! };
  const dumpType = dumpTypeLine(t);
  if (dumpType) {
    const { description } = dumpType;
    const full = /Full Memory|Complete|Full address space/i.test(description)
      ? true
      : /\bMini\b/i.test(description)
        ? false
        : /Only application data is available/i.test(dumpType.rest)
          ? true
          : null;
    return { kind: 'dump-type', description, fullMemory: full, kernel: /^(?:Kernel|Mini Kernel)/.test(description) };
  }
  // The debugger's own word that the file ends early ("Dump file has been truncated.  Data may be missing.").
  if (/^WARNING: Dump file has been truncated\./.test(t)) return { kind: 'truncated' };
  if ((m = /^Comment:\s*'(.*)'\s*$/.exec(t)) || (m = /^Comment:\s*(\S.*)$/.exec(t))) return { kind: 'comment', text: m[1]! };
  const os = osLine(t);
  if (os) {
    const { name } = os;
    // rest: build, parenthesis, MP/UP, procs, Free/Checked, the CPU words.
    const r = os.rest;
    const sp = r[2] && /Service Pack/i.test(r[2]) ? r[2] : null;
    const nt = NT_VERSIONS.find(([re]) => re.test(name))?.[1] ?? null;
    const build = Number(r[1]);
    return {
      kind: 'os',
      os: `${name} Version ${build}${r[2] ? ` (${r[2]})` : ''}`,
      version: nt ? `${nt}.${build}` : null,
      build,
      servicePack: sp,
      cpuCount: r[4] ? Number(r[4]) : r[3] === 'UP' ? 1 : null,
      arch: archFromText(os.cpu),
      checked: r[5] === 'Checked',
    };
  }
  if ((m = /^Product:\s*(\S.*)$/.exec(t))) return { kind: 'product', text: m[1]! };
  if ((m = /^(?:Edition build lab|Built by):\s*(\S.*)$/.exec(t))) {
    const lab = m[1]!;
    const a = /\.(amd64|x86|arm64|arm|ia64)(?:fre|chk)\b/.exec(lab)?.[1];
    const arch: Arch | null = a === 'amd64' ? 'amd64' : a === 'x86' ? 'x86' : a === 'arm64' ? 'arm64' : a === 'arm' ? 'arm' : null;
    return { kind: 'build-lab', text: lab, arch };
  }
  if ((m = /^Machine Name:\s*(\S.*)?$/.exec(t))) return { kind: 'machine-name', text: m[1] ?? '' };
  if ((m = /^Debug session time:\s*(\S.*)$/.exec(t))) return { kind: 'session-time', iso: parseSessionTime(m[1]!), text: m[1]! };
  if ((m = /^System Uptime:\s*(\S.*)$/.exec(t))) return { kind: 'system-uptime', seconds: parseUptime(m[1]!) };
  if ((m = /^Process Uptime:\s*(\S.*)$/.exec(t))) return { kind: 'process-uptime', seconds: parseUptime(m[1]!) };
  if ((m = /^WARNING:\s+(\S+) overlaps (\S+)$/.exec(t))) return { kind: 'overlap', a: m[1]!, b: m[2]! };
  if (/^This dump file has an exception of interest stored in it\.?$/.test(t)) return { kind: 'exception-of-interest' };
  return null;
}
