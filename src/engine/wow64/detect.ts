// Is this 64-bit dump the dump of a 32-bit (WOW64) process? WinDbg users learn it from the
// native stacks ending in wow64cpu; a reader can tell from the module list alone. The WOW64
// layer (wow64.dll, wow64cpu.dll, wow64win.dll …) is only ever loaded into 32-bit processes,
// and 32-bit system DLLs come from SysWOW64. A module's base below 4 GB proves nothing by
// itself: 64-bit ntdll, kernel32 and the WOW64 DLLs themselves load there on Windows 7 and
// earlier. Only an image whose PE header says i386 (when the caller read it) is as good.
import { big } from '../core/hex.ts';
import { fileNameOf } from '../names/module-names.ts';
import { archBits, type Arch } from '../core/arch.ts';

export interface Wow64ModuleInput {
  /** File name or full path ("wow64.dll", "C:\\Windows\\SysWOW64\\ntdll.dll"). */
  name: string;
  /** Full path when kept apart from the name (the dump model's Module.path). */
  path?: string | null;
  base: bigint | string;
  size: bigint | string | number;
  /** IMAGE_FILE_HEADER.Machine of the image in memory, when the caller read it. */
  machine?: number | null;
}

export type Wow64Evidence =
  | { kind: 'wow64-layer-module'; module: string }
  | { kind: 'syswow64-path'; module: string }
  | { kind: 'i386-image'; module: string };

export interface Wow64Detection {
  /** True when the dump is 64-bit and the process ran 32-bit code under WOW64. */
  wow64: boolean;
  evidence: Wow64Evidence[];
  /** Per input module: true when it is a 32-bit module of the WOW64 process (all false when `wow64` is false). */
  x86Modules: boolean[];
  /** One line saying what was decided and why. */
  note: string;
}

/** The WOW64 layer: x86 emulation on x64 (wow64cpu) and on ARM64 (xtajit, wowarmhw). */
const LAYER = new Set(['wow64.dll', 'wow64cpu.dll', 'wow64win.dll', 'wow64base.dll', 'wow64con.dll', 'xtajit.dll', 'wowarmhw.dll']);
const IMAGE_FILE_MACHINE_I386 = 0x14c;
const FOUR_GB = 0x1_0000_0000n;

function fileName(m: Wow64ModuleInput): string {
  return fileNameOf(m.name || m.path || '').toLowerCase();
}

function fullPath(m: Wow64ModuleInput): string {
  return (m.path ?? m.name ?? '').toLowerCase().replace(/\//g, '\\');
}

function toBig(v: bigint | string | number): bigint {
  return typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(v) : big(v);
}

/** `arch` is the dump's CPU as the model names it ('amd64', 'arm64', 'x86' …). */
export function detectWow64(modules: readonly Wow64ModuleInput[], arch: Arch): Wow64Detection {
  const none = (note: string): Wow64Detection => ({ wow64: false, evidence: [], x86Modules: modules.map(() => false), note });
  if (archBits(arch) !== 64) {
    return none(arch === 'x86' ? 'a 32-bit dump: its contexts are already x86, nothing to recover' : `no WOW64 on ${arch}`);
  }

  const evidence: Wow64Evidence[] = [];
  for (const m of modules) {
    const name = fileName(m);
    if (LAYER.has(name)) evidence.push({ kind: 'wow64-layer-module', module: name });
    else if (fullPath(m).includes('\\syswow64\\')) evidence.push({ kind: 'syswow64-path', module: name });
    else if (m.machine === IMAGE_FILE_MACHINE_I386) evidence.push({ kind: 'i386-image', module: name });
  }
  if (evidence.length === 0) return none('no WOW64 layer, SysWOW64 module or i386 image in a 64-bit dump');

  // Which modules are the 32-bit ones. With no path, a name seen twice (ntdll.dll) is taken
  // as native the first time: the loader maps the 64-bit ntdll before the 32-bit one.
  const seen = new Set<string>();
  const x86Modules = modules.map((m) => {
    const name = fileName(m);
    const path = fullPath(m);
    const first = !seen.has(name);
    seen.add(name);
    if (m.machine !== undefined && m.machine !== null) return m.machine === IMAGE_FILE_MACHINE_I386;
    if (LAYER.has(name)) return false;
    if (path.includes('\\syswow64\\')) return true;
    if (path.includes('\\system32\\') || path.includes('\\sysnative\\')) return false;
    if (toBig(m.base) + toBig(m.size) > FOUR_GB) return false;
    if (!path.includes('\\') && first && (name === 'ntdll.dll' || name === 'kernel32.dll' || name === 'user32.dll')) {
      return modules.filter((o) => fileName(o) === name).length < 2;
    }
    return true;
  });
  const kinds = [...new Set(evidence.map((e) => e.kind))].join(', ');
  return { wow64: true, evidence, x86Modules, note: `a 32-bit process in a 64-bit dump (${kinds})` };
}
