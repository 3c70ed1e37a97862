// The synthetic dump behind fixtures/synth/spiking-thread.dmp and the Spiking Thread cases: a
// 64-bit Windows 10 process ("ReportHub.exe") captured without an exception, as procdump or
// Task Manager write it for a high-CPU complaint: with MiniDumpWithThreadInfo, so the
// ThreadInfoList stream holds every thread's user and kernel time, and a MiscInfo stream with
// the process's times. Four threads: the GUI thread in its message loop, a worker that keeps
// one CPU busy in the program's own code, a job worker waiting for an event, and an idle
// thread-pool worker.
//
// Every module image carries an export table naming its functions and a .pdata entry for each
// one (an entry with no unwind codes where the function has no frame, like a system-call stub),
// so the x64 unwinder walks each stack by unwind info and the frames come out named, with a
// CALL rel32 ending at every return address. Variants keep the same process and change one
// fact, for the near misses: the busy worker waiting instead of running, or every thread's
// times small.
import { contextAmd64 } from './context-writers.ts';
import { MemoryImage } from './memory-image.ts';
import { MinidumpBuilder } from './minidump-builder.ts';
import { buildPe, type RuntimeFunctionSpec } from './pe-builder.ts';

interface ModuleDef {
  path: string;
  base: bigint;
  size: number;
  version: [number, number, number, number];
  /** Exported functions: RVA and the bytes the function's frame takes below its return address. */
  functions: Record<string, { rva: number; frame: number }>;
}

const WIN = [10, 0, 19041, 3636] as [number, number, number, number];

const MODULES: readonly ModuleDef[] = [
  {
    path: 'C:\\Program Files\\Contoso\\ReportHub\\ReportHub.exe',
    base: 0x7ff70b3c0000n,
    size: 0x2a000,
    version: [3, 2, 0, 118],
    functions: {
      wWinMain: { rva: 0x1a40, frame: 0x88 },
      'RuleIndex::FindMatch': { rva: 0x4210, frame: 0x58 },
      'RuleIndex::Rebuild': { rva: 0x4480, frame: 0x98 },
      'RuleIndex::WaitForChanges': { rva: 0x4700, frame: 0x38 },
      IndexWorker: { rva: 0x4a20, frame: 0x38 },
      'JobQueue::Wait': { rva: 0x5c10, frame: 0x48 },
      JobWorker: { rva: 0x5e30, frame: 0x38 },
    },
  },
  {
    path: 'C:\\Windows\\System32\\ntdll.dll',
    base: 0x7ffd3b8b0000n,
    size: 0x1f8000,
    version: WIN,
    functions: {
      RtlUserThreadStart: { rva: 0x52b30, frame: 0x78 },
      TppWorkerThread: { rva: 0x55600, frame: 0x2e8 },
      NtWaitForSingleObject: { rva: 0x9d3e0, frame: 0 },
      NtWaitForWorkViaWorkerFactory: { rva: 0xa0d20, frame: 0 },
    },
  },
  {
    path: 'C:\\Windows\\System32\\KERNELBASE.dll',
    base: 0x7ffd39180000n,
    size: 0x2f6000,
    version: WIN,
    functions: { WaitForSingleObjectEx: { rva: 0x2d760, frame: 0x98 } },
  },
  {
    path: 'C:\\Windows\\System32\\kernel32.dll',
    base: 0x7ffd3a6d0000n,
    size: 0xbd000,
    version: WIN,
    functions: { BaseThreadInitThunk: { rva: 0x17360, frame: 0x28 } },
  },
  {
    path: 'C:\\Windows\\System32\\win32u.dll',
    base: 0x7ffd39640000n,
    size: 0x22000,
    version: WIN,
    functions: { NtUserGetMessage: { rva: 0x1460, frame: 0 } },
  },
  {
    path: 'C:\\Windows\\System32\\user32.dll',
    base: 0x7ffd3c080000n,
    size: 0x19d000,
    version: WIN,
    functions: { GetMessageW: { rva: 0x27d90, frame: 0x58 } },
  },
];

function shortName(path: string): string {
  return path.split('\\').pop()!.replace(/\.(dll|exe)$/i, '');
}

function moduleNamed(name: string): ModuleDef {
  const m = MODULES.find((d) => shortName(d.path).toLowerCase() === name.toLowerCase());
  if (!m) throw new Error(`no module ${name}`);
  return m;
}

