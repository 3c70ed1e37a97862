// The operating system's own user-mode modules, and the language runtimes every program links.
// A wait, a lock or an RPC call is always made by one of the first; the first frame outside them
// is the code that asked for it, which is what a summary or a failure bucket should name. WinDbg
// prints the 32-bit ntdll of a WOW64 process as "ntdll_7d600000" (the module name plus its base,
// to tell it from the 64-bit one), so that suffix is dropped before the lookup.
import { fileNameOf } from './module-names.ts';

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

/**
 * Compiler runtimes: a C++ throw, an abort() or a failed CRT check passes through them on its
 * way to the exception, so every such crash would otherwise be bucketed at the runtime's own
 * throw function. Matched on WinDbg's short name, where "libstdc++-6.dll" reads "libstdc___6".
 */
const COMPILER_RUNTIMES =
  /^(?:vcruntime\d+(?:_\d+)?d?|msvcp\d+(?:_[a-z0-9]+)?|msvcr\d+d?|ucrtbased|concrt\d+|libstdc_+\d*|libgcc_s(?:_[a-z0-9]+)*|libwinpthread_\d+|libc__(?:abi)?|libunwind|libobjc(?:_a)?)$/;

/**
 * The C library and loader of Linux and macOS, whose dumps Breakpad and Crashpad write in the
 * same format: "libc-2.13.so" reads "libc_2_13", "libc.so.6" "libc_so".
 */
const UNIX_LIBRARIES = /^(?:(?:libc|libpthread|libm|libdl|librt|ld)(?:_so)?(?:_\d+)*|ld_linux(?:_[a-z0-9]+)*|libsystem_[a-z0-9_]+|libdyld|dyld)$/;

/** "ntdll_7d600000" → "ntdll"; "KERNELBASE.dll" → "kernelbase". */
export function moduleKey(name: string): string {
  return fileNameOf(name)
    .replace(/\.(dll|exe|sys|drv|ocx|cpl|so(\.\d+)*|dylib)$/i, '')
    .toLowerCase()
    .replace(/_[0-9a-f]{8}(?:[0-9a-f]{8})?$/, '');
}

/** One of the operating system's own modules. */
export function isSystemModule(name: string): boolean {
  return SYSTEM.has(moduleKey(name));
}

/** An operating-system module, a C library or a compiler runtime: code a failure passes through, not its cause. */
export function isSystemOrRuntimeModule(name: string): boolean {
  const key = moduleKey(name);
  return SYSTEM.has(key) || COMPILER_RUNTIMES.test(key) || UNIX_LIBRARIES.test(key);
}
