// Issue 12 fact (Local Buffer Overflow): the instruction at the exception address and the top
// of the stack at the exception. A function whose return address was overwritten faults on its
// own `ret` (x64: the text is not a canonical address) with the overwritten value at the stack
// pointer; telling that apart from any other fault needs exactly these bytes. They come from
// dump memory (Windows and Wine capture bytes around each thread's instruction pointer, full
// dumps everything) or from the module's image when the user supplied it.
import type { FaultBytes } from '../../core/dump-model.ts';
import { hex } from '../../core/hex.ts';
import type { AddressSpace } from '../../memory/address-space.ts';
import type { ModuleLookup } from '../../unwind/types.ts';

/** Instruction bytes read: the longest x86 instruction is 15 bytes. */
export const FAULT_CODE_BYTES = 16;
/** Stack words read from the stack pointer up. */
export const FAULT_STACK_WORDS = 4;

async function codeAt(address: bigint, memory: AddressSpace, modules: ModuleLookup): Promise<Uint8Array | null> {
  const fromDump = await memory.read(address, FAULT_CODE_BYTES);
  if (fromDump) return fromDump;
  const m = modules.moduleAt(address);
  const image = m ? await m.image() : null;
  if (!m || !image) return null;
  const rva = Number(address - m.base);
  for (let n = FAULT_CODE_BYTES; n > 0; n--) {
    // An instruction near the end of a section: take what the section holds.
    const bytes = await image.read(rva, n);
    if (bytes) return bytes;
  }
  return null;
}

export async function faultBytes(address: bigint, sp: bigint | null, width: 4 | 8, memory: AddressSpace, modules: ModuleLookup): Promise<FaultBytes> {
  const code = await codeAt(address, memory, modules);
  const stack: string[] = [];
  if (sp !== null) {
    for (let i = 0; i < FAULT_STACK_WORDS; i++) {
      const b = await memory.read(sp + BigInt(i * width), width);
      if (!b) break;
      const v = new DataView(b.buffer, b.byteOffset, width);
      stack.push(hex(width === 8 ? v.getBigUint64(0, true) : BigInt(v.getUint32(0, true))));
    }
  }
  return { code: code ? [...code].map((x) => x.toString(16).padStart(2, '0')).join('') : null, stack };
}
