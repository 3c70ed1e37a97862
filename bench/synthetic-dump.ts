// A large full-memory x64 dump with real stack-walking work in it, written without holding it
// in memory: three PE32+ modules with .pdata/UNWIND_INFO mapped into the dump, N threads whose
// stacks are D frames deep (every frame found by unwind info, as in a real Windows dump), and
// the rest of the claimed size as Memory64List ranges left as file holes. Two dumps with the
// same threads and different sizes must cost the analysis about the same: the work is in the
// threads and frames, not in the bytes.
import { open } from 'node:fs/promises';
import { contextAmd64 } from '../test/synth/context-writers.ts';
import { MinidumpBuilder } from '../test/synth/minidump-builder.ts';
import { addUnwindableModule, FRAME, RETURN_OFFSET } from '../test/synth/unwindable-module.ts';

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

const FUNCTIONS = 64;

interface Module {
  name: string;
  base: bigint;
  /** Function i (modulo FUNCTIONS) starts at base + TEXT_RVA + i * FN_SIZE. */
  fn(i: number): bigint;
}

function addModule(b: MinidumpBuilder, name: string, path: string, base: bigint, dll: boolean): Module {
  const m = addUnwindableModule(b, {
    file: name,
    path,
    base,
    functions: FUNCTIONS,
    dll,
    exports: Array.from({ length: FUNCTIONS }, (_, i) => `Function${i}`),
    timestamp: 0x5f000000,
    codeView: { pdb: name.replace(/\.\w+$/, '.pdb'), guid: '6382fb86-4046-c446-ae42-8d97b3f91ff2', age: 1 },
  });
  return { name, base, fn: (i) => m.fn(i % FUNCTIONS) };
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
