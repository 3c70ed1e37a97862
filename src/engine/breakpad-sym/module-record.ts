// The MODULE line (first in every .sym) and the INFO lines that follow it: who the file belongs
// to. `MODULE windows x86 5A9832E5287241C1838ED98914E9B7FF1 test_app.pdb` names the PDB the
// image refers to and the symbol-store id (GUID + age) the image's CodeView record also holds;
// `INFO CODE_ID 45E5BD4C2D000 test_app.exe` names the image itself (Windows: timestamp + size;
// Linux: the ELF build id).
import { splitFields } from './fields.ts';

export interface ModuleRecord {
  /** "windows", "Linux", "mac"… as written. */
  os: string;
  /** "x86", "x86_64", "arm64"… as written. */
  arch: string;
  /** Upper-case hex, as the symbol store spells it. */
  debugId: string;
  /** The debug file name ("test_app.pdb", "libxul.so"); may contain spaces. */
  debugFile: string;
}

export interface CodeIdRecord {
  /** Upper-case hex. */
  codeId: string;
  /** The image's file name when the record gives one ("test_app.exe"). */
  codeFile: string | null;
}

// A PDB70 id is 33 digits, an ELF build id as Breakpad spells it 33; Mach-O 33. Anything far
// longer is not an id.
const MAX_ID_DIGITS = 64;

/** Parses a MODULE line, or returns why it is not one (a one-line reason). */
export function parseModuleRecord(text: string): ModuleRecord | { error: string } {
  const fields = splitFields(text, 5);
  if (fields[0] !== 'MODULE') return { error: 'it does not start with a MODULE line' };
  if (fields.length < 5) return { error: 'its MODULE line has fewer than the five fields MODULE os arch id name' };
  const [, os, arch, id, name] = fields as [string, string, string, string, string];
  if (!isHexId(id)) return { error: `its MODULE line's id "${clip(id)}" is not a hexadecimal symbol-store id` };
  return { os, arch, debugId: id.toUpperCase(), debugFile: name.trimEnd() };
}

/** Parses `INFO CODE_ID <id> [<file>]`; null for any other INFO line or a malformed one. */
export function parseCodeIdRecord(text: string): CodeIdRecord | null {
  const fields = splitFields(text, 4);
  if (fields[0] !== 'INFO' || fields[1] !== 'CODE_ID' || fields[2] === undefined) return null;
  if (!isHexId(fields[2])) return null;
  const file = fields[3]?.trimEnd();
  return { codeId: fields[2].toUpperCase(), codeFile: file ? file : null };
}

function isHexId(id: string): boolean {
  if (id.length === 0 || id.length > MAX_ID_DIGITS) return false;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    const hex = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
    if (!hex) return false;
  }
  return true;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** Architectures whose modules are 32-bit x86, the only ones STACK WIN describes. */
export function isX86Arch(arch: string): boolean {
  const a = arch.toLowerCase();
  return a === 'x86' || a === 'i386' || a === 'i486' || a === 'i586' || a === 'i686';
}
