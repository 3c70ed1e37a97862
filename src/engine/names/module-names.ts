// How a module is named from its path. The module list stores full paths
// ("C:\Windows\System32\KERNELBASE.dll"); the model keeps the file name, and frames carry
// WinDbg's short name. Paths come from Windows and from Linux/macOS dumps alike, so both
// separators end a directory.

/** "C:\\Windows\\System32\\ntdll.dll" → "ntdll.dll"; "/usr/lib/libc.so.6" → "libc.so.6". */
export function fileNameOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return path.slice(cut + 1);
}

/**
 * Characters of a short module name kept. Every frame carries the name, so a module list whose
 * names are 32 000 characters (a corrupt or hostile dump) would make 100 000 frames of them;
 * real module names are far shorter.
 */
export const MAX_MODULE_NAME_CHARS = 128;

/**
 * WinDbg's short module name: the file name without its extension, with the characters WinDbg
 * will not put in a module name (dots, dashes, spaces) turned into underscores
 * ("api-ms-win-core-synch-l1-2-0.dll" → "api_ms_win_core_synch_l1_2_0"); the case is kept.
 * "C:\\Windows\\System32\\KERNELBASE.dll" → "KERNELBASE".
 */
export function shortModuleName(path: string): string {
  const file = fileNameOf(path);
  const dot = file.lastIndexOf('.');
  const stem = dot > 0 ? file.slice(0, dot) : file;
  return stem.slice(0, MAX_MODULE_NAME_CHARS).replace(/[^A-Za-z0-9_]/g, '_');
}
