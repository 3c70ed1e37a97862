// Everything one pass over a debugger log learns, kept as it was read. The line handlers
// (line-dispatch.ts and the modules it calls) fill it in; the model is built from it only at
// the end (model-assembly.ts), because what a line means often depends on a later one: which
// thread faulted, where frame 0 was, whether the process ran on WOW64.
import type { Arch, Warning } from '../core/dump-model.ts';
import type { AnalysisBlock } from './analyze-v.ts';
import type { BannerFact } from './banner.ts';
import type { ExceptionLine } from './exception-line.ts';
import { newLockBook, type LockBook } from './locks.ts';
import type { CallSite } from './frame-line.ts';
import type { ModuleRow } from './module-list.ts';
import type { View } from './prompt.ts';
import type { RunawaySection } from './session-lines.ts';
import type { StackCollector, StackLine } from './stack-line.ts';
import type { StackHeader } from './thread-stacks.ts';

export interface ThreadState {
  id: number;
  ordinal: number;
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
}

/** Whose registers a register dump shows: a thread id, or the exception context (.ecxr, CONTEXT:). */
export type RegisterOwner = { tid: number } | 'exception';

export interface RegisterSet {
  owner: RegisterOwner;
  view: View;
  regs: Map<string, bigint>;
}

export interface OpenStack {
  collector: StackCollector;
  /** The command named a thread (`~5k`) whose id the text never told: the stack has no owner. */
  unresolved: boolean;
  tid: number | null;
  view: View;
  header: StackHeader;
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

export class ReaderState {
  readonly warnings: Warning[] = [];
  recognised = 0;

  view: View = 'native';
  /** A `.effmach x86` (or an x86 prompt) was seen: the target is 64-bit running 32-bit code. */
  switchedToX86 = false;
  effectiveMachineNative: Arch | null = null;
  promptThread: number | null = null;

  readonly threads = new Map<number, ThreadState>();
  readonly ordinalToTid = new Map<number, number>();
  headerTid: number | null = null;
  lastHeaderTid: number | null = null;
  markerDot: number | null = null;
  markerHash: number | null = null;
  stack: OpenStack | null = null;
  /** Stacks printed so far under the current `~*e k`. */
  eachCount = 0;
  sawX64Layout = false;
  /** Kernel-debugger output (kd> prompts, a kernel dump banner, a bug check): not user-mode threads. */
  kernelSeen = false;
  /** User-mode output: a user prompt, a user dump banner, an event line, a user thread header. */
  userSeen = false;
  /** The output since the last prompt is a kd session's: read none of it as the process's. */
  inKernel = false;
  /** Kernel output skipped, in lines (one warning at the end). */
  kernelLines = 0;

  readonly registerSets: RegisterSet[] = [];
  /** The register dump being read, while its lines follow one another. */
  openRegisters: RegisterSet | null = null;
  /** Instruction addresses the debugger printed under a symbol label ("App!Crash+0x17:" then code). */
  readonly labelled = new Map<string, bigint>();
  pendingLabel: string | null = null;
  /** The instruction `.ecxr` (or CONTEXT:) showed: the faulting one. */
  ecxrIp: { address: bigint; label: string } | null = null;
  /** The dump stores an exception apart from the thread's state (".ecxr" shows it). */
  storedException = false;
  processImage: string | null = null;
  runaway: RunawaySection | null = null;
  readonly processTimes: { user: number | null; kernel: number | null } = { user: null, kernel: null };
  sawX86Layout = false;

  readonly analyses: Analysis[] = [];
  analysis: Analysis | null = null;
  readonly looseAnnotations: Record<string, string> = {};

  moduleMode: 'loaded' | 'unloaded' | null = null;
  readonly moduleRows: ModuleRow[] = [];
  /** Modules a live session reported loading ("ModLoad: …"), used where lm did not list them. */
  readonly modLoadRows: ModuleRow[] = [];
  /** A multi-line dump comment (procdump writes "Comment: '" then its lines, the last ending in "'"). */
  commentLines: string[] | null = null;
  readonly unloadedRows: ModuleRow[] = [];
  lastRow: ModuleRow | null = null;

  readonly banner: BannerFact[] = [];
  exLine: ExceptionLine | null = null;
  /** Lines right after the event line: "App!Crash+0x17:" then the faulting instruction. */
  expectIp = 0;
  ipLabel: string | null = null;
  eventIp: { address: bigint; label: string | null } | null = null;
  readonly exr: ExceptionFacts = {
    code: null,
    codeText: null,
    address: null,
    site: null,
    flags: null,
    parameters: new Map(),
    attempt: null,
    sealed: false,
  };

  /** Critical sections from `!locks` / `!cs`, by address. */
  readonly locks: LockBook = newLockBook();

  pid: number | null = null;
  /** The command of the last prompt: some output ("Type : …") is only meaningful after it. */
  command = '';

  /** The thread with this id, created on first mention (a header, a runaway row, an analysis stack). */
  thread(tid: number, ordinal?: number): ThreadState {
    let t = this.threads.get(tid);
    if (!t) {
      t = {
        id: tid,
        ordinal: ordinal ?? this.threads.size,
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
      };
      this.threads.set(tid, t);
    }
    return t;
  }
}
