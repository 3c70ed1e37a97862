// Synthetic x64 Windows dumps for stack scanning (fixtures/synth/x64-scan.dmp and the cases of
// the patterns that must not be certain on scanned frames).
//
// `x64ScanDump()` is what Windows' MiniDumpNormal gives: the module list, the thread stacks and
// no module code at all, so nothing can unwind a frame exactly and the walker scans on module
// membership (src/engine/unwind/amd64.ts, getCallerByScan). Its stacks are laid out the way the
// Windows x64 ABI leaves them — every return address at 8 mod 16, above a 32-byte home area —
// with, between the real return addresses, values a scan on module membership alone would
// take and the walker's bounds reject:
//   thread 0x1d30 (faulting): app!crash ← app!foo ← app!main ← kernel32 ← ntdll, four callers
//     found by scanning, past a callback pointer in a home area, a module address at a slot a
//     CALL cannot leave it at (0 mod 16), a module base (an HMODULE in a local: the PE header
//     page), and, beyond the 40-word window above the last frame, one more module address;
//   thread 0x1d34: a loop of two return addresses repeating to the end of its stack, more than
//     the 256-frame cap holds, which the walker's run cap (64 guesses in a row) ends first;
//   thread 0x1d38: a stack pointer outside every captured range: frame 0 only.
//
// `namedStacksDump(how)` is one process written twice: with each module's image in the dump,
// exports naming its functions and a CALL before every return address, and either with .pdata
// for every function ('unwind': the walker unwinds each frame exactly) or with none ('scan': it
// finds the same frames by scanning, checked against the CALLs). Three threads:
//   0x1b5c, the main thread: win32u!NtUserGetMessage ← user32!GetMessageW ← App!wWinMain ←
//     kernel32!BaseThreadInitThunk ← ntdll!RtlUserThreadStart;
//   0x2a40, a debugger's break-in thread: ntdll!DbgBreakPoint ← ntdll!DbgUiRemoteBreakin ←
//     kernel32 ← ntdll, holding the stored exception, 0x80000003 at DbgBreakPoint;
//   0x1f08, a worker whose stack goes on past ntdll!RtlUserThreadStart into App!JobWorker (a
//     value where the thread's first frame should be the last).
// The same facts with frames found two ways: what a detector may call certain on the first, it
// may not on the second.
import { contextAmd64 } from './context-writers.ts';
import { MemoryImage } from './memory-image.ts';
import { MinidumpBuilder } from './minidump-builder.ts';
import { buildPe, type RuntimeFunctionSpec } from './pe-builder.ts';

interface ModuleDef {
  path: string;
  base: bigint;
  size: number;
  /** Exported functions: RVA and the bytes the function's frame takes below its return address. */
  functions: Record<string, { rva: number; frame: number }>;
}

const STAMP = 0x6502a1c4;
const WIN = { arch: 'amd64', major: 10, minor: 0, build: 19045, cpuCount: 8, productType: 1, vendorId: 'GenuineIntel' } as const;

// ---------------------------------------------------------------------------------------------
// x64-scan.dmp: no module code.

const APP = 0x7ff6_4000_0000n;
const NTDLL = 0x7ffd_3b8b_0000n;
const KERNEL32 = 0x7ffd_3a6d_0000n;
const KERNELBASE = 0x7ffd_3918_0000n;

const SCAN_MODULES = [
  { name: 'C:\\Tools\\app.exe', base: APP, size: 0x40000 },
  { name: 'C:\\Windows\\System32\\ntdll.dll', base: NTDLL, size: 0x1f8000 },
  { name: 'C:\\Windows\\System32\\kernel32.dll', base: KERNEL32, size: 0xbd000 },
  { name: 'C:\\Windows\\System32\\KERNELBASE.dll', base: KERNELBASE, size: 0x2f6000 },
];