/** "ntdll!NtWaitForSingleObject+0x14" → its function and the address it names. */
function place(text: string): { module: ModuleDef; start: bigint; frame: number; address: bigint } {
  const m = /^([^!]+)!(.+)\+0x([0-9a-f]+)$/.exec(text);
  if (!m) throw new Error(`bad frame ${text}`);
  const module = moduleNamed(m[1]!);
  const fn = module.functions[m[2]!];
  if (!fn) throw new Error(`no function ${m[2]} in ${m[1]}`);
  const start = module.base + BigInt(fn.rva);
  return { module, start, frame: fn.frame, address: start + BigInt(parseInt(m[3]!, 16)) };
}

/** A thread as WinDbg's `k` would print it, innermost first, and its ThreadInfo times. */
interface ThreadDef {
  id: number;
  teb: bigint;
  /** Stack pointer at frame 0. */
  rsp: bigint;
  frames: string[];
  /** Seconds since the process started that the thread was created. */
  startedAfter: number;
  userSeconds: number;
  kernelSeconds: number;
}

export type SpikingThreadVariant = 'spinning' | 'waiting' | 'small-times';

export interface SpikingThreadDump {
  builder: MinidumpBuilder;
  /** The busy worker's thread id and the CPU seconds it was given. */
  busy: { id: number; userSeconds: number; kernelSeconds: number };
}

/** Header TimeDateStamp: 2024-10-29 11:42:08 UTC. */
const DUMP_TIME = 1730202128;
/** The process had run 40 minutes when the dump was taken. */
const PROCESS_AGE = 2400;
const FILETIME_UNIX_EPOCH = 116444736000000000n;

function filetime(unixSeconds: number): bigint {
  return FILETIME_UNIX_EPOCH + BigInt(unixSeconds) * 10_000_000n;
}

function ticks(seconds: number): bigint {
  return BigInt(Math.round(seconds * 1e7));
}

function threads(variant: SpikingThreadVariant): ThreadDef[] {
  const busyFrames =
    variant === 'waiting'
      ? [
          'ntdll!NtWaitForSingleObject+0x14',
          'KERNELBASE!WaitForSingleObjectEx+0x8e',
          'ReportHub!RuleIndex::WaitForChanges+0x2b',
          'ReportHub!IndexWorker+0x51',
          'kernel32!BaseThreadInitThunk+0x14',
          'ntdll!RtlUserThreadStart+0x21',
        ]
      : [
          'ReportHub!RuleIndex::FindMatch+0x4c',
          'ReportHub!RuleIndex::Rebuild+0xa1',
          'ReportHub!IndexWorker+0x37',
          'kernel32!BaseThreadInitThunk+0x14',
          'ntdll!RtlUserThreadStart+0x21',
        ];
  const small = variant === 'small-times';
  return [
    {
      id: 0x1b5c,
      teb: 0xa3f9e1d000n,
      rsp: 0xa3f9b7e7d8n,
      frames: [
        'win32u!NtUserGetMessage+0x14',
        'user32!GetMessageW+0x2e',
        'ReportHub!wWinMain+0x9a',
        'kernel32!BaseThreadInitThunk+0x14',
        'ntdll!RtlUserThreadStart+0x21',
      ],
      startedAfter: 0,
      userSeconds: small ? 0.843 : 3.406,
      kernelSeconds: small ? 0.296 : 1.218,
    },
    {
      id: 0x2a40,
      teb: 0xa3f9e1f000n,
      rsp: 0xa3f9c7f5a8n,
      frames: busyFrames,
      startedAfter: 5,
      userSeconds: small ? 1.937 : 196.281,
      kernelSeconds: small ? 0.125 : 4.906,
    },
    {
      id: 0x1f08,
      teb: 0xa3f9e21000n,
      rsp: 0xa3f9d7f548n,
      frames: [
        'ntdll!NtWaitForSingleObject+0x14',
        'KERNELBASE!WaitForSingleObjectEx+0x8e',
        'ReportHub!JobQueue::Wait+0x3d',
        'ReportHub!JobWorker+0x26',
        'kernel32!BaseThreadInitThunk+0x14',
        'ntdll!RtlUserThreadStart+0x21',
      ],
      startedAfter: 5,
      userSeconds: small ? 0.406 : 7.812,
      kernelSeconds: small ? 0.093 : 2.093,
    },
    {
      id: 0x31c4,
      teb: 0xa3f9e23000n,
      rsp: 0xa3f9e7f6f8n,
      frames: [
        'ntdll!NtWaitForWorkViaWorkerFactory+0x14',
        'ntdll!TppWorkerThread+0x2ee',
        'kernel32!BaseThreadInitThunk+0x14',
        'ntdll!RtlUserThreadStart+0x21',
      ],
      startedAfter: 2310,
      userSeconds: 0.156,
      kernelSeconds: 0.062,
    },
  ];
}

