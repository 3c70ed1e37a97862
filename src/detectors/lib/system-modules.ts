// The operating system's own user-mode modules. A wait, a lock or an RPC call is always made
// by one of these; the first frame outside them is the code that asked for it, which is what a
// summary should name. WinDbg prints the 32-bit ntdll of a WOW64 process as "ntdll_7d600000"
// (the module name plus its base, to tell it from the 64-bit one), so that suffix is dropped.
import type { Frame } from '../../engine/core/dump-model.ts';
import { shortName } from './model-queries.ts';

const SYSTEM = new Set([
  'ntdll',
  'kernel32',
  'kernelbase',
  'user32',
  'win32u',
  'gdi32',
  'gdi32full',
  'rpcrt4',
  'combase',
  'ole32',
  'oleaut32',
  'sechost',
  'advapi32',
  'ws2_32',
  'mswsock',
  'wow64',
  'wow64cpu',
  'wow64win',
  'wow64base',
  'msvcrt',
  'ucrtbase',
  'dbghelp',
  'dbgcore',
  'faultrep',
  'wer',
  'comctl32',
  'shell32',
  'shlwapi',
  'uxtheme',
  'msctf',
  'imm32',
  'wininet',
  'winhttp',
  'crypt32',
  'secur32',
  'sspicli',
]);

/** "ntdll_7d600000" → "ntdll"; "KERNELBASE.dll" → "kernelbase". */
export function moduleKey(name: string): string {
  return shortName(name).replace(/_[0-9a-f]{8}(?:[0-9a-f]{8})?$/, '');
}

export function isSystemModule(name: string): boolean {
  return SYSTEM.has(moduleKey(name));
}

/** A frame in an operating-system module (a frame with no module is not). */
export function isSystemFrame(f: Frame): boolean {
  return f.module !== null && isSystemModule(f.module);
}