/** Where the values of thread 0x1d30 sit, for the tests to name. */
export const SCAN_LAYOUT = {
  thread: 0x1d30,
  rsp: 0x0000_00a3_f9b7_e700n,
  crash: APP + 0x10d9n,
  /** The four callers, as [return address, its slot]. */
  callers: [
    [APP + 0x1171n, 0x0000_00a3_f9b7_e728n],
    [APP + 0x105dn, 0x0000_00a3_f9b7_e778n],
    [KERNEL32 + 0x17034n, 0x0000_00a3_f9b7_e7a8n],
    [NTDLL + 0x52651n, 0x0000_00a3_f9b7_e7d8n],
  ] as [bigint, bigint][],
  /** Values in module ranges the walker must not take, as [value, slot, the bound that rejects it]. */
  rejected: [
    [APP + 0x2500n, 0x0000_00a3_f9b7_e738n, 'home area'],
    [NTDLL + 0x12345n, 0x0000_00a3_f9b7_e750n, 'alignment'],
    [KERNEL32, 0x0000_00a3_f9b7_e758n, 'header page'],
    [NTDLL + 0x4000n, 0x0000_00a3_f9b7_e7e0n + 32n + 40n * 8n + 8n, 'window'],
  ] as [bigint, bigint, string][],
  loopThread: 0x1d34,
  loopRsp: 0x0000_00a3_f9c7_0000n,
  loop: [APP + 0x2222n, APP + 0x2333n] as [bigint, bigint],
  lostThread: 0x1d38,
} as const;

/** MiniDumpNormal of a crash: modules, stacks, and no byte of module code. */
export function x64ScanDump(): MinidumpBuilder {
  const L = SCAN_LAYOUT;
  const b = new MinidumpBuilder({ timestamp: STAMP });
  b.systemInfo(WIN);
  b.miscInfo({ processId: 0x2e70, processCreateTime: STAMP - 60 });
  for (const m of SCAN_MODULES) b.module({ name: m.name, base: m.base, size: m.size, timestamp: STAMP });

  // Thread 0x1d30: callers at the ABI's slots, garbage between them, zeros to the end.
  const stack = new MemoryImage().reserve(L.rsp, 0x600);
  stack.u64(L.rsp + 0x10n, 0x1234n); // a local that is no address
  for (const [value, slot] of L.callers) stack.u64(slot, value);
  for (const [value, slot] of L.rejected) stack.u64(slot, value);
  b.thread({ id: L.thread, teb: 0xa3f9e1d000n, stack: stack.ranges()[0]!, context: contextAmd64({ rip: L.crash, rsp: L.rsp, contextFlags: 0x10001f }) });

  // Thread 0x1d34: two return addresses alternating every 0x30 bytes, the smallest x64 frame
  // (return address + home area + alignment), from the stack pointer to the end of the stack.
  const loopSize = 0x3400;
  const loop = new MemoryImage().reserve(L.loopRsp, loopSize);
  for (let at = 8, i = 0; at < loopSize; at += 0x30, i++) loop.u64(L.loopRsp + BigInt(at), L.loop[i % 2]!);
  b.thread({ id: L.loopThread, teb: 0xa3f9e1f000n, stack: loop.ranges()[0]!, context: contextAmd64({ rip: L.loop[0] - 0x20n, rsp: L.loopRsp, contextFlags: 0x10001f }) });

  // Thread 0x1d38: its stack descriptor and context disagree; no captured memory at RSP.
  b.thread({
    id: L.lostThread,
    teb: 0xa3f9e21000n,
    stack: { address: 0xa3f9d7f000n, bytes: new Uint8Array(0x100) },
    context: contextAmd64({ rip: NTDLL + 0x9d3f4n, rsp: 0x5000_0000n, contextFlags: 0x10001f }),
  });

  b.exception({ threadId: L.thread, code: 0xc0000005, address: L.crash, parameters: [1, 0], context: contextAmd64({ rip: L.crash, rsp: L.rsp, contextFlags: 0x10001f }) });
  return b;
}

// ---------------------------------------------------------------------------------------------
// Named stacks, found by unwind info or by scanning.

