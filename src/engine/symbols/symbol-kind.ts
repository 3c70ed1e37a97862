// What a file is, told by its first bytes, never by its name: a PDB starts with the MSF 7.0
// signature ("Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0"), an old MSF 2.0 program database with
// "Microsoft C/C++ program database 2.00\r\n", a Breakpad symbol file with its "MODULE " line
// (after a byte-order mark some editors add). The page sorts dropped files with this and the
// engine picks the reader with it. (Kept small: the page's first load carries it.)

export type SymbolFileKind = 'pdb' | 'pdb-msf2' | 'breakpad-sym';

/** Bytes to read from the start of a file for symbolFileKind. */
export const SYMBOL_SNIFF_BYTES = 48;

/** The kind of symbol file `head` (the first SYMBOL_SNIFF_BYTES or more) starts, or null. */
export function symbolFileKind(head: Uint8Array): SymbolFileKind | null {
  // Latin-1: one character per byte, so the signatures compare byte for byte.
  const text = String.fromCharCode(...head.subarray(0, SYMBOL_SNIFF_BYTES));
  if (text.startsWith('Microsoft C/C++ MSF 7.00\r\n\x1aDS')) return 'pdb';
  if (text.startsWith('Microsoft C/C++ program database 2.00\r\n')) return 'pdb-msf2';
  return text.startsWith('MODULE ') || text.startsWith('\xef\xbb\xbfMODULE ') ? 'breakpad-sym' : null;
}
