// A PE32+ module of identical small functions the AMD64 unwinder walks by unwind info, mapped
// into a dump: each function is 0x40 bytes, `sub rsp, 0x28` (the prolog, 4 bytes), `call rel32`
// at offset 4 (so its return address is function start + 9), then `add rsp, 0x28; ret`, with a
// .pdata entry and UNWIND_INFO saying so. Unwinding one frame pops 0x28 + 8 bytes. The bench's
// large dumps and the failure-bucket dumps build their stacks from these.
import type { MinidumpBuilder } from './minidump-builder.ts';
import { buildPe, TEXT_RVA, type PeSpec, type RuntimeFunctionSpec } from './pe-builder.ts';

export const FN_SIZE = 0x40;
/** Stack bytes of one frame: the 0x28 the prolog allocates, the return address, 8 of padding. */
export const FRAME = 0x30n;
/** Offset of the return address a function's call leaves (just past `call rel32`). */
export const RETURN_OFFSET = 9;

function functionBytes(count: number): Uint8Array {
  const text = new Uint8Array(count * FN_SIZE);
  for (let i = 0; i < count; i++) {
    const at = i * FN_SIZE;
    text.set([0x48, 0x83, 0xec, 0x28], at); // sub rsp, 0x28
    text.set([0xe8, 0x00, 0x00, 0x00, 0x00], at + 4); // call rel32
    text.set([0x48, 0x83, 0xc4, 0x28, 0xc3], at + RETURN_OFFSET); // add rsp, 0x28; ret
  }
  return text;
}

export interface UnwindableModule {
  /** Where the module's function `i` starts. */
  fn(i: number): bigint;
}

/**
 * Builds the module and adds it and its mapped image to `b`. `exports` names the first
 * functions in order (none: an .exe without an export table).
 */
export function addUnwindableModule(
  b: MinidumpBuilder,
  m: { file: string; path: string; base: bigint; functions: number; dll: boolean; exports: string[] | null; timestamp: number; codeView?: PeSpec['codeView'] },
): UnwindableModule {
  const pdata: RuntimeFunctionSpec[] = [];
  for (let i = 0; i < m.functions; i++) {
    const begin = TEXT_RVA + i * FN_SIZE;
    pdata.push({ begin, end: begin + FN_SIZE, unwind: { prologSize: 4, codes: [{ op: 'alloc-small', at: 4, size: 0x28 }] } });
  }
  const pe = buildPe({
    machine: 'amd64',
    imageBase: m.base,
    dll: m.dll,
    timestamp: m.timestamp,
    text: { size: m.functions * FN_SIZE, chunks: [{ offset: 0, bytes: functionBytes(m.functions) }] },
    ...(m.exports ? { exports: { dllName: m.file, functions: m.exports.map((name, i) => ({ name, rva: TEXT_RVA + i * FN_SIZE })) } } : {}),
    pdata,
    ...(m.codeView ? { codeView: m.codeView } : {}),
  });
  b.module({ name: m.path, base: m.base, size: pe.sizeOfImage, timestamp: m.timestamp });
  for (const piece of pe.mapped) b.memory(m.base + BigInt(piece.rva), piece.bytes);
  return { fn: (i) => m.base + BigInt(TEXT_RVA + i * FN_SIZE) };
}