const NAMED_MODULES: readonly ModuleDef[] = [
  {
    path: 'C:\\Program Files\\Contoso\\App\\App.exe',
    base: 0x7ff70b3c0000n,
    size: 0x2a000,
    functions: { wWinMain: { rva: 0x1a40, frame: 0x88 }, JobWorker: { rva: 0x5e30, frame: 0x38 } },
  },
  {
    path: 'C:\\Windows\\System32\\ntdll.dll',
    base: 0x7ffd3b8b0000n,
    size: 0x1f8000,
    functions: {
      DbgBreakPoint: { rva: 0x2c70, frame: 0 },
      DbgUiRemoteBreakin: { rva: 0x3a1a0, frame: 0x28 },
      RtlUserThreadStart: { rva: 0x52b30, frame: 0x78 },
      NtWaitForSingleObject: { rva: 0x9d3e0, frame: 0 },
    },
  },
  {
    path: 'C:\\Windows\\System32\\KERNELBASE.dll',
    base: 0x7ffd39180000n,
    size: 0x2f6000,
    functions: { WaitForSingleObjectEx: { rva: 0x2d760, frame: 0x98 } },
  },
  {
    path: 'C:\\Windows\\System32\\kernel32.dll',
    base: 0x7ffd3a6d0000n,
    size: 0xbd000,
    functions: { BaseThreadInitThunk: { rva: 0x17360, frame: 0x28 } },
  },
  {
    path: 'C:\\Windows\\System32\\win32u.dll',
    base: 0x7ffd39640000n,
    size: 0x22000,
    functions: { NtUserGetMessage: { rva: 0x1460, frame: 0 } },
  },
  {
    path: 'C:\\Windows\\System32\\user32.dll',
    base: 0x7ffd3c080000n,
    size: 0x19d000,
    functions: { GetMessageW: { rva: 0x27d90, frame: 0x58 } },
  },
];

const NAMED_THREADS: readonly { id: number; teb: bigint; rsp: bigint; frames: string[] }[] = [
  {
    id: 0x1b5c,
    teb: 0xa3f9e1d000n,
    rsp: 0xa3f9b7e7d8n,
    frames: ['win32u!NtUserGetMessage+0x14', 'user32!GetMessageW+0x2e', 'App!wWinMain+0x9a', 'kernel32!BaseThreadInitThunk+0x14', 'ntdll!RtlUserThreadStart+0x21'],
  },
  {
    id: 0x2a40,
    teb: 0xa3f9e1f000n,
    rsp: 0xa3f9c7f5a8n,
    frames: ['ntdll!DbgBreakPoint+0x0', 'ntdll!DbgUiRemoteBreakin+0x4e', 'kernel32!BaseThreadInitThunk+0x14', 'ntdll!RtlUserThreadStart+0x21'],
  },
  {
    id: 0x1f08,
    teb: 0xa3f9e21000n,
    rsp: 0xa3f9d7f548n,
    frames: [
      'ntdll!NtWaitForSingleObject+0x14',
      'KERNELBASE!WaitForSingleObjectEx+0x8e',
      'App!JobWorker+0x26',
      'kernel32!BaseThreadInitThunk+0x14',
      'ntdll!RtlUserThreadStart+0x21',
      'App!JobWorker+0x26',
    ],
  },
];

/** The break-in thread and where it stopped. */
export const BREAK_IN = { thread: 0x2a40, address: 0x7ffd3b8b2c70n } as const;

function shortName(path: string): string {
  return path.split('\\').pop()!.replace(/\.(dll|exe)$/i, '');
}

