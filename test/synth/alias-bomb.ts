// The shapes of findings F1 and F2 of issue 15 (the hostile-input probe), small enough to read:
//  - an "export bomb" image: an export directory as large as the format allows (65,536
//    functions and names), every name pointing at one long string and every function inside
//    the directory (a forwarder by definition);
//  - walkBombDump (F1): M x86 modules whose MemoryList descriptors all alias one copy of that
//    image in the file, and a thread whose EBP chain returns into module k at frame k (a CALL
//    sits before every return address, so each frame passes the call-site check);
//  - threadBombDump (F2): T threads, thread i with its EIP in module i, every module an alias;
//  - walkBombModulesOnly: the same walk with no image in the dump, the modules all named
//    evil.dll, for the image given as a file (the --images vector).
// A reader that parses an export table per module, keeps every table and decodes every name
// holds M × 65,536 × 2 strings of a kilobyte.
import { Section } from './section.ts';
import { buildPeFromSections, flatImage, SCN_CODE_EXECUTE_READ, SCN_INITIALIZED_READ, type BuiltPeImage } from './pe-builder.ts';
import { MinidumpWriter, systemInfo, threadList, x86Context } from './raw-minidump-writer.ts';
import { StreamType } from './minidump-format.ts';

export interface ExportBombOptions {
  /** Functions and names; default 65,536. */
  functions?: number;
  /** Length of the one shared name; default 1,023 (just under the reader's 1 KiB cap). */
  nameLength?: number;
}

/** `nop; nop; call $+5; ret`: a return address of base + RETURN_RVA follows a CALL. */
const CODE = Uint8Array.from([0x90, 0x90, 0xe8, 0, 0, 0, 0, 0xc3]);
export const RETURN_RVA = 0x1007;
const EDATA_RVA = 0x2000;
const PROCESSOR_ARCHITECTURE_INTEL = 0;

export function exportBombImage(options: ExportBombOptions = {}): BuiltPeImage {
  const n = options.functions ?? 65_536;
  const nameLength = options.nameLength ?? 1023;
  const functionsRva = EDATA_RVA + 40;
  const namesRva = functionsRva + 4 * n;
  const ordinalsRva = namesRva + 4 * n;
  const stringRva = ordinalsRva + 2 * n;
  const size = stringRva - EDATA_RVA + nameLength + 1;
  const dir = new Section()
    .u32(0).u32(0).u16(0).u16(0)
    .u32(stringRva) // the DLL's name: the long string too
    .u32(1).u32(n).u32(n).u32(functionsRva).u32(namesRva).u32(ordinalsRva);
  for (let i = 0; i < n; i++) dir.u32(stringRva); // every function a forwarder to the string
  for (let i = 0; i < n; i++) dir.u32(stringRva); // every name the string
  for (let i = 0; i < n; i++) dir.u16(i);
  dir.bytes(new Uint8Array(nameLength).fill(0x41)).u8(0);
  const edata = dir.toBytes();
  return buildPeFromSections({
    machine: 'x86',
    imageBase: 0x10000000,
    dll: true,
    timestamp: 0x5f000000,
    sections: [
      { name: '.text', rva: 0x1000, bytes: CODE, characteristics: SCN_CODE_EXECUTE_READ },
      { name: '.edata', rva: EDATA_RVA, bytes: edata, characteristics: SCN_INITIALIZED_READ },
    ],
    directories: { 0: { rva: EDATA_RVA, size } },
  });
}

/** Module k's base, 1 MiB-aligned strides past the image. */
function bases(count: number, sizeOfImage: number): number[] {
  const stride = Math.ceil(sizeOfImage / 0x100000) * 0x100000;
  return Array.from({ length: count }, (_, k) => 0x10000000 + k * stride);
}

function modules(w: MinidumpWriter, at: number[], sizeOfImage: number, name: (k: number) => string): Uint8Array {
  const b = new Section().u32(at.length);
  for (const [k, base] of at.entries()) {
    const nameRva = w.string(name(k));
    b.u64(BigInt(base)).u32(sizeOfImage).u32(0).u32(0x5f000000).u32(nameRva).zeros(52).u32(0).u32(0).u32(0).u32(0).u64(0).u64(0);
  }
  return b.toBytes();
}

