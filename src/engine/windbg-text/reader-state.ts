// Everything one pass over a debugger log learns, kept as it was read, split by what it is
// about as the readers are: the session (prompts, views, kernel output), the threads and their
// stacks, register dumps, the exception, `!analyze` blocks, modules, the banner and the locks.
// The line handlers (line-dispatch.ts and the modules it calls) fill it in; the model is built
// from it only at the end (model-assembly.ts), because what a line means often depends on a
// later one: which thread faulted, where frame 0 was, whether the process ran on WOW64.
import type { Arch } from '../core/arch.ts';
import type { Warning } from '../core/warnings.ts';
import type { AnalysisBlock } from './analyze-v.ts';
import type { BannerFact } from './banner.ts';
import type { ExceptionLine } from './exception-line.ts';
import type { CallSite } from './frame-line.ts';
import { newLockBook, type LockBook } from './lock-book.ts';
import type { ModuleRow } from './module-list.ts';
import type { View } from './prompt.ts';
import type { RunawaySection } from './session-lines.ts';
import type { StackCollector, StackLine } from './stack-line.ts';
import type { StackHeader } from './thread-stacks.ts';

export interface ThreadState {
  id: number;
  ordinal: number;
  /**
   * What the log never printed of this thread: its OS id ('id': a `k` under `0:029>` names only
   * the debugger's number), or its id and number too ('id-and-number': output with no prompt).
   * Its `id` is then a placeholder, unique in the model.
   */
  unidentified: 'id' | 'id-and-number' | null;
  /** The debugger's number was printed for it (a thread list, a prompt, !runaway), not only its position. */
  ordinalKnown: boolean;
  name: string | null;
  teb: bigint | null;
  suspend: number | null;
  frozen: boolean | null;
  priority: number | null;
  /** Seen in a thread list (`~`, `~*k`), not only inferred from an analysis stack. */
  listed: boolean;
  native: StackLine[] | null;
  x86: StackLine[] | null;
  /** !runaway's user and kernel times, in seconds. */
  userSeconds: number | null;
  kernelSeconds: number | null;
  /** When the log first showed this thread (a count of mentions): the model lists threads in this order. */
  firstSeen: number;
}

/**
 * Which thread some output belongs to, as far as the line that printed it knows: its id (a
 * thread header, `~~[1b30]k`), its debugger number (`~3k`, a `k` under `0:003>`, resolved once
 * the thread list is read, which may come later in the paste), the event's thread (`~#k`, the
 * dump under the event line, a `k` after `.ecxr`), or "the current thread" (output pasted with no
 * prompt at all). Resolved in model assembly (thread-book.ts `resolveThread`).
 */
export type ThreadRef = { tid: number } | { ordinal: number } | 'event' | 'current';

/** Whose registers a register dump shows: a thread, or the exception context (.ecxr, CONTEXT:). */
export type RegisterOwner = ThreadRef | 'exception';

export interface RegisterSet {
  owner: RegisterOwner;
  view: View;
  regs: Map<string, bigint>;
}

export interface OpenStack {
  collector: StackCollector;
  /** Whose stack it is; null when nothing can tell (`~*e k` past the threads a list named). */
  owner: ThreadRef | null;
  view: View;
  header: StackHeader;
  /** Blank lines met since the last frame: a paste may hold one inside a stack. */
  blanks: number;
}

/** Stacks printed for a thread not yet known by id, kept by who they belong to until assembly. */
export interface PendingStacks {
  owner: ThreadRef;
  /** The mention count when the first of these stacks was printed. */
  firstSeen: number;
  native: StackLine[] | null;
  x86: StackLine[] | null;
}

export interface Analysis {
  block: AnalysisBlock;
  view: View;
}

export interface ExceptionFacts {
  code: number | null;
  codeText: string | null;
  address: bigint | null;
  site: CallSite | null;
  flags: bigint | null;
  parameters: Map<number, bigint>;
  attempt: { access: 'read' | 'write' | 'execute'; address: bigint } | null;
  /** A record already ended with its parameters: later copies (a second !analyze) only fill gaps. */
  sealed: boolean;
}

export function newExceptionFacts(): ExceptionFacts {
  return { code: null, codeText: null, address: null, site: null, flags: null, parameters: new Map(), attempt: null, sealed: false };
}