/** "ntdll!NtWaitForSingleObject+0x14" → its module, its function's start and frame, the address. */
function place(text: string): { module: ModuleDef; start: bigint; frame: number; address: bigint } {
  const m = /^([^!]+)!(.+)\+0x([0-9a-f]+)$/.exec(text);
  if (!m) throw new Error(`bad frame ${text}`);
  const module = NAMED_MODULES.find((d) => shortName(d.path).toLowerCase() === m[1]!.toLowerCase());
  const fn = module?.functions[m[2]!];
  if (!module || !fn) throw new Error(`no function ${m[2]} in ${m[1]}`);
  const start = module.base + BigInt(fn.rva);
  return { module, start, frame: fn.frame, address: start + BigInt(parseInt(m[3]!, 16)) };
}

export function namedStacksDump(how: 'unwind' | 'scan'): MinidumpBuilder {
  const code = new Map<ModuleDef, { offset: number; bytes: Uint8Array }[]>();
  const b = new MinidumpBuilder({ timestamp: STAMP });
  b.systemInfo(WIN);
  b.miscInfo({ processId: 0x2e70, processCreateTime: STAMP - 600 });
  for (const t of NAMED_THREADS) {
    const places = t.frames.map(place);
    const stack = new MemoryImage();
    let sp = t.rsp;
    places.forEach((p, i) => {
      // The return address sits just above the frame the function allocated; the outermost
      // frame returns to 0, where a walk by unwind info ends.
      const caller = places[i + 1];
      const slot = sp + BigInt(p.frame);
      stack.u64(slot, caller ? caller.address : 0n);
      if (caller) {
        // int3 padding, then CALL rel32 ending at the return address: the 7 bytes a scan reads
        // to check the longest CALL form.
        const call = Uint8Array.of(0xcc, 0xcc, 0xe8, 0, 0, 0, 0);
        new DataView(call.buffer).setInt32(3, Number(BigInt.asIntN(32, p.start - caller.address)), true);
        const list = code.get(caller.module) ?? [];
        list.push({ offset: Number(caller.address - 7n - caller.module.base) - 0x1000, bytes: call });
        code.set(caller.module, list);
      }
      sp = slot + 8n;
    });
    stack.reserve(t.rsp, Number(sp - t.rsp) + 0x40);
    b.thread({ id: t.id, teb: t.teb, stack: stack.ranges()[0]!, context: contextAmd64({ rip: places[0]!.address, rsp: t.rsp, contextFlags: 0x10001f }) });
  }
  const mem = new MemoryImage();
  for (const m of NAMED_MODULES) {
    const fns = Object.entries(m.functions).sort((x, y) => x[1].rva - y[1].rva);
    const pdata = fns.map(([, f], i): RuntimeFunctionSpec => {
      const next = fns[i + 1];
      const end = Math.min(f.rva + 0x400, next ? next[1].rva : f.rva + 0x400);
      return {
        begin: f.rva,
        end,
        unwind:
          f.frame === 0
            ? { prologSize: 0, codes: [] }
            : { prologSize: 4, codes: [f.frame <= 128 ? { op: 'alloc-small', at: 4, size: f.frame } : { op: 'alloc-large', at: 4, size: f.frame }] },
      };
    });
    const pe = buildPe({
      machine: 'amd64',
      imageBase: m.base,
      timestamp: STAMP,
      dll: !m.path.endsWith('.exe'),
      text: { size: m.size - 0x3000, chunks: code.get(m) ?? [] },
      exports: { dllName: m.path.split('\\').pop()!, functions: fns.map(([fn, f]) => ({ name: fn, rva: f.rva })) },
      ...(how === 'unwind' ? { pdata } : {}),
      sizeOfImage: m.size,
    });
    b.module({ name: m.path, base: m.base, size: m.size, timestamp: STAMP });
    for (const piece of pe.mapped) mem.write(m.base + BigInt(piece.rva), piece.bytes);
  }
  for (const r of mem.ranges()) b.memory(r.address, r.bytes);
  const brk = NAMED_THREADS[1]!;
  b.exception({
    threadId: brk.id,
    code: 0x80000003,
    address: BREAK_IN.address,
    parameters: [0],
    context: contextAmd64({ rip: BREAK_IN.address, rsp: brk.rsp, contextFlags: 0x10001f }),
  });
  return b;
}
