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

/** A place in the program's source, from a symbol file's line table. */
export const SourceLine = z.object({
  /** The path as the symbol file spells it ("C:\\src\\app\\order.c"). */
  file: z.string(),
  /** 1-based line number. */
  line: z.number().int().nonnegative(),
});
export type SourceLine = z.infer<typeof SourceLine>;

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
  /**
   * The source line of the frame, from a symbol file: for frame 0 the line of the address
   * itself, for a return address the line of the call (looked up at the byte before it, as
   * debuggers do; `offset` stays the return address's).
   */
  source: SourceLine.optional(),
  /**
   * True for a call the compiler inlined: WinDbg numbers it as a frame of its own, above the
   * frame of the function it was inlined into, at the same address and stack pointer, with no
   * offset and no return address (`retAddr` null).
   */
  inline: z.literal(true).optional(),
  /**
   * True when the module's symbol file describes this frame's function as keeping no frame
   * pointer (x86 FPO: its frame data finds the return address from ESP, not EBP): optimized
   * code, walked past exactly with that data.
   */
  fpo: z.literal(true).optional(),
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
  /**
   * Debugger text only: what the log never printed of this thread. 'id': a stack under a prompt
   * (`0:029> k`) names the debugger's number but not the OS id, and `id` is a placeholder unique
   * in the model; 'number': the id is known (`~~[1ff8]k`, FAULTING_THREAD) but not the debugger's
   * number, and `ordinal` is only the position in the list; 'id-and-number': output pasted with no
   * prompt at all ("the current thread"), both placeholders. Absent when both are the thread's own.
   */
  unidentified: z.enum(['id', 'number', 'id-and-number']).optional(),
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
  // Issue 12 fact (Last Error Collection): the thread's TEB.LastErrorValue, what GetLastError
  // would have returned on it (the 32-bit TEB's for a WOW64 thread). null: the dump holds no
  // TEB for it; absent: the input does not carry TEBs (debugger text).
  lastError: z.number().int().nonnegative().nullable().optional(),
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
  /**
   * The symbol file frames in this module were named from, when one was used: its name as
   * given, its format, and `forced` when its identity did not match and the user forced it.
   */
  symbols: z
    .object({ file: z.string(), format: z.enum(['pdb', 'breakpad-sym']), id: z.string(), forced: z.literal(true).optional() })
    .optional(),
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
   * stored exception, "first/second chance not available").
   */
  chance: z.enum(['first', 'second']).nullable(),
  /**
   * Set when no exception record, event line or analysis named the exception and the reader
   * inferred an access violation from the instruction the debugger showed at its stop (a memory
   * operand it could not read: "ds:…=????????"). Never evidence for a certain finding.
   */
  inferred: z.literal(true).optional(),
  /** Inner records of a nested exception (ExceptionRecord->ExceptionRecord chain), outermost first. */
  nested: z.array(z.object({ code: z.string(), address: Hex, name: z.string().nullable() })).optional(),
  /** Module and symbol the exception address falls in, when known. */
  module: z.string().nullable(),
  symbol: z.string().nullable(),
  // Issue 12 fact (Missing Component): what a delay-load failure (0xc06d007e / 0xc06d007f) was
  // loading, from the DelayLoadInfo its one parameter points at. A name is null when its bytes
  // are neither in the dump nor in a module file given beside it. Absent for other exceptions.
  delayLoad: z
    .object({ dll: z.string().nullable(), procedure: z.string().nullable(), ordinal: z.number().int().nullable(), lastError: z.number().int().nullable() })
    .optional(),
});
export type ExceptionRecord = z.infer<typeof ExceptionRecord>;

export const Handle = z.object({
  value: Hex,
  type: z.string().nullable(),
  object: z.string().nullable(),
  // Issue 12 — wait chains resolved from the dump: what the HandleData stream's object
  // information (MINIDUMP_HANDLE_OBJECT_INFORMATION) says of the object. Absent when the dump
  // has none for this handle (MINIDUMP_HANDLE_DESCRIPTOR without _2, or a type it does not cover).
  /** A mutex (Mutant): CurrentCount (1 free, ≤ 0 owned), abandoned, and its owner when one owns it. */
  mutant: z
    .object({
      /** Null when the dump gave the owner record only. */
      currentCount: z.number().int().nullable(),
      abandoned: z.boolean().nullable(),
      /** The owner's thread and process ids; null when nobody owns it, or the dump did not say (no MiniMutantInformation2: `ownerKnown` false). */
      ownerKnown: z.boolean(),
      ownerThreadId: z.number().int().nonnegative().nullable(),
      ownerProcessId: z.number().int().nonnegative().nullable(),
    })
    .optional(),
  /** A thread handle: which thread, of which process, and its exit status (0x103 STILL_ACTIVE while it runs). */
  thread: z.object({ threadId: z.number().int().nonnegative(), processId: z.number().int().nonnegative(), exitStatus: Hex }).optional(),
  /** A process handle: which process, and its exit status (0x103 while it runs). */
  process: z.object({ processId: z.number().int().nonnegative(), exitStatus: Hex }).optional(),
});

