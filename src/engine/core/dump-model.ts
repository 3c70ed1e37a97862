// The dump model: the one shape every reader produces (binary minidump, WinDbg/CDB text)
// and the only thing detectors may look at. It is plain JSON on purpose: the CLI's `--json`,
// the Web Worker's postMessage and the page all carry this very object, so addresses are
// "0x…" strings (64-bit values do not fit a JS number) and absent facts are `null`, never
// guessed. Use `src/engine/core/hex.ts` to compare addresses as bigints.
import { z } from 'zod';
import { ARCHES, PLATFORMS, type Arch as ArchName, type Platform as PlatformName } from './arch.ts';
import { FRAME_TRUSTS, type FrameTrust as FrameTrustName } from './frame-trust.ts';
import { HEX_PATTERN, type Hex as HexText } from './hex.ts';
import { Missing } from './missing.ts';
import { Warning } from './warnings.ts';

// The words the model is made of are defined each in its own module (zod-free where the page's
// script needs them); here they become the schema, re-exported so a reader takes the model's
// vocabulary from one place.
export const Hex = z.string().regex(HEX_PATTERN, 'lower-case 0x-prefixed hex');
export type Hex = HexText;
export const Arch = z.enum(ARCHES);
export type Arch = ArchName;
export const Platform = z.enum(PLATFORMS);
export type Platform = PlatformName;
export const FrameTrust = z.enum(FRAME_TRUSTS);
export type FrameTrust = FrameTrustName;
export { Missing } from './missing.ts';
export { Warning, WarningKind } from './warnings.ts';

export const Frame = z.object({
  /** Position in its stack, 0 = innermost. */
  index: z.number().int().nonnegative(),
  /** Instruction pointer of the frame (for frame > 0, the return address). */
  address: Hex,
  /** Stack pointer (Child-SP / ChildEBP as the debugger printed it), when known. */
  sp: Hex.nullable(),
  /** The caller's return address (the RetAddr column), when known. */
  retAddr: Hex.nullable(),
  /** Module name without extension as WinDbg prints it ("kernel32"), or null when no module holds the address. */
  module: z.string().nullable(),
  /** Function name without the module ("RaiseException"), or null. */
  symbol: z.string().nullable(),
  /** Offset from the symbol (or from the module base when symbol is null), "0x53". */
  offset: Hex.nullable(),
  trust: FrameTrust,
  /** First stack arguments as printed by kb/kv (x86 layout), when the input had them. */
  args: z.array(Hex).optional(),
  /** Set when the reader had to mend or doubt this frame (e.g. "Frame IP not in any known module"). */
  note: z.string().optional(),
});
export type Frame = z.infer<typeof Frame>;

export const ThreadTimes = z.object({
  /** ISO-8601 creation time, or null. */
  created: z.string().nullable(),
  userSeconds: z.number().nullable(),
  kernelSeconds: z.number().nullable(),
});

export const Thread = z.object({
  /** OS thread id (decimal). */
  id: z.number().int().nonnegative(),
  /** Debugger thread number ("~3") when the input printed one, else the position in the list. */
  ordinal: z.number().int().nonnegative(),
  name: z.string().nullable(),
  teb: Hex.nullable(),
  suspendCount: z.number().int().nullable(),
  frozen: z.boolean().nullable(),
  priority: z.number().int().nullable(),
  /** The thread the exception (or the debugger's current thread) belongs to. */
  faulting: z.boolean(),
  times: ThreadTimes.nullable(),
  /** Native stack (x64 frames for a WOW64 process). */
  frames: z.array(Frame),
  /** Where the native stack ends short (e.g. "stack memory not in dump"). */
  framesNote: z.string().nullable(),
  /** The 32-bit stack of a WOW64 thread (WinDbg's `.effmach x86` view); absent otherwise. */
  x86Frames: z.array(Frame).optional(),
  /** Register values of the frame-0 context ("rip" → "0x…"), native view. */
  registers: z.record(z.string(), Hex).optional(),
  /** Register values of the recovered x86 context of a WOW64 thread. */
  x86Registers: z.record(z.string(), Hex).optional(),
});
export type Thread = z.infer<typeof Thread>;

export const Module = z.object({
  /** File name as loaded ("kernel32.dll"); WinDbg's short name is `name` without extension. */
  name: z.string(),
  path: z.string().nullable(),
  base: Hex,
  size: Hex,
  /** File version "5.2.3790.4062", or null. */
  version: z.string().nullable(),
  /** Link timestamp as ISO-8601, or null. */
  timestamp: z.string().nullable(),
  /** PDB file name and identifier from the CodeView record. */
  pdb: z.object({ name: z.string(), id: z.string() }).nullable(),
  /** True for a 32-bit module in a WOW64 process (loaded from SysWOW64 or below 4 GB beside wow64.dll). */
  x86: z.boolean().optional(),
  /** Unloaded modules keep their last known range here. */
  unloaded: z.boolean().optional(),
});
export type Module = z.infer<typeof Module>;

