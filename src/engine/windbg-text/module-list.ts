// `lm`, `lmn`, `lm n`, `lmv` output:
//   start             end                 module name
//   00000000`00400000 00000000`0046d000   App        (deferred)
//   00400000 0042d000   Prymes     C (pdb symbols)          c:\sym\Prymes.pdb\<id>\Prymes.pdb
//   77e80000 77f35000   KERNEL32     (export symbols)       C:\WINNT\system32\KERNEL32.dll
//   Unloaded modules:
// and lmv's indented detail lines under each row ("    Image path: …", "    Timestamp: …").
import type { Module } from '../core/dump-model.ts';
import { hex, parseHex } from '../core/hex.ts';

export function isModuleHeader(line: string): boolean {
  return /^\s*start\s+end\s+module name\s*$/.test(line);
}

export function isUnloadedHeader(line: string): boolean {
  return /^\s*Unloaded modules:\s*$/.test(line);
}

export interface ModuleRow {
  start: bigint;
  end: bigint;
  /** WinDbg's module name: the file name without extension, or a renamed duplicate ("ntdll_7d600000"). */
  name: string;
  /** "deferred", "pdb symbols", "export symbols", "no symbols"…, or null (lmn, unloaded lists). */
  symbols: string | null;
  /** What follows: a pdb path, an image file name or path. */
  trailing: string | null;
  details: Record<string, string>;
}

// The row's start, end and name; what follows is taken as it is (no pattern runs over it).
const ROW = /^\s*([0-9a-f]{8}(?:`[0-9a-f]{8})?|[0-9a-f]{16})\s+([0-9a-f]{8}(?:`[0-9a-f]{8})?|[0-9a-f]{16})\s+(\S+)/i;

/** Whether `line` has a row's start, end and name, without taking it apart (rows past the cap). */
export function looksLikeModuleRow(line: string): boolean {
  return ROW.test(line);
}

export function parseModuleRow(line: string): ModuleRow | null {
  const m = ROW.exec(line);
  if (!m) return null;
  const start = parseHex(m[1]!);
  const end = parseHex(m[2]!);
  if (start === null || end === null || end < start) return null;
  let rest = line.slice(m[0].length).trim();
  // Symbol status letters before the parenthesis: C (no checksum), T (no timestamp), M, #.
  rest = rest.replace(/^(?:[A-Z#]{1,3}\s+)+(?=\()/, '');
  let symbols: string | null = null;
  const paren = /^\(([^)]*)\)\s*(\S.*)?$/.exec(rest);
  if (paren) {
    symbols = paren[1]!.trim();
    rest = (paren[2] ?? '').trim();
  }
  return { start, end, name: m[3]!, symbols, trailing: rest || null, details: {} };
}

/**
 * "ModLoad: 00007ffc`98e40000 00007ffc`98e72000   C:\WINDOWS\System32\IMM32.DLL": a live
 * session's module loads, the only module list many pasted sessions carry.
 */
export function parseModLoad(line: string): ModuleRow | null {
  const m = /^ModLoad:\s+(\S+)\s+(\S+)\s+(\S.*)$/.exec(line.trim());
  if (!m) return null;
  const start = parseHex(m[1]!);
  const end = parseHex(m[2]!);
  if (start === null || end === null || end < start) return null;
  const path = m[3]!.trim();
  const file = path.split(/[\\/]/).pop() ?? path;
  return { start, end, name: file.replace(/\.[^.]*$/, ''), symbols: null, trailing: path, details: {} };
}

/** An indented "Key: value" line of lmv, or null. */
export function parseModuleDetail(line: string): { key: string; value: string } | null {
  const m = /^\s{2,}([A-Za-z][A-Za-z ]*):\s*(\S.*)?$/.exec(line);
  if (!m) return null;
  return { key: m[1]!.trimEnd(), value: (m[2] ?? '').trim() };
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

/** "Tue Sep 12 10:20:30 2023 (65003A2E)" → ISO from the hex link time; reproducible-build hashes are not times. */
function linkTime(text: string | undefined): string | null {
  if (!text || /reproducible/i.test(text)) return null;
  const m = /\(([0-9a-f]{8})\)\s*$/i.exec(text) ?? /^([0-9a-f]{8})\b/i.exec(text);
  if (!m) return null;
  const secs = parseInt(m[1]!, 16);
  return secs > 0 ? new Date(secs * 1000).toISOString() : null;
}

/**
 * "c:\sym\hnetcfg.pdb\3F1C…2\hnetcfg.pdb": a symbol-store path carries the PDB's GUID+age. Read
 * from its last three parts: an unanchored pattern searched over a 65 000-character path tries
 * every start and costs its square.
 */
export function pdbOf(row: ModuleRow): Module['pdb'] {
  const path = row.trailing ?? row.details['Symbol file'];
  if (!path || !/\.pdb$/i.test(path)) return null;
  const parts = path.split(/[\\/]/);
  if (parts.length < 3) return null;
  const [name, id, file] = parts.slice(-3) as [string, string, string];
  if (!/\.pdb$/i.test(name) || name.length <= 4 || !/^[0-9A-F]{33,40}$/i.test(id) || !/\.pdb$/i.test(file)) return null;
  return { name, id: id.toUpperCase() };
}

export function moduleFromRow(row: ModuleRow, unloaded: boolean): Module {
  const d = row.details;
  const imagePath = d['Image path'] ?? (row.trailing && /[\\/]/.test(row.trailing) && !/\.pdb$/i.test(row.trailing) ? row.trailing : null);
  // The file name is only known when lmv or the export-symbol column prints it; lm alone
  // gives the extension-less module name, which we keep rather than guess ".dll".
  const fileName =
    d['Image name'] ??
    (imagePath ? baseName(imagePath) : null) ??
    (row.trailing && /\.(?:dll|exe|sys|drv|ocx|cpl|so|dylib)$/i.test(row.trailing) ? baseName(row.trailing) : null) ??
    row.name;
  const version = d['File version'] ?? d['FileVersion']?.split(/\s/)[0] ?? null;
  const mod: Module = {
    name: fileName,
    path: imagePath,
    base: hex(row.start),
    size: hex(row.end - row.start),
    version: version || null,
    timestamp: linkTime(d['Timestamp']),
    pdb: pdbOf(row),
  };
  if (imagePath && /\\syswow64\\/i.test(imagePath)) mod.x86 = true;
  if (unloaded) mod.unloaded = true;
  return mod;
}
