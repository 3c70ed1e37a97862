// A large full-memory x64 dump with real stack-walking work in it, written without holding it
// in memory: three PE32+ modules with .pdata/UNWIND_INFO mapped into the dump, N threads whose
// stacks are D frames deep (every frame found by unwind info, as in a real Windows dump), and
// the rest of the claimed size as Memory64List ranges left as file holes. Two dumps with the
// same threads and different sizes must cost the analysis about the same: the work is in the
// threads and frames, not in the bytes.
import { open } from 'node:fs/promises';
import { contextAmd64 } from '../test/synth/context-writers.ts';
import { MinidumpBuilder } from '../test/synth/minidump-builder.ts';
import { buildPe, TEXT_RVA, type RuntimeFunctionSpec } from '../test/synth/pe-builder.ts';

export interface BenchDumpOptions {
  /** Bytes of process memory the dump claims, beyond the modules and stacks. */
  totalBytes: bigint;
  threads: number;
  /** Frames per thread, frame 0 included. */
  depth: number;
  /** Size of each Memory64List range of the bulk; real full dumps have thousands. Default 1 MiB. */
  rangeSize?: bigint;
}

export interface BenchDump {
  path: string;
  fileSize: bigint;
  ranges: number;
}

// Every function is 0x40 bytes: `sub rsp, 0x28` (the prolog, 4 bytes), then `call rel32` at
// offset 4, so its return address is function start + 9; unwinding one frame pops 0x28 + 8.
const FN_SIZE = 0x40;
const FRAME = 0x30n;
const RETURN_OFFSET = 9;
const FUNCTIONS = 64;

interface Module {
  name: string;
  base: bigint;
  /** Function i starts at base + TEXT_RVA + i * FN_SIZE. */
  fn(i: number): bigint;
}

function functionBytes(): Uint8Array {
  const text = new Uint8Array(FUNCTIONS * FN_SIZE);
  for (let i = 0; i < FUNCTIONS; i++) {
    const at = i * FN_SIZE;
    text.set([0x48, 0x83, 0xec, 0x28], at); // sub rsp, 0x28
    text.set([0xe8, 0x00, 0x00, 0x00, 0x00], at + 4); // call rel32
    text.set([0x48, 0x83, 0xc4, 0x28, 0xc3], at + RETURN_OFFSET); // add rsp, 0x28; ret
  }
  return text;
}

function addModule(b: MinidumpBuilder, name: string, path: string, base: bigint, dll: boolean): Module {
  const pdata: RuntimeFunctionSpec[] = [];
  for (let i = 0; i < FUNCTIONS; i++) {
    const begin = TEXT_RVA + i * FN_SIZE;
    pdata.push({ begin, end: begin + FN_SIZE, unwind: { prologSize: 4, codes: [{ op: 'alloc-small', at: 4, size: 0x28 }] } });
  }
  const pe = buildPe({
    machine: 'amd64',
    imageBase: base,
    dll,
    text: { size: FUNCTIONS * FN_SIZE, chunks: [{ offset: 0, bytes: functionBytes() }] },
    exports: { dllName: name, functions: Array.from({ length: FUNCTIONS }, (_, i) => ({ name: `Function${i}`, rva: TEXT_RVA + i * FN_SIZE })) },
    pdata,
    codeView: { pdb: name.replace(/\.\w+$/, '.pdb'), guid: '6382fb86-4046-c446-ae42-8d97b3f91ff2', age: 1 },
  });
  b.module({ name: path, base, size: pe.sizeOfImage, timestamp: 0x5f000000 });
  for (const piece of pe.mapped) b.memory(base + BigInt(piece.rva), piece.bytes);
  return { name, base, fn: (i) => base + BigInt(TEXT_RVA + (i % FUNCTIONS) * FN_SIZE) };
}

export async function writeBenchDump(path: string, options: BenchDumpOptions): Promise<BenchDump> {
  const rangeSize = options.rangeSize ?? 1n << 20n;
  const b = new MinidumpBuilder({ memory: 'list64', flags: 0x2n /* MiniDumpWithFullMemory */, timestamp: 0x65000100 });
  b.systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045, cpuCount: 8, productType: 1, vendorId: 'GenuineIntel' });
  b.miscInfo({ processId: 0x1234, processCreateTime: 0x65000000 });
  const app = addModule(b, 'app.exe', 'C:\\Program Files\\App\\app.exe', 0x7ff6_1000_0000n, false);
  const kernel32 = addModule(b, 'kernel32.dll', 'C:\\Windows\\System32\\kernel32.dll', 0x7ffb_2000_0000n, true);
  const ntdll = addModule(b, 'ntdll.dll', 'C:\\Windows\\System32\\ntdll.dll', 0x7ffb_3000_0000n, true);

  let stackBase = 0x20_0000_0000n;
  for (let t = 0; t < options.threads; t++) {
    const depth = Math.max(3, options.depth);
    const size = Number(FRAME) * (depth + 4);
    const stack = new Uint8Array(size);
    const view = new DataView(stack.buffer);
    const rsp = stackBase;
    // Frame k's return address (into frame k+1's function) sits at rsp_k + 0x28; the last two
    // frames are kernel32 and ntdll, as a Windows thread starts; a zero return ends the stack.
    const caller = (k: number): bigint =>
      k === depth - 2 ? kernel32.fn(t) : k === depth - 1 ? ntdll.fn(t) : app.fn(t * 7 + k);
    for (let k = 0; k < depth; k++) {
      const ret = k + 1 < depth ? caller(k + 1) + BigInt(RETURN_OFFSET) : 0n;
      view.setBigUint64(k * Number(FRAME) + 0x28, ret, true);
    }
    const rip = caller(0) + BigInt(RETURN_OFFSET);
    const ctx = contextAmd64({ rip, rsp });
    b.thread({ id: 0x100 + t * 4, teb: 0x7ffd_0000_0000n + BigInt(t) * 0x2000n, stack: { address: rsp, bytes: stack }, context: ctx });
    if (t === 0) b.exception({ threadId: 0x100, code: 0xc0000005, address: rip, parameters: [0, 0], context: ctx });
    stackBase += 0x10_0000n;
  }

  let address = 0x1_0000_0000n;
  let left = options.totalBytes;
  let ranges = 0;
  while (left > 0n) {
    const size = left < rangeSize ? left : rangeSize;
    b.declareMemory64(address, size);
    address += size + 0x1000n;
    left -= size;
    ranges++;
  }
  const built = b.build();
  const fh = await open(path, 'w');
  try {
    await fh.write(built.bytes, 0, built.bytes.length, 0);
    const last = built.declaredMemory64[built.declaredMemory64.length - 1];
    const fileSize = last ? last.rva + last.size : BigInt(built.bytes.length);
    // The bulk is never read by a stack walk: leave it as a hole.
    await fh.truncate(Number(fileSize));
    return { path, fileSize, ranges };
  } finally {
    await fh.close();
  }
}
