// Dumps of one program crashing, as two machines would write them, for the failure-bucket
// tests: the same crash must get one bucket however the runs differ in what does not matter
// (where each module was loaded, the process and thread ids, the time, other threads), and a
// different crash another. The program: app.exe (no exports, so its frames read app+0x…)
// calls crashlib.dll's exported parse_record, which writes through NULL ("same"), or
// app.exe's own average_latency divides by zero ("other"). Every function is the same
// 0x40-byte shape with unwind info, so the AMD64 unwinder walks each stack as in a real dump.
import { contextAmd64 } from './context-writers.ts';
import { MinidumpBuilder } from './minidump-builder.ts';
import { addUnwindableModule, FRAME, RETURN_OFFSET, type UnwindableModule } from './unwindable-module.ts';

/** How one run differs from another: nothing here may change the bucket. */
export interface CrashRun {
  crash: 'same' | 'other';
  /** Where crashlib.dll was loaded (relocated in another run). */
  libBase: bigint;
  exeBase: bigint;
  /** Windows' own DLLs also sit elsewhere on another machine (another build, ASLR). */
  systemBase: bigint;
  processId: number;
  /** The faulting thread's id; a second, waiting thread gets the next id. */
  threadId: number;
  /** time_t of the dump. */
  time: number;
}

/** Functions in each module: enough for the exports and the chains below. */
const FUNCTIONS = 8;

function place(b: MinidumpBuilder, file: string, path: string, base: bigint, exports: string[] | null, timestamp: number): UnwindableModule {
  return addUnwindableModule(b, { file, path, base, functions: FUNCTIONS, dll: exports !== null, exports, timestamp });
}

/** Writes the dump of one run. */
export function bucketDump(run: CrashRun): Uint8Array {
  const b = new MinidumpBuilder({ timestamp: run.time });
  b.systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045, cpuCount: 4, productType: 1, vendorId: 'GenuineIntel' });
  b.miscInfo({ processId: run.processId, processCreateTime: run.time - 60 });
  const app = place(b, 'app.exe', 'C:\\Program Files\\App\\app.exe', run.exeBase, null, 0x65000001);
  const lib = place(b, 'crashlib.dll', 'C:\\Program Files\\App\\crashlib.dll', run.libBase, ['parse_record', 'open_record'], 0x65000002);
  const kernel32 = place(b, 'kernel32.dll', 'C:\\Windows\\System32\\kernel32.dll', run.systemBase, ['BaseThreadInitThunk'], 0x65000003);
  const ntdll = place(b, 'ntdll.dll', 'C:\\Windows\\System32\\ntdll.dll', run.systemBase + 0x100_0000n, ['RtlUserThreadStart', 'NtWaitForSingleObject'], 0x65000004);

  // Innermost first: the faulting function, its caller in the program, then the thread start.
  const chain =
    run.crash === 'same'
      ? [lib.fn(0), app.fn(3), app.fn(1), kernel32.fn(0), ntdll.fn(0)]
      : [app.fn(5), app.fn(4), app.fn(1), kernel32.fn(0), ntdll.fn(0)];
  const waiting = [ntdll.fn(1), app.fn(6), kernel32.fn(0), ntdll.fn(0)];

  const stacks: { id: number; chain: bigint[]; fault: boolean }[] = [
    { id: run.threadId, chain, fault: true },
    { id: run.threadId + 4, chain: waiting, fault: false },
  ];
  let stackBase = 0x10_0000n + BigInt(run.threadId) * 0x1_0000n;
  for (const t of stacks) {
    const stack = new Uint8Array(Number(FRAME) * (t.chain.length + 2));
    const view = new DataView(stack.buffer);
    // Frame k's return address (into frame k+1's function, after its call) sits at rsp_k + 0x28.
    t.chain.forEach((_, k) => {
      const ret = k + 1 < t.chain.length ? t.chain[k + 1]! + BigInt(RETURN_OFFSET) : 0n;
      view.setBigUint64(k * Number(FRAME) + 0x28, ret, true);
    });
    // The faulting instruction is the call site in the first function; a waiting thread sits after its syscall.
    const rip = t.chain[0]! + (t.fault ? 4n : BigInt(RETURN_OFFSET));
    const ctx = contextAmd64({ rip, rsp: stackBase });
    b.thread({ id: t.id, teb: 0x7ff0_0000_0000n + BigInt(t.id) * 0x2000n, stack: { address: stackBase, bytes: stack }, context: ctx });
    if (t.fault) {
      if (run.crash === 'same') b.exception({ threadId: t.id, code: 0xc0000005, address: rip, parameters: [1, 0x8], context: ctx });
      else b.exception({ threadId: t.id, code: 0xc0000094, address: rip, parameters: [], context: ctx });
    }
    stackBase += 0x1_0000n;
  }
  return b.build().bytes;
}

/** Run "a" on one machine, and the same crash as another machine's run writes it. */
export const RUN_A: CrashRun = {
  crash: 'same',
  libBase: 0x1_8000_0000n,
  exeBase: 0x1_4000_0000n,
  systemBase: 0x7ffb_2000_0000n,
  processId: 0x1a2c,
  threadId: 0x2f10,
  time: 0x6500_0100,
};

export const RUN_B: CrashRun = {
  crash: 'same',
  libBase: 0x1_a000_0000n,
  exeBase: 0x7ff6_5000_0000n,
  systemBase: 0x7ffc_8000_0000n,
  processId: 0x0e44,
  threadId: 0x0b7c,
  time: 0x6510_2200,
};

export const RUN_OTHER: CrashRun = { ...RUN_A, crash: 'other', processId: 0x2200, threadId: 0x3004, time: 0x6520_0000 };