export const Stream = z.object({
  type: z.number().int().nonnegative(),
  name: z.string(),
  size: z.number().int().nonnegative(),
});

/**
 * A critical section as `!locks` / `!cs -l -o` printed it, or as model assembly read it from a
 * full-memory dump (issue 12: the section a waiting thread waits for, kept only when it
 * validates — see src/engine/model/minidump/critical-sections.ts). Owners live in process
 * memory, not on the stacks: a dump without that memory leaves `locks` unset.
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
  // Issue 12 — wait chains resolved from the dump.
  /**
   * Where the record comes from: 'debugger' (a pasted `!locks`/`!cs`), 'memory' (read from the
   * dump and validated). Absent means 'debugger'. For 'memory', `lockCount` is the number of
   * waiting threads as `!locks` prints it (0 = owned, nobody waiting), decoded from either
   * LockCount encoding (pre-Vista and Wine: the count itself; Vista and later: bit 0 clear =
   * locked, waiters = (-1 - LockCount) >> 2).
   */
  source: z.enum(['debugger', 'memory']).optional(),
  /** 'memory' only: the RTL_CRITICAL_SECTION_DEBUG the section points at, or null (NULL or -1: none). */
  debugInfo: Hex.nullable().optional(),
});
export type LockRecord = z.infer<typeof LockRecord>;

// Issue 12 — wait chains resolved from the dump: the wait graph. Each link is one thread waiting
// for one object whose owner is known or known to be nobody; model assembly builds it from the
// dump's memory and HandleData stream, or from a pasted `!locks`, with the same rules
// (src/engine/model/wait-graph.ts), and the wait-chain and deadlock detectors read it.

/** What a thread waits for. */
export const WaitObject = z.object({
  kind: z.enum(['critical-section', 'mutex', 'thread', 'process', 'event', 'semaphore', 'object']),
  /** The CRITICAL_SECTION's address (critical sections). */
  address: Hex.nullable(),
  /** The handle waited on (kernel objects). */
  handle: Hex.nullable(),
  /** The mutex's or event's object name, or the debugger's symbol for a section; null when unnamed. */
  name: z.string().nullable(),
  /** Index into `locks` (critical sections) or `handles` (kernel objects) of the record that validated it. */
  record: z.number().int().nonnegative(),
});
export type WaitObject = z.infer<typeof WaitObject>;

export const WaitLink = z.object({
  /** The waiting thread. */
  threadId: z.number().int().nonnegative(),
  /** The stack that shows the wait: a WOW64 thread waits on its 32-bit stack. */
  view: z.enum(['native', 'x86']),
  on: WaitObject,
  /**
   * The thread of this process that must act before the waiter can go on: the section's or the
   * mutex's owner, the thread a thread handle names. Null when nobody owns the object (an event,
   * a semaphore) or the owner is another process.
   */
  ownerThreadId: z.number().int().nonnegative().nullable(),
  /** The process waited for (a process handle), or the other process that owns a mutex; else null. */
  ownerProcessId: z.number().int().nonnegative().nullable(),
  /**
   * Frame indices of the waiter's stack that show the wait: from the wait's system call to the
   * API the program called, then the program's frame that called it.
   */
  frames: z.array(z.number().int().nonnegative()),
  /** Where object and owner were read: the section in dump memory, the HandleData stream, or the debugger's output. */
  source: z.enum(['memory', 'handle-data', 'debugger']),
});
export type WaitLink = z.infer<typeof WaitLink>;

/**
 * The end of a wait chain: the thread (or process) every waiter in it ultimately waits for. It
 * waits for nothing the graph can follow — it runs, sleeps, does I/O, or waits for an object
 * nobody owns — so the hang is explained by what it does.
 */
export const WaitHead = z.object({
  /** The head thread; null when the chain leaves this process (`processId` then says which). */
  threadId: z.number().int().nonnegative().nullable(),
  /** The other process a chain ends in (a process handle, a mutex owned elsewhere); null inside this one. */
  processId: z.number().int().nonnegative().nullable(),
  /** False when the head thread is not among the dump's threads (an owner id no thread has). */
  inDump: z.boolean(),
  /** What the head itself waits on when that resolved to an object with no owner (an event); else null. */
  waitsOn: WaitObject.nullable(),
});
export type WaitHead = z.infer<typeof WaitHead>;

