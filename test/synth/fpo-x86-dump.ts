// An x86 crash dump of fixtures/symbols/fpo-x86.exe, laid out by hand because Debian's wine64
// runs no 32-bit program: the image mapped at its base from the real file, and a stack exactly
// as the program's code builds it (read off `llvm-objdump-16 -d fpo-x86.exe`) when `leaf`
// stores through NULL inside the inlined `poke`:
//   leaf  (0x4014e0, -fomit-frame-pointer): push edi; push esi; sub esp, 0x20  — the store at
//         0x401538; its args p, a, b were pushed by mid
//   mid   (0x401550, no frame pointer, EBP is its loop counter): push ebp/ebx/edi/esi, then
//         push edi; push ebp; push ebx; call leaf (returns to 0x401578)
//   main  (0x401590, an EBP frame): push ebp; mov ebp, esp; push esi; sub esp, 8;
//         call mid (returns to 0x4015c2)
// main's saved EBP and return address are zero, the end of the walk. Only the PDB's FRAMEDATA
// can walk leaf and mid: neither keeps a frame pointer, and mid's EBP holds a counter.
import { readFileSync } from 'node:fs';
import { contextX86 } from './context-writers.ts';
import { MinidumpBuilder } from './minidump-builder.ts';

const FIXTURES = new URL('../../fixtures/symbols/', import.meta.url);

export const FPO_X86 = {
  base: 0x400000,
  store: 0x401538,
  returnIntoMid: 0x401578,
  returnIntoMain: 0x4015c2,
  /** leaf's ESP at the fault. */
  esp: 0x0019fe00,
  /** Register values the walk must recover from the saved-register areas. */
  saved: { leafEsi: 0x11111111, leafEdi: 0x22222222, midEsi: 0x33333333, midEdi: 0x44444444, midEbx: 0, mainEsi: 0x55555555 },
} as const;

/** The image as the loader maps it: headers and each section at its RVA. */
export function mapImage(file: Uint8Array): { bytes: Uint8Array; size: number } {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const pe = v.getUint32(0x3c, true);
  const sections = v.getUint16(pe + 6, true);
  const optional = v.getUint16(pe + 20, true);
  const sizeOfImage = v.getUint32(pe + 24 + 56, true);
  const sizeOfHeaders = v.getUint32(pe + 24 + 60, true);
  const out = new Uint8Array(sizeOfImage);
  out.set(file.subarray(0, sizeOfHeaders), 0);
  for (let i = 0; i < sections; i++) {
    const at = pe + 24 + optional + i * 40;
    const rva = v.getUint32(at + 12, true);
    const rawSize = v.getUint32(at + 16, true);
    const rawOffset = v.getUint32(at + 20, true);
    out.set(file.subarray(rawOffset, rawOffset + Math.min(rawSize, sizeOfImage - rva)), rva);
  }
  return { bytes: out, size: sizeOfImage };
}

export function fpoX86Dump(): Uint8Array {
  const f = FPO_X86;
  const image = mapImage(new Uint8Array(readFileSync(new URL('fpo-x86.exe', FIXTURES))));
  const words: number[] = [];
  // leaf: 32 bytes of locals, saved esi, saved edi, the return into mid, its args p, a, b.
  for (let i = 0; i < 8; i++) words.push(i);
  words.push(f.saved.leafEsi, f.saved.leafEdi, f.returnIntoMid, 0, 1, 3);
  // mid (after the pushed args): saved esi, edi, ebx, ebp (main's frame pointer), the return
  // into main, its args p = NULL, n = 3.
  const midSaved = f.esp + 4 * words.length;
  // Past mid's four saved registers, the return and its two args: main's saved esi, then EBP.
  const mainEbp = midSaved + 4 * 8;
  words.push(f.saved.midEsi, f.saved.midEdi, f.saved.midEbx, mainEbp, f.returnIntoMain, 0, 3);
  // main: saved esi at EBP - 4, then EBP: saved EBP 0, return address 0.
  words.push(f.saved.mainEsi, 0, 0);
  const stack = new Uint8Array(words.length * 4 + 64);
  const view = new DataView(stack.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  if (f.esp + 4 * (words.length - 2) !== mainEbp) throw new Error('fpo-x86-dump: stack layout does not add up');

  // At the store: ecx = p (NULL), edx = the value, edi = 3 * 1 + 3 … whatever the loop left;
  // EBP is mid's loop counter (1), not a frame pointer.
  const context = contextX86({ eip: f.store, esp: f.esp, ebp: 1, ecx: 0, edx: 7, esi: 9, edi: 8, ebx: 0, eax: 1 });
  const b = new MinidumpBuilder({ memory: 'list' });
  b.systemInfo({ arch: 'x86', major: 10, minor: 0, build: 19045 });
  b.module({ name: 'C:\\src\\fpo-x86.exe', base: f.base, size: image.size, timestamp: 0 });
  b.memory(f.base, image.bytes);
  b.thread({ id: 0x24, stack: { address: f.esp, bytes: stack }, context });
  b.exception({ threadId: 0x24, code: 0xc0000005, address: f.store, parameters: [1, 0], context });
  return b.build().bytes;
}