/** Builds the dump; `spinning` is the committed fixture. */
export function spikingThreadDump(variant: SpikingThreadVariant = 'spinning'): SpikingThreadDump {
  const code = new Map<ModuleDef, { offset: number; bytes: Uint8Array }[]>();
  const mem = new MemoryImage();
  const b = new MinidumpBuilder({ timestamp: DUMP_TIME, flags: 0x1000n }); // MiniDumpWithThreadInfo
  b.systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045, cpuCount: 8, productType: 1, vendorId: 'GenuineIntel' });
  const defs = threads(variant);
  const processStart = DUMP_TIME - PROCESS_AGE;
  b.miscInfo({
    processId: 0x2e70,
    processCreateTime: processStart,
    processUserTime: Math.round(defs.reduce((s, t) => s + t.userSeconds, 0)),
    processKernelTime: Math.round(defs.reduce((s, t) => s + t.kernelSeconds, 0)),
    buildString: '19041.1.amd64fre.vb_release.191206-1406',
  });

  for (const t of defs) {
    const places = t.frames.map(place);
    const stack = new MemoryImage();
    let sp = t.rsp;
    places.forEach((p, i) => {
      // The return address sits just above the frame the function allocated; the caller's
      // RSP is past it. The outermost frame returns to 0, where a walk ends.
      const caller = places[i + 1];
      const slot = sp + BigInt(p.frame);
      stack.u64(slot, caller ? caller.address : 0n);
      if (caller) {
        const call = new Uint8Array(5);
        call[0] = 0xe8;
        new DataView(call.buffer).setInt32(1, Number(BigInt.asIntN(32, p.start - caller.address)), true);
        const list = code.get(caller.module) ?? [];
        list.push({ offset: Number(caller.address - 5n - caller.module.base) - 0x1000, bytes: call });
        code.set(caller.module, list);
      }
      sp = slot + 8n;
    });
    stack.reserve(t.rsp, Number(sp - t.rsp) + 0x40);
    const ctx = contextAmd64({ rip: places[0]!.address, rsp: t.rsp, contextFlags: 0x10001f });
    b.thread({ id: t.id, teb: t.teb, stack: stack.ranges()[0]!, context: ctx });
    b.threadInfo({
      threadId: t.id,
      createTime: filetime(processStart + t.startedAfter),
      userTime: ticks(t.userSeconds),
      kernelTime: ticks(t.kernelSeconds),
      startAddress: places[places.length - 3]?.start ?? 0n,
      affinity: 0xffn,
    });
  }

  for (const m of MODULES) {
    const name = shortName(m.path);
    const fns = Object.entries(m.functions).sort((x, y) => x[1].rva - y[1].rva);
    const pdata = fns.map(([, f], i): RuntimeFunctionSpec => {
      const next = fns[i + 1];
      const end = Math.min(f.rva + 0x400, next ? next[1].rva : f.rva + 0x400);
      const alloc = f.frame;
      return {
        begin: f.rva,
        end,
        unwind:
          alloc === 0
            ? { prologSize: 0, codes: [] }
            : { prologSize: 4, codes: [alloc <= 128 ? { op: 'alloc-small', at: 4, size: alloc } : { op: 'alloc-large', at: 4, size: alloc }] },
      };
    });
    const pe = buildPe({
      machine: 'amd64',
      imageBase: m.base,
      timestamp: 0x5f1a2b3c,
      dll: !m.path.endsWith('.exe'),
      text: { size: m.size - 0x3000, chunks: code.get(m) ?? [] },
      exports: { dllName: m.path.split('\\').pop()!, functions: fns.map(([fn, f]) => ({ name: fn, rva: f.rva })) },
      pdata,
      codeView: { pdb: `${name.toLowerCase()}.pdb`, guid: '5e1f0c2a-9b7d-4c3e-8a61-2f4d7b9c0e15', age: 1 },
      sizeOfImage: m.size,
    });
    b.module({
      name: m.path,
      base: m.base,
      size: m.size,
      timestamp: 0x5f1a2b3c,
      version: { file: m.version, fileType: m.path.endsWith('.exe') ? 1 : 2 },
      codeView: { pdb: `${name.toLowerCase()}.pdb`, guid: '5e1f0c2a-9b7d-4c3e-8a61-2f4d7b9c0e15', age: 1 },
    });
    for (const piece of pe.mapped) mem.write(m.base + BigInt(piece.rva), piece.bytes);
  }
  for (const r of mem.ranges()) b.memory(r.address, r.bytes);

  const busy = defs[1]!;
  return { builder: b, busy: { id: busy.id, userSeconds: busy.userSeconds, kernelSeconds: busy.kernelSeconds } };
}