export const WaitChain = z.object({
  /** Indices into `waitGraph.links`, from the first waiter to the link that reaches the head. */
  links: z.array(z.number().int().nonnegative()),
  head: WaitHead,
});
export type WaitChain = z.infer<typeof WaitChain>;

export const WaitGraph = z.object({
  links: z.array(WaitLink),
  /** Each deadlock: indices into `links`, in wait order (each link's owner is the next link's waiter; the last's is the first's). */
  cycles: z.array(z.array(z.number().int().nonnegative())),
  /** The chains that end at a head (not in a cycle), longest first; a thread queued behind a cycle is in neither. */
  chains: z.array(WaitChain),
  /**
   * The hang's head of wait chain: the head of the longest chain (the first such when several
   * are as long), or null when there is no chain. What a failure bucket of a hang names.
   */
  head: WaitHead.nullable(),
});
export type WaitGraph = z.infer<typeof WaitGraph>;
/**
 * Code in dump memory that is not what was loaded: a run of bytes that differ from the module
 * file's (relocations applied), or a function whose first bytes contradict its own unwind
 * information (the prolog the x64 unwind codes describe is not there).
 */
export const CodePatch = z.object({
  /** What the bytes were compared with. */
  basis: z.enum(['module file', 'unwind info']),
  /** The module's file name ("kernelbase.dll"). */
  module: z.string(),
  /** Where the first differing byte is in the process. */
  address: Hex,
  /** The address as a call site: "module!Export+0x3" or "module+0x1870". */
  place: z.string(),
  /** Bytes from the first to the last that differ (runs closer than 8 equal bytes are one). */
  length: z.number().int().positive(),
  /** The first bytes (at most 16) in memory, and what the file (or the unwind codes) say should be there, as hex pairs "48 b8 …". */
  found: z.string(),
  expected: z.string(),
  /** Where the patched bytes transfer control, when they decode as a jump (jmp rel32, jmp [rip], mov rax + jmp rax, push + ret). */
  jumpTarget: Hex.nullable(),
  /** The jump target as a call site, or null. */
  jumpTargetPlace: z.string().nullable(),
});
export type CodePatch = z.infer<typeof CodePatch>;

export const CodeIntegrity = z.object({
  /** Each module whose code was compared with its file, and how many bytes of it the dump held. */
  modules: z.array(z.object({ name: z.string(), comparedBytes: z.number().int().nonnegative() })),
  /** x64 functions whose first bytes were checked against their unwind codes. */
  prologsChecked: z.number().int().nonnegative(),
  patches: z.array(CodePatch),
});
export type CodeIntegrity = z.infer<typeof CodeIntegrity>;
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
  /**
   * Up to 16 bytes at the exception address, lower-case hex ("c3cc…"): from dump memory or a
   * supplied image, or in debugger text the faulting instruction's bytes as printed; null when
   * none of them holds them.
   */
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
    // Issue 12 fact (Instrumentation Information): PEB.NtGlobalFlag, the gflags the loader
    // applied. null: the dump holds no PEB; absent: the input does not carry it.
    ntGlobalFlag: Hex.nullable().optional(),
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
    // Issue 12 fact (Embedded Comments): every comment the dump carries, by stream, in
    // directory order (`comment` keeps only one of them). Absent when the input has none.
    comments: z.array(z.object({ stream: z.enum(['CommentStreamA', 'CommentStreamW']), text: z.string() })).optional(),
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
  /** Critical sections and their owners, when the input printed them (`!locks`, `!cs -l -o`) or the dump's memory held them validated; absent otherwise. */
  locks: z.array(LockRecord).optional(),
  /** Issue 12 — who waits for whom (see WaitGraph); absent when no thread's wait resolved to an object. */
  waitGraph: WaitGraph.optional(),
  // Issue 12 fact (Hooked Functions): code in dump memory compared with the module files given
  // beside the dump. Absent when no image was given or the dump holds none of their code.
  codeIntegrity: CodeIntegrity.optional(),
  // Issue 12: memory the dump holds and lacks; stack residue of the faulting thread; the bytes at the fault.
  memory: DumpMemoryFacts.optional(),
  residue: z.array(StackResidue).optional(),
  faultBytes: FaultBytes.optional(),
});
export type DumpModel = z.infer<typeof DumpModel>;
