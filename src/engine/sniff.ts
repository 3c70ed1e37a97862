// Tells what a file is from its first bytes, so a user who drops the wrong file hears what it
// is instead of a parse error from deep inside a reader.
import { DumpError } from './core/errors.ts';

export type InputKind = 'minidump' | 'text';

const MAGIC: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x41, 0x47, 0x45, 0x44, 0x55], what: 'a Windows kernel memory dump (PAGEDUMP); only user-mode minidumps are read' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image, not a dump' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image, not a dump' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive; unzip it and drop the .dmp inside' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive; decompress it and drop the .dmp inside' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: 'a 7-Zip archive; extract it and drop the .dmp inside' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document, not a dump' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'an ELF binary or Linux core file; only minidumps are read' },
  { bytes: [0x4d, 0x5a], what: 'a Windows executable or DLL, not a dump (add it beside a dump as an image)' },
  { bytes: [0x4d, 0x53, 0x46, 0x54], what: 'a PDB symbol file, not a dump' },
];

function startsWith(head: Uint8Array, bytes: number[]): boolean {
  return bytes.every((b, i) => head[i] === b);
}

/** Classifies a file by its head (at least 8 bytes when the file has them). */
export function sniff(head: Uint8Array, size: number): InputKind {
  if (size === 0) throw new DumpError('not-a-dump', 'the file is empty');
  if (startsWith(head, [0x4d, 0x44, 0x4d, 0x50])) return 'minidump'; // "MDMP"
  for (const m of MAGIC) if (startsWith(head, m.bytes)) throw new DumpError('not-a-dump', `this is ${m.what}`);
  return 'text';
}