/** An instruction the debugger printed, with the symbol label above it. */
export interface ShownInstruction {
  address: bigint;
  label: string | null;
  /** The disassembly ("mov rax,qword ptr [rdx+10h] ds:00000000`00000010=????????????????"). */
  text: string;
  /** Its opcode bytes as printed, lower-case hex ("488b4210"). */
  bytes: string;
}

/**
 * One stop of the debugger on an exception (or the dump's stored exception) and what the log
 * printed of it. A session holds several (the loader's initial breakpoint, first-chance noise,
 * then the crash); the last one that is not the loader's breakpoint is the exception.
 */
export interface EventStop {
  line: ExceptionLine | null;
  readonly record: ExceptionFacts;
  /** The symbol label printed under the event line, waiting for its instruction. */
  ipLabel: string | null;
  /** The instruction printed under the event line. */
  eventIp: ShownInstruction | null;
  /** The instruction `.ecxr` (or CONTEXT:) showed: the faulting one. */
  ecxrIp: ShownInstruction | null;
  /** The instruction a paste that starts at the stop shows first, before any prompt. */
  shownIp: ShownInstruction | null;
  /** The debugger's number of the event thread: the prompt's at the first prompt after the stop. */
  ordinal: number | null;
  awaitingOrdinal: boolean;
  /** The loader's initial breakpoint (ntdll!LdrpDoDebuggerBreak): never the exception. */
  initial: boolean;
}

export function newEventStop(line: ExceptionLine | null): EventStop {
  return { line, record: newExceptionFacts(), ipLabel: null, eventIp: null, ecxrIp: null, shownIp: null, ordinal: null, awaitingOrdinal: line !== null, initial: false };
}

/** Prompts and what they say of the session: the view, the current thread, kernel output. */
export interface SessionState {
  view: View;
  /** A `.effmach x86` (or an x86 prompt) was seen: the target is 64-bit running 32-bit code. */
  switchedToX86: boolean;
  effectiveMachineNative: Arch | null;
  promptThread: number | null;
  /** The command of the last prompt: some output ("Type : …") is only meaningful after it. */
  command: string;
  /** `.ecxr` set the exception's context: a plain `k` now prints the faulting thread's stack from the fault. */
  ecxrActive: boolean;
  /** Kernel-debugger output (kd> prompts, a kernel dump banner, a bug check): not user-mode threads. */
  kernelSeen: boolean;
  /** User-mode output: a user prompt, a user dump banner, an event line, a user thread header. */
  userSeen: boolean;
  /** The output since the last prompt is a kd session's: read none of it as the process's. */
  inKernel: boolean;
  /** Kernel output skipped, in lines (one warning at the end). */
  kernelLines: number;
  pid: number | null;
  processImage: string | null;
  runaway: RunawaySection | null;
  readonly processTimes: { user: number | null; kernel: number | null };
}

/** Threads as thread lists and stack headers name them, and the stack being read. */
export interface ThreadsState {
  readonly byId: Map<number, ThreadState>;
  readonly ordinalToTid: Map<number, number>;
  headerTid: number | null;
  lastHeaderTid: number | null;
  markerDot: number | null;
  markerHash: number | null;
  stack: OpenStack | null;
  /** Stacks whose thread is known only by number or as "current", by owner key. */
  readonly pending: Map<string, PendingStacks>;
  /** Threads the log never gave an id, by owner key ("o:29", "current"): their placeholder ids. */
  readonly unidentified: Map<string, number>;
  /** Stacks printed so far under the current `~*e k`. */
  eachCount: number;
  sawX64Layout: boolean;
  sawX86Layout: boolean;
}

export interface RegistersState {
  readonly sets: RegisterSet[];
  /** The register dump being read, while its lines follow one another. */
  open: RegisterSet | null;
}

/** The exception as event lines, `.lastevent`, `.exr` and labelled instructions tell it. */
export interface ExceptionState {
  /** Instruction addresses the debugger printed under a symbol label ("App!Crash+0x17:" then code). */
  readonly labelled: Map<string, bigint>;
  pendingLabel: string | null;
  /** The dump stores an exception apart from the thread's state (".ecxr" shows it). */
  stored: boolean;
  /** Lines right after the event line: "App!Crash+0x17:" then the faulting instruction. */
  expectIp: number;
  /** The stop being read (the last one so far). */
  stop: EventStop;
  /** The last stop before it that could be the exception (not the loader's breakpoint). */
  previous: EventStop | null;
  /** A prompt has been seen: an instruction printed after it is no longer "where the paste starts". */
  promptSeen: boolean;
}

