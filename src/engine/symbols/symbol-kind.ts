// What a file is, told by its first bytes, never by its name: a PDB starts with the MSF 7.0
// signature ("Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0"), an old MSF 2.0 program database with
// "Microsoft C/C++ program database 2.00\r\n", a Breakpad symbol file with its "MODULE " line
// (after a byte-order mark some editors add). The page sorts dropped files with this and the
// engine picks the reader with it.

export type SymbolFileKind = 'pdb' | 'pdb-msf2' | 'breakpad-sym';

const MSF7 = 'Microsoft C/C++ MSF 7.00\r\n\x1aDS';
const MSF2 = 'Microsoft C/C++ program database 2.00\r\n';

/** Bytes to read from the start of a file for symbolFileKind. */
export const SYMBOL_SNIFF_BYTES = 48;

function startsWith(head: Uint8Array, at: number, text: string): boolean {
  if (head.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (head[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The kind of symbol file `head` (the first SYMBOL_SNIFF_BYTES or more) starts, or null. */
export function symbolFileKind(head: Uint8Array): SymbolFileKind | null {
  if (startsWith(head, 0, MSF7)) return 'pdb';
  if (startsWith(head, 0, MSF2)) return 'pdb-msf2';
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  if (startsWith(head, bom, 'MODULE ')) return 'breakpad-sym';
  return null;
}
