// The CodeView record a module's CvRecord points at: which debug file (PDB) matches the image,
// and with which identifier a symbol server finds it. Three shapes occur: PDB 7.0 ('RSDS', GUID
// + age, every linker since VC 7), PDB 2.0 ('NB10', timestamp + age, VC 6 era) and Breakpad's
// ELF build id ('BpEL') for Linux modules. A PE image's debug directory holds the same record
// (pe/codeview.ts finds it there and decodes it here).
import { BinaryReader, MAX_STRING_BYTES } from '../io/binary-reader.ts';

export const CV_SIGNATURE_RSDS = 0x53445352; // 'RSDS'
export const CV_SIGNATURE_NB10 = 0x3031424e; // 'NB10'
export const CV_SIGNATURE_ELF = 0x4270454c; // 'BpEL'
/** A record larger than this is not a CodeView record (a path is capped at MAX_STRING_BYTES). */
export const MAX_CODEVIEW_BYTES = MAX_STRING_BYTES + 64;

export type CodeViewRecord =
  | {
      kind: 'pdb70';
      /** Lower-case GUID "5a9832e5-2872-41c1-838e-d98914e9b7ff". */
      guid: string;
      age: number;
      pdbName: string;
      /** Symbol-server id: GUID upper-case without dashes, then the age in hex ("5A98…B7FF1"). */
      debugId: string;
    }
  | { kind: 'pdb20'; offset: number; signature: number; age: number; pdbName: string; debugId: string }
  | { kind: 'elf'; /** Build id as lower-case hex. */ buildId: string; debugId: string }
  | { kind: 'unknown'; signature: number; size: number };

export function parseCodeView(r: BinaryReader): CodeViewRecord | null {
  if (r.length < 4) return null;
  const signature = r.u32(0, 'CodeView signature');
  if (signature === CV_SIGNATURE_RSDS && r.length >= 24) {
    const guid = r.guid(4);
    const age = r.u32(20);
    return { kind: 'pdb70', guid, age, pdbName: r.utf8(24, r.length - 24), debugId: guidDebugId(guid, age) };
  }
  if (signature === CV_SIGNATURE_NB10 && r.length >= 16) {
    const sig = r.u32(8);
    const age = r.u32(12);
    return {
      kind: 'pdb20',
      offset: r.u32(4),
      signature: sig,
      age,
      pdbName: r.ansi(16, r.length - 16),
      debugId: `${sig.toString(16).padStart(8, '0')}${age.toString(16)}`.toUpperCase(),
    };
  }
  if (signature === CV_SIGNATURE_ELF) {
    const id = r.slice(4, r.length - 4);
    const buildId = Array.from(id, (b) => b.toString(16).padStart(2, '0')).join('');
    return { kind: 'elf', buildId, debugId: elfDebugId(id) };
  }
  return { kind: 'unknown', signature, size: r.length };
}

function guidDebugId(guid: string, age: number): string {
  return `${guid.replace(/-/g, '')}${age.toString(16)}`.toUpperCase();
}

/**
 * Breakpad's debug id for an ELF module: the first 16 bytes of the build id read as a GUID
 * (little-endian fields), age 0. Shorter ids are zero-padded.
 */
function elfDebugId(id: Uint8Array): string {
  const padded = new Uint8Array(16);
  padded.set(id.subarray(0, 16));
  return guidDebugId(new BinaryReader(padded, 'build id').guid(0), 0);
}