export const ExceptionRecord = z.object({
  /** 32-bit code, "0x%08x": "0xc0000005". */
  code: z.string().regex(/^0x[0-9a-f]{8}$/),
  /** Symbolic name ("STATUS_ACCESS_VIOLATION", "EXCEPTION_STACK_OVERFLOW"), when known. */
  name: z.string().nullable(),
  /** What the code means, in one line. */
  description: z.string().nullable(),
  flags: Hex,
  /** Where the exception happened; null when the input never said (a log without `.exr` or an event line). */
  address: Hex.nullable(),
  threadId: z.number().int().nullable(),
  parameters: z.array(Hex),
  /** Decoded access violation / in-page error: what was attempted at which address. */
  access: z
    .object({ kind: z.enum(['read', 'write', 'execute', 'unknown']), address: Hex })
    .nullable(),
  /**
   * How far the exception had got when the input saw it. 'first': the debugger stopped on it
   * before any handler ran, so a handler may yet take it; 'second': no handler took it (second
   * chance, or the dump writer says it was unhandled); null: the input does not say (a dump's
   * stored exception, "first/second chance not available"). Absent when the reader does not
   * look (issue 12: False Positive Dump).
   */
  chance: z.enum(['first', 'second']).nullable().optional(),
  /** Inner records of a nested exception (ExceptionRecord->ExceptionRecord chain), outermost first. */
  nested: z.array(z.object({ code: z.string(), address: Hex, name: z.string().nullable() })).optional(),
  /** Module and symbol the exception address falls in, when known. */
  module: z.string().nullable(),
  symbol: z.string().nullable(),
});
export type ExceptionRecord = z.infer<typeof ExceptionRecord>;

export const Handle = z.object({
  value: Hex,
  type: z.string().nullable(),
  object: z.string().nullable(),
});

export const Stream = z.object({
  type: z.number().int().nonnegative(),
  name: z.string(),
  size: z.number().int().nonnegative(),
});

/**
 * A critical section as `!locks` / `!cs -l -o` printed it. Owners live in process memory, not on
 * the stacks, so only a pasted debugger log carries them; a binary dump read leaves `locks` unset.
 */
export const LockRecord = z.object({
  /** The CRITICAL_SECTION's address. */
  address: Hex,
  /** The symbol the debugger named it by ("ntdll!LdrpLoaderLock"), or null. */
  name: z.string().nullable(),
  /** OwningThread: the OS thread id (decimal here, hex in the log), or null when none owns it. */
  ownerThreadId: z.number().int().nullable(),
  lockCount: z.number().int().nullable(),
  recursionCount: z.number().int().nullable(),
  /** ContentionCount: how many times a thread had to wait for it. */
  contention: z.number().int().nullable(),
});
export type LockRecord = z.infer<typeof LockRecord>;

// ── Issue 12 facts: memory the dump holds and lacks (Paged Out Data, Insufficient Memory
// (committed memory)), stack residue (Execution Residue) and the bytes at the fault (Local
// Buffer Overflow). Read by src/engine/model/minidump/memory-facts.ts, stack-residue.ts and
// fault-bytes.ts; absent for debugger text.

/** MemoryInfoListStream summed up: the address space as VirtualQuery saw it when the dump was written. */
export const MemoryMapSummary = z.object({
  /** Regions listed (after the reader's cap). */
  regions: z.number().int().nonnegative(),
  /** Bytes in MEM_COMMIT regions, and of those private (MEM_PRIVATE), image and mapped. */
  committedBytes: z.number().nonnegative(),
  privateCommittedBytes: z.number().nonnegative(),
  imageCommittedBytes: z.number().nonnegative(),
  mappedCommittedBytes: z.number().nonnegative(),
  /** Bytes in MEM_RESERVE regions (address space taken, no memory behind it). */
  reservedBytes: z.number().nonnegative(),
  /** The largest MEM_FREE region below the highest listed address: the biggest block still allocatable. */
  largestFreeBytes: z.number().nonnegative(),
});
export type MemoryMapSummary = z.infer<typeof MemoryMapSummary>;

/** An address the analysis needed whose bytes the dump does not hold. */
export const MemoryGap = z.object({
  /** 'stack': a thread's stack at its stack pointer; 'in-page': the page an in-page error could not read. */
  what: z.enum(['stack', 'in-page']),
  threadId: z.number().int().nullable(),
  address: Hex,
  /** What MemoryInfoList says of the page ('commit', 'reserve', 'free'), or null without one. */
  state: z.enum(['commit', 'reserve', 'free']).nullable(),
});
export type MemoryGap = z.infer<typeof MemoryGap>;

export const DumpMemoryFacts = z.object({
  /** Captured process memory (MemoryList + Memory64List, after overlaps are trimmed). */
  capturedRanges: z.number().int().nonnegative(),
  capturedBytes: z.number().nonnegative(),
  /** Null when the dump has no MemoryInfoListStream (Wine writes none; MiniDumpNormal has none). */
  map: MemoryMapSummary.nullable(),
  gaps: z.array(MemoryGap),
});
export type DumpMemoryFacts = z.infer<typeof DumpMemoryFacts>;