/** A MemoryList whose descriptors map one RVA at many addresses, plus ordinary ranges. */
function memoryList(aliases: { base: number; size: number; rva: number }[]): Uint8Array {
  const b = new Section().u32(aliases.length);
  for (const a of aliases) b.u64(BigInt(a.base)).u32(a.size).u32(a.rva);
  return b.toBytes();
}

/** One x86 stack of `frames` EBP-chain frames at `sp`, returning into `targets[k]` at frame k. */
function ebpChain(sp: number, targets: number[]): Uint8Array {
  const stack = new Uint8Array(targets.length * 8 + 16);
  const v = new DataView(stack.buffer);
  for (let k = 0; k < targets.length; k++) {
    v.setUint32(8 * k, sp + 8 * (k + 1), true);
    v.setUint32(8 * k + 4, targets[k]!, true);
  }
  return stack;
}

export interface AliasBombOptions extends ExportBombOptions {
  /** Modules, each a frame of the walk; default 256. */
  modules?: number;
}

/** F1: M aliased modules and one thread walking through all of them. */
export function walkBombDump(options: AliasBombOptions = {}): Uint8Array {
  const count = options.modules ?? 256;
  const image = exportBombImage(options);
  const at = bases(count, image.sizeOfImage);
  const w = new MinidumpWriter();
  w.stream(StreamType.SystemInfo, systemInfo(PROCESSOR_ARCHITECTURE_INTEL));
  w.stream(StreamType.ModuleList, modules(w, at, image.sizeOfImage, (k) => `C:\\evil\\m${k}.dll`));
  const imageRva = w.append(flatImage(image));
  const sp = 0x00800000;
  const stack = ebpChain(sp, at.map((_, k) => at[(k + 1) % count]! + RETURN_RVA));
  const stackRva = w.append(stack);
  w.stream(StreamType.ThreadList, threadList(w, [{ id: 1, stackBase: BigInt(sp), stack, context: x86Context({ eip: at[0]! + RETURN_RVA, esp: sp, ebp: sp }) }]));
  w.stream(StreamType.MemoryList, memoryList([...at.map((base) => ({ base, size: image.sizeOfImage, rva: imageRva })), { base: sp, size: stack.length, rva: stackRva }]));
  return w.finish();
}

/** F2: T threads, thread i at an instruction of module i, every module an alias of one image. */
export function threadBombDump(options: ExportBombOptions & { threads?: number } = {}): Uint8Array {
  const count = options.threads ?? 2000;
  const image = exportBombImage(options);
  const at = bases(count, image.sizeOfImage);
  const w = new MinidumpWriter();
  w.stream(StreamType.SystemInfo, systemInfo(PROCESSOR_ARCHITECTURE_INTEL));
  w.stream(StreamType.ModuleList, modules(w, at, image.sizeOfImage, (k) => `C:\\evil\\m${k}.dll`));
  const imageRva = w.append(flatImage(image));
  w.stream(StreamType.ThreadList, threadList(w, at.map((base, i) => ({ id: i + 1, context: x86Context({ eip: base + 0x1000, esp: 0x700000, ebp: 0 }) }))));
  w.stream(StreamType.MemoryList, memoryList(at.map((base) => ({ base, size: image.sizeOfImage, rva: imageRva }))));
  return w.finish();
}

/** The --images vector of F1: no image in the dump, M modules named evil.dll, and the image as a file. */
export function walkBombModulesOnly(options: AliasBombOptions = {}): { dump: Uint8Array; image: Uint8Array } {
  const count = options.modules ?? 256;
  const image = exportBombImage(options);
  const at = bases(count, image.sizeOfImage);
  const w = new MinidumpWriter();
  w.stream(StreamType.SystemInfo, systemInfo(PROCESSOR_ARCHITECTURE_INTEL));
  w.stream(StreamType.ModuleList, modules(w, at, image.sizeOfImage, () => 'C:\\x\\evil.dll'));
  const sp = 0x00800000;
  const stack = ebpChain(sp, at.map((_, k) => at[(k + 1) % count]! + RETURN_RVA));
  const stackRva = w.append(stack);
  w.stream(StreamType.ThreadList, threadList(w, [{ id: 1, stackBase: BigInt(sp), stack, context: x86Context({ eip: at[0]! + RETURN_RVA, esp: sp, ebp: sp }) }]));
  w.stream(StreamType.MemoryList, memoryList([{ base: sp, size: stack.length, rva: stackRva }]));
  return { dump: w.finish(), image: image.file };
}
