// A PE image whose export directory is as expensive to read as the format allows: up to
// 65,536 functions (ordinals are 16-bit) and as many names, every name pointing at one long
// string and, as forwarders, every function too (a function RVA inside the export directory
// is a forwarder string by definition). One copy of the string in the file becomes 2 × N
// decoded strings in a reader that does not share them. pe-builder's exportDirectory writes
// one string per name, as linkers do, so the directory is written here.
import { buildPeFromSections, flatImage, SCN_CODE_EXECUTE_READ, TEXT_RVA } from '../pe-builder.ts';
import type { BuiltPeImage } from '../pe-builder.ts';

export interface ExportBombOptions {
  /** Functions and names (≤ 65,536 is all a reader is obliged to take). Default 65,536. */
  functions?: number;
  /** Length of the one shared name, without its NUL. Default 1,023 (just under the readers' 1 KiB cap). */
  nameLength?: number;
  /** Every function RVA points at the name string inside the directory: a forwarder. Default true. */
  forwarders?: boolean;
  /** Each name its own string instead of one shared (costs nameLength × functions bytes of file). */
  distinctNames?: boolean;
  machine?: 'x86' | 'amd64';
  /** Code at the start of .text (call sites the walkers check return addresses against). */
  code?: Uint8Array;
  timestamp?: number;
}

export interface ExportBombImage {
  pe: BuiltPeImage;
  /** The image as the loader maps it (RVA = offset), for dump memory. */
  mapped: Uint8Array;
  /** The image as a file, for --images. */
  file: Uint8Array;
  sizeOfImage: number;
  exportDirRva: number;
  exportDirSize: number;
}

const align = (v: number, a: number): number => Math.ceil(v / a) * a;

/**
 * x86: `nop; nop; call $+5; ret`: the call ends at 0x1007, so a return address of base +
 * 0x1007 passes the walkers' call-site check. amd64: a run of `call $+5`, one every 5 bytes.
 */
export const CALL_SITE_CODE_X86 = Uint8Array.from([0x90, 0x90, 0xe8, 0, 0, 0, 0, 0xc3]);
export const RETURN_RVA_X86 = 0x1007;
export const CALL_SITE_CODE_AMD64 = (() => {
  const out = new Uint8Array(5 * 0x300);
  for (let i = 0; i < out.length; i += 5) out[i] = 0xe8;
  return out;
})();
/** After the third call of CALL_SITE_CODE_AMD64. */
export const RETURN_RVA_AMD64 = 0x100f;

/** The export directory bytes, to sit at `dirRva`. */
export function exportBombDirectory(dirRva: number, o: Required<Pick<ExportBombOptions, 'functions' | 'nameLength' | 'forwarders' | 'distinctNames'>>): Uint8Array {
  const n = o.functions;
  const functionsRva = dirRva + 40;
  const namesRva = functionsRva + 4 * n;
  const ordinalsRva = namesRva + 4 * n;
  const stringsRva = align(ordinalsRva + 2 * n, 4);
  const stride = o.nameLength + 1;
  const strings = o.distinctNames ? n : 1;
  const size = stringsRva + strings * stride - dirRva;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  const at = (rva: number): number => rva - dirRva;
  v.setUint32(12, stringsRva, true); // Name: the DLL's own name is the same string
  v.setUint32(16, 1, true); // Base
  v.setUint32(20, n, true);
  v.setUint32(24, n, true);
  v.setUint32(28, functionsRva, true);
  v.setUint32(32, namesRva, true);
  v.setUint32(36, ordinalsRva, true);
  for (let i = 0; i < n; i++) {
    const nameRva = stringsRva + (o.distinctNames ? i * stride : 0);
    v.setUint32(at(functionsRva) + 4 * i, o.forwarders ? nameRva : TEXT_RVA + (i % 0x100), true);
    v.setUint32(at(namesRva) + 4 * i, nameRva, true);
    v.setUint16(at(ordinalsRva) + 2 * i, i, true);
  }
  for (let s = 0; s < strings; s++) {
    const base = at(stringsRva) + s * stride;
    out.fill(0x41, base, base + o.nameLength); // 'A'
    if (o.distinctNames) {
      // A distinct tail keeps the names distinct (and sorted, as the loader expects).
      const tag = s.toString(16).padStart(5, '0');
      for (let k = 0; k < tag.length && k < o.nameLength; k++) out[base + o.nameLength - tag.length + k] = tag.charCodeAt(k);
    }
  }
  return out;
}

/**
 * The image: one executable section from 0x1000 holding the code and, at 0x2000, the export
 * directory, as the probe's image had it (an export in the code section is what a nearest-
 * export namer looks for).
 */
export function exportBombImage(options: ExportBombOptions = {}): ExportBombImage {
  const o = {
    functions: options.functions ?? 65_536,
    nameLength: options.nameLength ?? 1023,
    forwarders: options.forwarders ?? true,
    distinctNames: options.distinctNames ?? false,
  };
  const machine = options.machine ?? 'x86';
  const code = options.code ?? (machine === 'x86' ? CALL_SITE_CODE_X86 : CALL_SITE_CODE_AMD64);
  const dirRva = align(TEXT_RVA + code.length, 0x1000);
  const dir = exportBombDirectory(dirRva, o);
  const section = new Uint8Array(align(dirRva - TEXT_RVA + dir.length, 0x1000));
  section.set(code, 0);
  section.set(dir, dirRva - TEXT_RVA);
  const pe = buildPeFromSections({
    machine,
    imageBase: machine === 'x86' ? 0x10000000 : 0x180000000n,
    dll: true,
    ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
    sections: [{ name: '.text', rva: TEXT_RVA, bytes: section, characteristics: SCN_CODE_EXECUTE_READ }],
    directories: { 0: { rva: dirRva, size: dir.length } },
  });
  return { pe, mapped: flatImage(pe), file: pe.file, sizeOfImage: pe.sizeOfImage, exportDirRva: dirRva, exportDirSize: dir.length };
}