/** A value on a thread's stack that is a return address no live frame accounts for. */
export const ResidueEntry = z.object({
  /** Stack address of the slot. */
  slot: Hex,
  /** The return address it holds. */
  address: Hex,
  module: z.string().nullable(),
  symbol: z.string().nullable(),
  offset: Hex.nullable(),
  /** Start of the function the return address lies in (from the module's .pdata), when known. */
  functionStart: Hex.nullable(),
});
export type ResidueEntry = z.infer<typeof ResidueEntry>;

export const StackResidue = z.object({
  threadId: z.number().int().nonnegative(),
  /** Bytes read upwards from the stack pointer (bounded; see docs/limits.md). */
  scannedBytes: z.number().int().nonnegative(),
  /** True when the byte or entry bound stopped the scan before the captured stack ended. */
  capped: z.boolean(),
  /** Only return addresses whose call instruction was checked in module code. */
  entries: z.array(ResidueEntry),
});
export type StackResidue = z.infer<typeof StackResidue>;

/** The instruction bytes at the exception address and the words at the exception's stack pointer. */
export const FaultBytes = z.object({
  /** Up to 16 bytes at the exception address, lower-case hex ("c3cc…"), or null when neither dump memory nor a supplied image holds them. */
  code: z.string().regex(/^(?:[0-9a-f]{2}){1,16}$/).nullable(),
  /** Pointer-sized words from the exception context's stack pointer up (at most 4), as far as the dump holds them. */
  stack: z.array(Hex),
});
export type FaultBytes = z.infer<typeof FaultBytes>;

export const DumpModel = z.object({
  input: z.object({
    format: z.enum(['minidump', 'windbg-text']),
    /** File name (or "pasted text"). */
    name: z.string(),
    size: z.number().int().nonnegative(),
  }),
  system: z.object({
    platform: Platform,
    /** OS name and version as one readable line ("Windows Server 2003 Version 3790 (Service Pack 2)"). */
    os: z.string().nullable(),
    /** Dotted version "5.2.3790" or null. */
    version: z.string().nullable(),
    build: z.number().int().nullable(),
    servicePack: z.string().nullable(),
    product: z.string().nullable(),
    /** The architecture of the dump (x64 for a WOW64 dump). */
    arch: Arch,
    cpuCount: z.number().int().nullable(),
    cpu: z.string().nullable(),
    /** Seconds since boot at dump time. */
    uptimeSeconds: z.number().nullable(),
    /** Set when the OS ran under a hypervisor/emulator (Virtualized System). */
    virtualization: z.string().nullable(),
  }),
  process: z.object({
    pid: z.number().int().nullable(),
    name: z.string().nullable(),
    /** Bitness of the code that crashed: 32 for a WOW64 process even in a 64-bit dump. */
    bitness: z.union([z.literal(32), z.literal(64)]).nullable(),
    wow64: z.boolean(),
    uptimeSeconds: z.number().nullable(),
    createTime: z.string().nullable(),
    userSeconds: z.number().nullable(),
    kernelSeconds: z.number().nullable(),
  }),
  dump: z.object({
    /** Full user-mode memory, a minidump, or unknown. */
    fullMemory: z.boolean().nullable(),
    /** MINIDUMP_TYPE flags as hex, when known. */
    flags: Hex.nullable(),
    /** Who wrote it, when that can be told: "userdump", "procdump", "WER", "Crashpad", "Breakpad", "Wine dbghelp", "Visual Studio", "Task Manager"… */
    writer: z.string().nullable(),
    comment: z.string().nullable(),
    /** ISO-8601 time the dump was written. */
    time: z.string().nullable(),
    /** What the banner or the header said of the dump type ("User Mini Dump File with Full Memory"). */
    description: z.string().nullable(),
    streams: z.array(Stream),
    /** The dump was taken on request, not by a crash (no exception, or a debugger-break). */
    manual: z.boolean().nullable(),
    /** Bytes the file claims but the input did not have (truncated dump). */
    truncatedBytes: z.number().int().nonnegative().nullable(),
  }),
  exception: ExceptionRecord.nullable(),
  threads: z.array(Thread),
  modules: z.array(Module),
  unloadedModules: z.array(Module),
  handles: z.array(Handle).nullable(),
  /** Key/value facts from the debugger's analysis (`!analyze -v` fields) or Crashpad annotations. */
  annotations: z.record(z.string(), z.string()),
  warnings: z.array(Warning),
  /** What the input could not tell: "modules", "thread list", "x86 stacks", "stack memory"… */
  missing: z.array(Missing),
  /** Critical sections and their owners, when the input printed them (`!locks`, `!cs -l -o`); absent otherwise. */
  locks: z.array(LockRecord).optional(),
  // Issue 12: memory the dump holds and lacks; stack residue of the faulting thread; the bytes at the fault.
  memory: DumpMemoryFacts.optional(),
  residue: z.array(StackResidue).optional(),
  faultBytes: FaultBytes.optional(),
});
export type DumpModel = z.infer<typeof DumpModel>;