/** Messages the heap manager and Application Verifier print to the debugger. */
export interface HeapState {
  /** "HEAP[app.exe]: Invalid address specified to RtlFreeHeap( … )", the first few. */
  readonly messages: string[];
  /** "VERIFIER STOP 00000008: pid 0xAA0: corrupted suffix pattern", the first few. */
  readonly verifierStops: string[];
  /** "Page heap: process 0x5BC created heap @ …": page heap was on. */
  pageHeap: string | null;
  /** The process id these messages name ("pid 0xAA0", "process 0x5BC"). */
  pid: number | null;
}

/** `!analyze -v` blocks, and `KEY: value` lines met outside one. */
export interface AnalyzeState {
  readonly blocks: Analysis[];
  open: Analysis | null;
  readonly loose: Record<string, string>;
}

/** Module lists (`lm`), unloaded modules and a live session's ModLoad lines. */
export interface ModulesState {
  mode: 'loaded' | 'unloaded' | null;
  readonly rows: ModuleRow[];
  /** Modules a live session reported loading ("ModLoad: …"), used where lm did not list them. */
  readonly modLoads: ModuleRow[];
  readonly unloaded: ModuleRow[];
  lastRow: ModuleRow | null;
  /** Rows seen past MAX_TEXT_MODULES (recognised, not kept). */
  skipped: number;
}

/** The dump banner's facts, and a multi-line dump comment while it is being read. */
export interface BannerState {
  readonly facts: BannerFact[];
  /** procdump writes "Comment: '" then its lines, the last ending in "'". */
  commentLines: string[] | null;
}

export class ReaderState {
  readonly warnings: Warning[] = [];
  /** Lines some reader claimed: none at all means the text holds no debugger output. */
  recognised = 0;
  /** Threads and pending stacks met so far, to keep the order the log showed them in. */
  mentions = 0;

  readonly session: SessionState = {
    view: 'native',
    switchedToX86: false,
    effectiveMachineNative: null,
    promptThread: null,
    command: '',
    ecxrActive: false,
    kernelSeen: false,
    userSeen: false,
    inKernel: false,
    kernelLines: 0,
    pid: null,
    processImage: null,
    runaway: null,
    processTimes: { user: null, kernel: null },
  };

  readonly threads: ThreadsState = {
    byId: new Map(),
    ordinalToTid: new Map(),
    headerTid: null,
    lastHeaderTid: null,
    markerDot: null,
    markerHash: null,
    stack: null,
    pending: new Map(),
    unidentified: new Map(),
    eachCount: 0,
    sawX64Layout: false,
    sawX86Layout: false,
  };

  readonly registers: RegistersState = { sets: [], open: null };

  readonly exception: ExceptionState = {
    labelled: new Map(),
    pendingLabel: null,
    stored: false,
    expectIp: 0,
    stop: newEventStop(null),
    previous: null,
    promptSeen: false,
  };

  readonly heap: HeapState = { messages: [], verifierStops: [], pageHeap: null, pid: null };

  readonly analyze: AnalyzeState = { blocks: [], open: null, loose: {} };

  readonly modules: ModulesState = { mode: null, rows: [], modLoads: [], unloaded: [], lastRow: null, skipped: 0 };

  readonly banner: BannerState = { facts: [], commentLines: null };

  /** Critical sections from `!locks` / `!cs`, by address. */
  readonly locks: LockBook = newLockBook();

  /** The thread with this id, created on first mention (a header, a runaway row, an analysis stack). */
  thread(tid: number, ordinal?: number): ThreadState {
    let t = this.threads.byId.get(tid);
    if (!t) {
      t = {
        id: tid,
        ordinal: ordinal ?? this.threads.byId.size,
        unidentified: null,
        ordinalKnown: ordinal !== undefined,
        name: null,
        teb: null,
        suspend: null,
        frozen: null,
        priority: null,
        listed: false,
        native: null,
        x86: null,
        userSeconds: null,
        kernelSeconds: null,
        firstSeen: this.mentions++,
      };
      this.threads.byId.set(tid, t);
    }
    return t;
  }
}
