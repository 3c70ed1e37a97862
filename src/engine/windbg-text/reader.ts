// WinDbg/CDB text → the dump model. One pass over the lines: each line is offered to the
// parsers of the output kinds (banner, event line, exception record, `!analyze -v`, thread
// stacks, module lists); what none of them claims — blog prose, e-mail chatter, commands we
// do not read — is skipped. The pieces are put together at the end, when everything the log
// tells is known (which thread faulted, where frame 0 was, whether the process ran on WOW64).
import type { Budget } from '../budget.ts';
import { DumpError } from '../errors.ts';
import { emptyModel } from '../model/empty.ts';
import { code32, hex, parseHex } from '../model/hex.ts';
import type { Arch, DumpModel, ExceptionRecord, Frame, Module, Thread, Warning } from '../model/schema.ts';
import { describeCode } from '../names/exception-codes.ts';
import { AnalysisBlock, isAnalysisBanner, parseAnalysisKey, parseControlTransfer, parseErrorCode } from './analyze-v.ts';
import { parseBannerLine, type BannerFact } from './banner.ts';
import { parseExceptionLine, parseDisassembly, parseSymbolLabel, type ExceptionLine } from './exception-line.ts';
import { parseExrCppLine, parseExrLine, type ExrFact } from './exr.ts';
import { parseCallOnlyLine, parseCallSite, parseFrameLine, type CallSite } from './frame-line.ts';
import { DEFAULT_LIMITS, splitLines, utf8Length, type LineLimits } from './lines.ts';
import { isModuleHeader, isUnloadedHeader, moduleFromRow, parseModLoad, parseModuleDetail, parseModuleRow, type ModuleRow } from './module-list.ts';
import { effmachSwitch, parsePrompt, promptView, type View } from './prompt.ts';
import { pcAndSp, parseRegisterLine } from './registers.ts';
import {
  parseLastError,
  parseLastEvent,
  parseProcessLine,
  parseProcessTime,
  parseRunawayRow,
  parseRunawaySection,
  parseWowSwitch,
  type RunawaySection,
} from './session-lines.ts';
import { isSymbolNoise, StackCollector, type StackLine } from './stack-line.ts';
import { parsePriorityLine, parseStackHeader, parseThreadHeader, type StackHeader } from './thread-stacks.ts';

export interface ReadOptions {
  limits?: LineLimits;
  /** Time and cancellation, polled every BUDGET_POLL_LINES lines. */
  budget?: Budget;
}

/** Lines fed between two looks at the clock: cheap enough, and well under a millisecond apart. */
const BUDGET_POLL_LINES = 4096;

interface ThreadState {
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
type RegisterOwner = { tid: number } | 'exception';

interface RegisterSet {
  owner: RegisterOwner;
  view: View;
  regs: Map<string, bigint>;
}

/**
 * Which thread a stack command names: `~3k` (debugger number), `~~[1b30]k` (thread id), `~#k`
 * (event thread), or each thread in turn (`~*e k`, which prints no thread headers).
 */
type CommandThreads = { ordinal: number } | { tid: number } | 'event' | 'each' | null;

function commandThreads(command: string): CommandThreads {
  const m = /^~\s*(\d{1,9}|~\[[0-9a-fx]{1,10}\]|[#*.])\s*(e\s+)?(.*)$/i.exec(command);
  if (!m) return null;
  const rest = m[3]!.trim();
  // Only commands that print a stack (k, kb, kv, kn, kp, kP, kf, kc, kL and their mixes) or registers.
  if (!/^(?:k[a-z]*|r)(?:\s|;|$)/i.test(rest)) return null;
  const who = m[1]!;
  if (who === '*') return m[2] ? 'each' : null;
  if (who === '#') return 'event';
  if (who === '.') return null;
  if (who.startsWith('~[')) {
    const tid = parseHex(who.slice(2, -1));
    return tid !== null && tid <= 0xffffffffn ? { tid: Number(tid) } : null;
  }
  return { ordinal: Number(who) };
}

/** ntdll/win32u system-call stubs: where a thread sits in a wait, never where it faults. */
function isSyscallStub(label: string): boolean {
  return /^(?:ntdll\w*|win32u)!(?:Nt|Zw)[A-Za-z]+(?:\+0x[0-9a-f]+)?$|!KiFastSystemCallRet(?:\+0x0)?$|^wow64cpu!/i.test(label);
}

interface OpenStack {
  collector: StackCollector;
  /** The command named a thread (`~5k`) whose id the text never told: the stack has no owner. */
  unresolved: boolean;
  tid: number | null;
  view: View;
  header: StackHeader;
}

interface Analysis {
  block: AnalysisBlock;
  view: View;
}

interface ExceptionFacts {
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

/**
 * Keep the stack that tells more: more frames, then stack pointers (k over kc), then arguments
 * (kb/kv over k); on a full tie, the later print.
 */
function longer(a: StackLine[] | null, b: StackLine[]): StackLine[] {
  if (a === null || b.length > a.length) return b;
  if (b.length < a.length) return a;
  const score = (s: StackLine[]) => (s.some((l) => l.frame.sp !== null) ? 2 : 0) + (s.some((l) => l.frame.args.length > 0) ? 1 : 0);
  return score(b) >= score(a) ? b : a;
}

/** "<Unloaded_PrintHook.dll>": WinDbg's name for code of a module that was unloaded. */
const UNLOADED = /^<Unloaded_(.+)>$/;

function siteKey(module: string | null, symbol: string | null, offset: bigint | null): string | null {
  if (!module || offset === null) return null;
  return `${module}!${symbol ?? ''}+${offset.toString(16)}`.toLowerCase();
}

class ReaderState {
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

  closeStack(): void {
    const s = this.stack;
    this.stack = null;
    if (!s) return;
    s.collector.finish();
    if (s.collector.lines.length === 0) return;
    if (s.collector.dropped > 0) {
      this.warnings.push({ kind: 'cap-frames', message: `a stack of ${s.collector.lines.length + s.collector.dropped} frames was cut to its first ${s.collector.lines.length}` });
    }
    let tid = s.tid;
    if (tid === null && !s.unresolved) tid = this.threadForPrompt();
    if (tid === null) {
      this.warnings.push({ kind: 'stack-thread-unknown', message: 'a stack was printed with no thread header or known thread; it was dropped' });
      return;
    }
    const t = this.thread(tid, this.promptThread ?? undefined);
    if (s.view === 'x86') t.x86 = longer(t.x86, s.collector.lines);
    else {
      t.native = longer(t.native, s.collector.lines);
      if (s.header.layout === 'x64') this.sawX64Layout = true;
      else if (s.header.layout === 'x86') this.sawX86Layout = true;
    }
  }

  /**
   * The thread a header-less `k` belongs to: the prompt's thread number when a thread list
   * told its id, else the event thread (right after a dump loads, the current thread is the
   * one the exception or break happened on).
   */
  threadForPrompt(): number | null {
    if (this.promptThread !== null) {
      const tid = this.ordinalToTid.get(this.promptThread);
      if (tid !== undefined) return tid;
    }
    return this.exLine?.tid ?? this.lastHeaderTid;
  }

  closeAnalysis(): void {
    if (this.analysis) this.analysis.block.end();
    this.analysis = null;
  }

  closeAll(): void {
    this.closeStack();
    this.closeAnalysis();
    this.moduleMode = null;
    this.lastRow = null;
    this.headerTid = null;
    this.expectIp = 0;
  }

  applyExr(f: ExrFact): void {
    const e = this.exr;
    switch (f.kind) {
      case 'address':
        // A new record starts with its address; once one is complete, keep the first.
        if (e.address !== null) {
          e.sealed = true;
          return;
        }
        e.address = f.address;
        e.site = f.site;
        return;
      case 'code':
        if (e.code === null) {
          e.code = f.code;
          e.codeText = f.text;
        }
        return;
      case 'flags':
        if (e.flags === null) e.flags = f.flags;
        return;
      case 'count':
        return;
      case 'parameter':
        if (!e.sealed && !e.parameters.has(f.index)) e.parameters.set(f.index, f.value);
        return;
      case 'attempt':
        if (!e.attempt) e.attempt = { access: f.access, address: f.address };
        return;
      case 'subcode':
        this.looseAnnotations['EXCEPTION_SUBCODE'] ??= f.text;
        return;
      case 'cpp':
        // The first Type line is the thrown class; the ones after it are its bases.
        this.looseAnnotations[f.field === 'type' ? 'EXCEPTION_CXX_TYPE' : 'EXCEPTION_CXX_MESSAGE'] ??= f.text;
        return;
    }
  }

  feed(line: string): void {
    const prompt = parsePrompt(line);
    if (prompt) {
      this.closeAll();
      this.recognised++;
      this.promptThread = prompt.thread;
      this.command = prompt.command;
      this.eachCount = 0;
      this.runaway = null;
      this.inKernel = prompt.kernel;
      if (prompt.kernel) {
        this.kernelSeen = true;
        return;
      }
      this.userSeen = true;
      this.view = promptView(prompt);
      if (this.view === 'x86') this.switchedToX86 = true;
      const sw = effmachSwitch(prompt.command);
      if (sw) {
        this.view = sw;
        if (sw === 'x86') this.switchedToX86 = true;
      }
      if (/^!analyze\b/i.test(prompt.command)) this.startAnalysis();
      return;
    }
    // A kd session's output says nothing of a user-mode process: its `k` is a kernel stack.
    if (this.inKernel) {
      if (line.trim()) this.kernelLines++;
      return;
    }

    const regs = line.length > 0 && line.length < 512 ? parseRegisterLine(line) : null;
    if (regs) {
      this.takeRegisters(regs);
      if (this.expectIp > 0) return;
      this.recognised++;
      return;
    }
    this.openRegisters = null;

    if (/^\s*Effective machine:/i.test(line)) {
      this.closeStack();
      this.recognised++;
      this.view = effmachSwitch(line) ?? this.view;
      if (this.view === 'x86') this.switchedToX86 = true;
      else if (/AMD64|x64/i.test(line)) this.effectiveMachineNative = 'amd64';
      else if (/ARM64/i.test(line)) this.effectiveMachineNative = 'arm64';
      return;
    }

    if (isAnalysisBanner(line)) {
      this.closeStack();
      this.moduleMode = null;
      if (/Bugcheck/.test(line)) this.kernelSeen = true;
      if (!this.analysis) this.startAnalysis();
      this.recognised++;
      return;
    }

    if (this.analysis && this.analysis.block.feed(line)) {
      if (line.trim()) this.recognised++;
      return;
    }

    if (this.expectIp > 0 && this.readEventIp(line)) return;
    if (this.pendingLabel !== null) {
      const label = this.pendingLabel;
      this.pendingLabel = null;
      const dis = parseDisassembly(line);
      if (dis) {
        this.labelled.set(label.toLowerCase(), dis.address);
        // Under `.ecxr` (or CONTEXT: of `!analyze`) the instruction is the faulting one.
        if (this.contextIsException()) this.ecxrIp ??= { address: dis.address, label };
        this.recognised++;
        return;
      }
    }

    // Inside a stack, frames are by far the commonest line: try them before anything else.
    if (this.stack) {
      if (this.stack.collector.feed(line)) {
        this.recognised++;
        return;
      }
      this.closeStack();
    }

    // A blank line (lines arrive trimmed at the end) is claimed by no parser below; answering it
    // here keeps a text of millions of empty lines from costing a dozen regexes per line.
    if (line.length === 0) {
      if (!this.moduleMode) this.headerTid = null;
      return;
    }

    if (this.commentLines) {
      const piece = line.trim();
      const last = piece.endsWith("'") || this.commentLines.length >= 16;
      this.commentLines.push(piece.replace(/'$/, ''));
      if (last) {
        const text = this.commentLines.filter((l) => l).join('\n');
        if (text) this.banner.push({ kind: 'comment', text });
        this.commentLines = null;
      }
      this.recognised++;
      return;
    }

    const banner = parseBannerLine(line);
    if (banner) {
      this.closeStack();
      if (banner.kind === 'comment' && banner.text === "'") {
        this.commentLines = [];
        this.recognised++;
        return;
      }
      this.banner.push(banner);
      if (banner.kind === 'dump-type') {
        if (banner.kernel) this.kernelSeen = true;
        else this.userSeen = true;
      } else if (banner.kind === 'os' && / Kernel$/.test(banner.os.replace(/ Version .*$/, ''))) this.kernelSeen = true;
      else if (banner.kind === 'exception-of-interest') this.storedException = true;
      this.recognised++;
      return;
    }

    const ex = parseExceptionLine(line) ?? parseLastEvent(line);
    if (ex) {
      this.closeStack();
      this.exLine ??= ex;
      this.userSeen = true;
      this.expectIp = /^\s*Last event:/.test(line) ? 0 : 4;
      this.recognised++;
      return;
    }

    const exr = parseExrLine(line);
    if (exr) {
      this.closeStack();
      this.applyExr(exr);
      this.recognised++;
      return;
    }

    if (/^\.exr\b/.test(this.command)) {
      const cpp = parseExrCppLine(line);
      if (cpp) {
        this.applyExr(cpp);
        this.recognised++;
        return;
      }
    }

    const header = parseThreadHeader(line);
    if (header) {
      this.closeStack();
      this.moduleMode = null;
      this.userSeen = true;
      const t = this.thread(header.tid, header.ordinal);
      t.ordinal = header.ordinal;
      t.listed = true;
      t.teb = header.teb ?? t.teb;
      t.suspend = header.suspend ?? t.suspend;
      t.frozen = header.frozen ?? t.frozen;
      t.name = header.name ?? t.name;
      this.ordinalToTid.set(header.ordinal, header.tid);
      if (header.marker === '.' && this.markerDot === null) this.markerDot = header.tid;
      if (header.marker === '#' && this.markerHash === null) this.markerHash = header.tid;
      this.pid ??= header.pid;
      this.headerTid = header.tid;
      this.lastHeaderTid = header.tid;
      this.recognised++;
      return;
    }

    if (this.headerTid !== null) {
      const prio = parsePriorityLine(line);
      if (prio !== null) {
        this.thread(this.headerTid).priority = prio;
        return;
      }
    }

    const stackHeader = parseStackHeader(line);
    if (stackHeader) {
      this.closeStack();
      this.moduleMode = null;
      const parse = stackHeader.callsOnly ? parseCallOnlyLine : parseFrameLine;
      const named = this.headerTid === null && commandThreads(this.command) !== null;
      const tid = this.headerTid ?? (named ? this.commandTid(true) : null);
      this.stack = { collector: new StackCollector(parse), tid, view: this.view, header: stackHeader, unresolved: named && tid === null };
      this.headerTid = null;
      this.recognised++;
      return;
    }

    if (isModuleHeader(line)) {
      this.moduleMode = 'loaded';
      this.lastRow = null;
      this.recognised++;
      return;
    }
    if (isUnloadedHeader(line)) {
      this.moduleMode = 'unloaded';
      this.lastRow = null;
      this.recognised++;
      return;
    }
    if (this.moduleMode) {
      const row = parseModuleRow(line);
      if (row) {
        (this.moduleMode === 'loaded' ? this.moduleRows : this.unloadedRows).push(row);
        this.lastRow = row;
        this.recognised++;
        return;
      }
      const detail = this.lastRow ? parseModuleDetail(line) : null;
      if (detail && this.lastRow) {
        this.lastRow.details[detail.key] ??= detail.value;
        return;
      }
      // lmv's detail lines without a colon ("Browse all global symbols…", "Image was built with /Brepro flag.").
      if (this.lastRow && /^\s/.test(line)) return;
      // Symbol loading can interrupt `lm` as it interrupts a stack.
      if (isSymbolNoise(line)) return;
      this.moduleMode = null;
      this.lastRow = null;
    }

    const modLoad = /^\s*ModLoad:/.test(line) ? parseModLoad(line) : null;
    if (modLoad) {
      this.modLoadRows.push(modLoad);
      this.recognised++;
      return;
    }

    if (this.readSessionLine(line)) {
      this.recognised++;
      return;
    }

    const key = parseAnalysisKey(line, false);
    if (key) {
      this.recognised++;
      // A paste that starts inside `!analyze -v` output (no banner): read the rest as its block,
      // so that multi-line values (FAULTING_IP) and STACK_TEXT's frames are not lost.
      if (!this.analysis && ANALYSIS_BLOCK_KEYS.has(key.key)) {
        this.startAnalysis();
        this.analysis!.block.feed(line);
        return;
      }
      this.looseAnnotations[key.key] = key.value;
      return;
    }

    // "App!Crash+0x17:" above the instruction it names (after `r`, `.ecxr`, `u`, `.frame /r`).
    if (line.endsWith(':')) this.pendingLabel = parseSymbolLabel(line);
  }

  /** `|`, `!runaway`, `!gle`, `vertarget`'s process times and the WOW64 mode switch. */
  private readSessionLine(line: string): boolean {
    const wow = parseWowSwitch(line);
    if (wow) {
      this.view = wow;
      if (wow === 'x86') this.switchedToX86 = true;
      return true;
    }
    const section = parseRunawaySection(line);
    if (section) {
      this.runaway = section;
      return true;
    }
    if (this.runaway) {
      if (/^\s*Thread\s+Time\s*$/.test(line)) return true;
      const row = parseRunawayRow(line);
      if (row) {
        const t = this.thread(row.tid, row.ordinal);
        this.ordinalToTid.set(row.ordinal, row.tid);
        if (this.runaway === 'user') t.userSeconds = row.seconds;
        else if (this.runaway === 'kernel') t.kernelSeconds = row.seconds;
        return true;
      }
      this.runaway = null;
    }
    const proc = parseProcessLine(line);
    if (proc) {
      if (proc.current || this.pid === null) {
        this.pid = proc.pid;
        this.processImage = proc.image ?? this.processImage;
      }
      this.userSeen = true;
      return true;
    }
    const gle = parseLastError(line);
    if (gle) {
      this.looseAnnotations[gle.key] ??= gle.value;
      return true;
    }
    const time = parseProcessTime(line);
    if (time) {
      if (time.kind === 'user') this.processTimes.user ??= time.seconds;
      else this.processTimes.kernel ??= time.seconds;
      return true;
    }
    return false;
  }

  /**
   * A register line: continues the dump being read or starts one. Its owner is what printed it:
   * the exception context (`.ecxr`, `.cxr`, CONTEXT: of `!analyze`), the event thread (the dump
   * under the event line), or the thread the command or the prompt names (`r`, `~3r`).
   */
  private takeRegisters(regs: Map<string, bigint>): void {
    if (this.openRegisters) {
      for (const [k, v] of regs) this.openRegisters.regs.set(k, v);
      return;
    }
    let owner: RegisterOwner | null = null;
    if (this.contextIsException()) owner = 'exception';
    else if (this.expectIp > 0 && this.exLine) owner = { tid: this.exLine.tid };
    else if (commandThreads(this.command) === 'each') return;
    else {
      const named = commandThreads(this.command) !== null;
      const tid = named ? this.commandTid(false) : this.threadForPrompt();
      if (tid !== null) owner = { tid };
    }
    if (owner === null) return;
    this.openRegisters = { owner, view: this.view, regs: new Map(regs) };
    this.registerSets.push(this.openRegisters);
  }

  /** Output of `.ecxr` / `.cxr`, or CONTEXT: of `!analyze -v`: the exception's own context. */
  private contextIsException(): boolean {
    return this.analysis?.block.lastKey === 'CONTEXT' || /^\.e?cxr\b/i.test(this.command);
  }

  /** The thread a `~Nk`, `~~[tid]k`, `~#k` or `~*e k` command printed its stack for. */
  private commandTid(advance: boolean): number | null {
    const who = commandThreads(this.command);
    if (who === null) return null;
    if (who === 'event') return this.markerHash ?? this.exLine?.tid ?? null;
    if (who === 'each') {
      // `~*e k` runs k on each thread in debugger order; only a thread list tells their ids.
      const listed = [...this.threads.values()].filter((t) => t.listed).sort((a, b) => a.ordinal - b.ordinal);
      const t = listed[this.eachCount];
      if (advance) this.eachCount++;
      return t?.id ?? null;
    }
    if ('tid' in who) return who.tid;
    return this.ordinalToTid.get(who.ordinal) ?? null;
  }

  pid: number | null = null;
  /** The command of the last prompt: some output ("Type : …") is only meaningful after it. */
  command = '';

  private startAnalysis(): void {
    this.closeAnalysis();
    this.analysis = { block: new AnalysisBlock(), view: this.view };
    this.analyses.push(this.analysis);
  }

  /** The faulting instruction printed under the event line; a label line may come first. */
  private readEventIp(line: string): boolean {
    // A register dump (`r` output: "eax=… ebx=…", "cs=001b ss=0023 …") often sits between the
    // event line and the instruction; it does not count against the lines we wait for.
    if (/^\s*[a-z][a-z0-9]{1,5}=[0-9a-f]+(\s|$)/i.test(line)) return true;
    // Symbol loading for the module of the instruction ("*** ERROR: Symbol file could not be found…").
    if (isSymbolNoise(line)) return false;
    this.expectIp--;
    const label = parseSymbolLabel(line);
    if (label) {
      this.ipLabel = label;
      // The instruction follows its label on the next line.
      this.expectIp = 1;
      return true;
    }
    const dis = parseDisassembly(line);
    if (dis) {
      this.eventIp = { address: dis.address, label: this.ipLabel };
      this.expectIp = 0;
      this.recognised++;
      return true;
    }
    return false;
  }
}

/** Known instruction pointers, keyed by "module!symbol+off", for frames whose IP k does not print. */
function knownIps(s: ReaderState): Map<string, bigint> {
  const out = new Map<string, bigint>();
  if (s.exr.address !== null && s.exr.site) {
    const k = siteKey(s.exr.site.module, s.exr.site.symbol, s.exr.site.offset);
    if (k) out.set(k, s.exr.address);
  }
  if (s.eventIp?.label) {
    const label = s.eventIp.label;
    const bang = label.indexOf('!');
    const off = /\+(0x[0-9a-f]+)$/i.exec(label);
    const module = bang > 0 ? label.slice(0, bang) : label.replace(/\+0x[0-9a-f]+$/i, '');
    const symbol = bang > 0 ? label.slice(bang + 1).replace(/\+0x[0-9a-f]+$/i, '') : null;
    const k = siteKey(module, symbol, off ? BigInt(off[1]!) : 0n);
    if (k) out.set(k, s.eventIp.address);
  }
  for (const [label, address] of s.labelled) {
    const site = parseCallSite(label);
    const k = site ? siteKey(site.module, site.symbol, site.offset) : null;
    if (k && !out.has(k)) out.set(k, address);
  }
  return out;
}

/**
 * Old `!analyze -v` prints the faulting instruction under FAULTING_IP: its symbol (offset in
 * hex without "0x": "App!Crash+17") and the disassembly line with its address.
 */
function faultingIp(value: string | undefined): { address: bigint; site: CallSite | null } | null {
  if (!value) return null;
  const [label, code] = value.split('\n');
  const dis = code ? parseDisassembly(code) : null;
  if (!dis || !label) return null;
  const site = parseCallSite(label.trim().replace(/\+([0-9a-f]+)$/i, '+0x$1'));
  return { address: dis.address, site };
}

/** Keys whose value runs over the next lines or is followed by frames: they open an implicit block. */
const ANALYSIS_BLOCK_KEYS = new Set(['FAULTING_IP', 'EXCEPTION_RECORD', 'STACK_TEXT', 'FOLLOWUP_IP', 'CONTEXT']);

interface FrameContext {
  transfers: Array<{ from: bigint; to: bigint }>;
  ips: Map<string, bigint>;
  /** Module bases by WinDbg's module name (lower case), from lm. */
  bases: Map<string, bigint>;
  /** Unloaded modules' bases by file name (lower case), from lm's unloaded list. */
  unloadedBases: Map<string, bigint>;
  /** The thread's own registers in this view, when a register dump showed them. */
  regs: Map<string, bigint> | null;
}

function toFrames(lines: StackLine[], ctx: FrameContext, layout: 'x64' | 'x86'): Frame[] {
  let lastRet: bigint | null = null;
  return lines.map((l, index) => {
    const f = l.frame;
    let cs = f.callSite;
    const notes: string[] = [];
    // Code of an unloaded module is in no module now: say which one it was, keep no module name.
    const unloaded = cs.module ? UNLOADED.exec(cs.module) : null;
    if (unloaded) {
      const base = ctx.unloadedBases.get(unloaded[1]!.toLowerCase());
      cs = { module: null, symbol: null, offset: cs.offset, address: base !== undefined && cs.offset !== null && cs.address === null && index === 0 ? base + cs.offset : cs.address };
      notes.push(`in the unloaded module ${unloaded[1]}`);
    }
    let address: bigint | null = cs.address ?? lastRet;
    if (address === null) {
      // Frame 0's own IP is not in k's columns. LAST_CONTROL_TRANSFER "from R to I" names it
      // when this frame returns to R; the exception record, the event line or a symbol label
      // name it by symbol; "module+0x1a46" with lm's base is exact.
      const t = f.retAddr !== null ? ctx.transfers.find((x) => x.from === f.retAddr) : undefined;
      address = t?.to ?? ctx.ips.get(siteKey(cs.module, cs.symbol, cs.offset) ?? '') ?? null;
      if (address === null && cs.module && cs.symbol === null && cs.offset !== null) {
        const base = ctx.bases.get(cs.module.toLowerCase());
        if (base !== undefined) address = base + cs.offset;
      }
      // A register dump of the same context: its stack pointer is frame 0's Child-SP (x64), its
      // frame pointer frame 0's ChildEBP (x86).
      if (address === null && index === 0 && ctx.regs && f.sp !== null) {
        const r = pcAndSp(ctx.regs);
        if (r.pc !== null && (layout === 'x86' ? r.fp : r.sp) === f.sp) address = r.pc;
      }
    }
    if (!f.inline && f.retAddr !== null) lastRet = f.retAddr;
    if (l.note) notes.unshift(l.note);
    if (f.inline) notes.push('inline frame');
    if (address === null) notes.push('instruction pointer not printed by the debugger');
    const frame: Frame = {
      index,
      address: hex(address ?? 0n),
      sp: f.sp !== null ? hex(f.sp) : null,
      retAddr: f.retAddr !== null ? hex(f.retAddr) : null,
      module: cs.module,
      symbol: cs.symbol,
      offset: cs.offset !== null ? hex(cs.offset) : null,
      trust: 'text',
    };
    if (f.args.length > 0) frame.args = f.args.map((a) => hex(a));
    if (notes.length > 0) frame.note = notes.join('; ');
    return frame;
  });
}

function firstHex(text: string | undefined): bigint | null {
  if (!text) return null;
  for (const tok of text.split(/\s+/)) {
    const v = parseHex(tok);
    if (v !== null && /^[0-9a-f`]{8,17}$/i.test(tok)) return v;
  }
  return null;
}

/**
 * The instruction under the event line, when it is the faulting one. Opening a dump whose
 * exception is stored apart (".ecxr" shows it), WinDbg shows the thread where it sat when the
 * dump was written, typically a system call inside the crash handler's wait: that is not
 * where the exception happened.
 */
function eventFaultIp(s: ReaderState): { address: bigint; label: string | null } | null {
  if (s.ecxrIp) return s.ecxrIp;
  const ip = s.eventIp;
  if (!ip) return null;
  if (s.storedException && ip.label && isSyscallStub(ip.label)) return null;
  return ip;
}

/** The exception's address came from the text, not from the "0x0" the schema needs for unknown. */
function exceptionAddressKnown(s: ReaderState, annotations: Record<string, string>): boolean {
  return s.exr.address !== null || eventFaultIp(s) !== null || faultingIp(annotations['FAULTING_IP']) !== null;
}

function buildException(
  s: ReaderState,
  annotations: Record<string, string>,
  faultingTid: number | null,
): ExceptionRecord | null {
  const e = s.exr;
  const errorCode = annotations['ERROR_CODE'] ? parseErrorCode(annotations['ERROR_CODE']) : null;
  const codeStr = annotations['EXCEPTION_CODE_STR'] ? parseErrorCode(annotations['EXCEPTION_CODE_STR']) : null;
  const exceptionCode = annotations['EXCEPTION_CODE'] ? parseErrorCode(annotations['EXCEPTION_CODE']) : null;
  const code = e.code ?? s.exLine?.code ?? codeStr?.code ?? exceptionCode?.code ?? errorCode?.code ?? null;
  if (code === null) return null;

  const params: bigint[] = [];
  for (let i = 0; e.parameters.has(i); i++) params.push(e.parameters.get(i)!);
  if (params.length === 0) {
    const p1 = firstHex(annotations['EXCEPTION_PARAMETER1']);
    const p2 = firstHex(annotations['EXCEPTION_PARAMETER2']);
    if (p1 !== null) params.push(p1);
    if (p1 !== null && p2 !== null) params.push(p2);
  }

  let access: ExceptionRecord['access'] = null;
  // An access violation / in-page error says what it tried in Parameter[0] and where in [1].
  if ((code === 0xc0000005 || code === 0xc0000006) && params.length >= 2) {
    const kind = params[0] === 0n ? 'read' : params[0] === 1n ? 'write' : params[0] === 8n ? 'execute' : 'unknown';
    access = { kind, address: hex(params[1]!) };
  } else if (e.attempt) {
    access = { kind: e.attempt.access, address: hex(e.attempt.address) };
  } else if (code === 0xc0000005) {
    const read = firstHex(annotations['READ_ADDRESS']);
    const write = firstHex(annotations['WRITE_ADDRESS']);
    if (write !== null) access = { kind: 'write', address: hex(write) };
    else if (read !== null) access = { kind: 'read', address: hex(read) };
  }

  const named = describeCode(code);
  const debuggerText =
    (errorCode && errorCode.code === code ? errorCode.text : null) ??
    e.codeText ??
    (s.exLine && s.exLine.code === code && !/^Unknown exception$/i.test(s.exLine.text) ? s.exLine.text : null);

  let module: string | null = e.site?.module ?? null;
  let symbol: string | null = e.site?.symbol ?? null;
  const eventIp = eventFaultIp(s);
  const fip = faultingIp(annotations['FAULTING_IP']);
  if (!module && e.address === null && eventIp?.label) {
    const label = eventIp.label;
    const bang = label.indexOf('!');
    module = bang > 0 ? label.slice(0, bang) : label.replace(/\+0x[0-9a-f]+$/i, '');
    symbol = bang > 0 ? label.slice(bang + 1).replace(/\+0x[0-9a-f]+$/i, '') : null;
  }
  if (!module && e.address === null && !eventIp && fip?.site) {
    module = fip.site.module;
    symbol = fip.site.symbol;
  }
  // "<Unloaded_PrintHook.dll>+0x1a2b": no module holds the address any more.
  if (module && UNLOADED.test(module)) {
    module = null;
    symbol = null;
  }
  // Unknown stays visible: the schema needs an address, so "0x0" goes out with `missing`
  // saying "exception address" (see assemble), never as a guess.
  const address = e.address ?? eventIp?.address ?? fip?.address ?? null;
  return {
    code: code32(code),
    name: named.name,
    description: named.description ?? debuggerText,
    flags: hex(e.flags ?? 0n),
    address: hex(address ?? 0n),
    threadId: faultingTid,
    parameters: params.map((p) => hex(p)),
    access,
    module,
    symbol,
  };
}

/** Threads kept from one text (the faulting one always among them); see docs/limits.md. */
export const MAX_TEXT_THREADS = 2000;

/**
 * Each thread's registers per view, keyed "tid/view". The exception context (.ecxr, CONTEXT:)
 * wins for the faulting thread, as the minidump reader walks that thread from it; dumps of
 * the same owner otherwise merge in print order (`r r8` adds one register to an earlier `r`).
 */
function threadRegisters(s: ReaderState, faultingTid: number | null): Map<string, Map<string, bigint>> {
  const out = new Map<string, Map<string, bigint>>();
  const put = (key: string, regs: Map<string, bigint>) => {
    const into = out.get(key) ?? new Map<string, bigint>();
    for (const [k, v] of regs) into.set(k, v);
    out.set(key, into);
  };
  for (const set of s.registerSets) if (set.owner !== 'exception') put(`${set.owner.tid}/${set.view}`, set.regs);
  if (faultingTid !== null) {
    for (const set of s.registerSets) if (set.owner === 'exception') put(`${faultingTid}/${set.view}`, set.regs);
  }
  return out;
}

function registerRecord(regs: Map<string, bigint>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of regs) out[k] = hex(v);
  return out;
}

const WOW64_MODULES = /^(?:wow64|wow64cpu|wow64win|wowarmhw|xtajit|xtajit64)$/i;

function assemble(s: ReaderState, model: DumpModel): void {
  // Once per distinct warning: a text of 500 000 orphan stacks says "dropped" once, and a
  // spread of that many arguments would overflow the call stack.
  const seen = new Set<string>();
  for (const w of s.warnings) {
    const key = `${w.kind}\u0000${w.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    model.warnings.push(w);
  }
  // System and dump facts from the banner.
  for (const f of s.banner) {
    switch (f.kind) {
      case 'debugger':
        model.annotations['DEBUGGER_VERSION'] ??= f.host ? `${f.version} ${f.host}` : f.version;
        break;
      case 'dump-type':
        model.dump.description ??= f.description;
        model.dump.fullMemory ??= f.fullMemory;
        break;
      case 'comment': {
        model.dump.comment ??= f.text;
        if (/userdump/i.test(f.text)) model.dump.writer ??= 'userdump';
        else if (/procdump/i.test(f.text)) model.dump.writer ??= 'procdump';
        break;
      }
      case 'os':
        model.system.os ??= f.os;
        model.system.version ??= f.version;
        model.system.build ??= f.build;
        model.system.servicePack ??= f.servicePack;
        model.system.cpuCount ??= f.cpuCount;
        if (model.system.arch === 'unknown') model.system.arch = f.arch;
        break;
      case 'product':
        model.system.product ??= f.text;
        break;
      case 'build-lab':
        model.annotations['BUILD_LAB'] ??= f.text;
        if (model.system.arch === 'unknown' && f.arch) model.system.arch = f.arch;
        break;
      case 'machine-name':
        if (f.text) model.annotations['MACHINE_NAME'] ??= f.text;
        break;
      case 'session-time':
        model.dump.time ??= f.iso;
        break;
      case 'system-uptime':
        model.system.uptimeSeconds ??= f.seconds;
        break;
      case 'process-uptime':
        model.process.uptimeSeconds ??= f.seconds;
        break;
      case 'truncated':
        model.warnings.push({ kind: 'dump-truncated', message: 'the debugger reported that the dump file is truncated: data may be missing' });
        break;
      case 'overlap':
        model.warnings.push({ kind: 'module-overlap', message: `${f.a} overlaps ${f.b}` });
        break;
      case 'exception-of-interest':
        model.dump.manual = false;
        break;
      case 'dump-file':
        break;
    }
  }
  if (s.recognised > 0) model.system.platform = 'windows';

  // Annotations: loose keys first, then each !analyze block in order; a later analysis (often
  // the one after `.effmach x86`, the meaningful one for a WOW64 process) wins on a clash.
  Object.assign(model.annotations, s.looseAnnotations);
  for (const a of s.analyses) Object.assign(model.annotations, a.block.annotations);

  // The faulting thread: what !analyze says, else the '#' (event) marker, else the event
  // line's thread, else the '.' (current) marker of the first thread list.
  const ft = model.annotations['FAULTING_THREAD'] ? parseHex(model.annotations['FAULTING_THREAD'].split(/\s/)[0]!) : null;
  // Thread ids are 32-bit; a larger value is damage, not a thread.
  let faultingTid: number | null = ft !== null && ft <= 0xffffffffn ? Number(ft) : null;
  faultingTid ??= s.markerHash;
  if (faultingTid === null && s.exLine && (s.threads.has(s.exLine.tid) || s.threads.size === 0)) faultingTid = s.exLine.tid;
  // The current thread is the exception's only when there is an exception: in a dump saved
  // on request (or a paste of `~*k` alone) no thread faulted, whatever thread WinDbg shows.
  const hasException =
    s.exr.code !== null || s.exLine !== null || ['ERROR_CODE', 'EXCEPTION_CODE', 'EXCEPTION_CODE_STR'].some((k) => model.annotations[k]);
  if (hasException) faultingTid ??= s.markerDot;

  // The analysis stack is unwound from the exception context (.ecxr), and `k` stops at its
  // default frame count, so for the faulting thread the !analyze stack replaces the thread's
  // own stack of the same view when it is at least as long. In a WOW64 log this makes the
  // x86 `!analyze -v` stack (down to the application's frames) the thread's x86 view.
  for (const a of s.analyses) {
    if (a.block.stack.length === 0 || faultingTid === null) continue;
    const t = s.thread(faultingTid);
    if (a.view === 'x86') t.x86 = longer(t.x86, a.block.stack);
    else t.native = longer(t.native, a.block.stack);
  }

  // Architecture: the OS line or build lab said it above; else the stacks and module bases.
  // A live session's ModLoad lines fill in what lm did not list (or all of it, with no lm).
  const listed = new Set(s.moduleRows.map((r) => r.start));
  for (const r of s.modLoadRows) {
    if (!listed.has(r.start)) {
      listed.add(r.start);
      s.moduleRows.push(r);
    }
  }
  const maxModuleEnd = s.moduleRows.reduce((m, r) => (r.end > m ? r.end : m), 0n);
  if (model.system.arch === 'unknown') {
    if (s.effectiveMachineNative) model.system.arch = s.effectiveMachineNative;
    else if (s.switchedToX86 || s.sawX64Layout || maxModuleEnd > 0xffffffffn) model.system.arch = 'amd64';
    else if (s.sawX86Layout || s.moduleRows.length > 0) model.system.arch = 'x86';
    else {
      // A pasted `!analyze -v` alone: its stack's addresses tell the width (x64 return
      // addresses into system DLLs are far above 4 GB).
      const frames = s.analyses.flatMap((a) => a.block.stack);
      if (frames.some((l) => (l.frame.retAddr ?? 0n) > 0xffffffffn || (l.frame.sp ?? 0n) > 0xffffffffn)) model.system.arch = 'amd64';
      else if (frames.some((l) => l.frame.sp !== null)) model.system.arch = 'x86';
    }
  }
  const is64 = model.system.arch === 'amd64' || model.system.arch === 'arm64';
  const wow64Frames = [...s.threads.values()].some((t) => t.native?.some((l) => l.frame.callSite.module && WOW64_MODULES.test(l.frame.callSite.module)));
  const wow64Modules = s.moduleRows.some((r) => WOW64_MODULES.test(r.name));
  model.process.wow64 = is64 && (s.switchedToX86 || wow64Frames || wow64Modules);
  model.process.bitness = model.process.wow64 ? 32 : is64 ? 64 : model.system.arch === 'x86' || model.system.arch === 'arm' ? 32 : null;

  model.process.pid = s.exLine?.pid ?? s.pid;
  const ips = knownIps(s);
  const transfers = (view: View) =>
    s.analyses
      .filter((a) => a.view === view)
      .map((a) => (a.block.annotations['LAST_CONTROL_TRANSFER'] ? parseControlTransfer(a.block.annotations['LAST_CONTROL_TRANSFER']) : null))
      .filter((x): x is { from: bigint; to: bigint } => x !== null);
  const nativeTransfers = transfers('native');
  const x86Transfers = transfers('x86');
  const bases = new Map<string, bigint>();
  for (const r of s.moduleRows) if (!bases.has(r.name.toLowerCase())) bases.set(r.name.toLowerCase(), r.start);
  const regs = threadRegisters(s, faultingTid);
  const unloadedBases = new Map<string, bigint>();
  for (const r of s.unloadedRows) unloadedBases.set(r.name.toLowerCase(), r.start);

  const all = [...s.threads.values()];
  // The same bound as a minidump's walked threads: detectors look at every frame of every
  // thread, and a log repeating one thread block 20 000 times must not cost them minutes.
  const kept = all.length > MAX_TEXT_THREADS ? all.filter((t, i) => i < MAX_TEXT_THREADS || t.id === faultingTid) : all;
  if (kept.length < all.length) {
    model.warnings.push({ kind: 'cap-threads', message: `only the first ${MAX_TEXT_THREADS} of ${all.length} threads in the text were read` });
  }
  const threads: Thread[] = kept.map((t) => {
    const th: Thread = {
      id: t.id,
      ordinal: t.ordinal,
      name: t.name,
      teb: t.teb !== null ? hex(t.teb) : null,
      suspendCount: t.suspend,
      frozen: t.frozen,
      priority: t.priority,
      faulting: t.id === faultingTid,
      times: t.userSeconds !== null || t.kernelSeconds !== null ? { created: null, userSeconds: t.userSeconds, kernelSeconds: t.kernelSeconds } : null,
      frames: t.native
        ? toFrames(t.native, { transfers: nativeTransfers, ips, bases, unloadedBases, regs: regs.get(`${t.id}/native`) ?? null }, is64 ? 'x64' : 'x86')
        : [],
      framesNote: t.native ? null : 'the text printed no native stack for this thread',
    };
    if (t.x86) th.x86Frames = toFrames(t.x86, { transfers: x86Transfers, ips, bases, unloadedBases, regs: regs.get(`${t.id}/x86`) ?? null }, 'x86');
    const native = regs.get(`${t.id}/native`);
    if (native) th.registers = registerRecord(native);
    const x86 = regs.get(`${t.id}/x86`);
    if (x86) th.x86Registers = registerRecord(x86);
    return th;
  });
  model.threads = threads;

  model.exception = buildException(s, model.annotations, faultingTid);
  model.modules = s.moduleRows.map((r) => moduleFromRow(r, false));
  model.unloadedModules = s.unloadedRows.map((r) => moduleFromRow(r, true));
  if (model.process.wow64) {
    // In a WOW64 process the 32-bit DLLs come from SysWOW64; lm's path column says so when printed.
    for (const m of model.modules) if (m.path && /\\syswow64\\/i.test(m.path)) m.x86 = true;
  }

  const procName = model.annotations['PROCESS_NAME']?.split(/\s/)[0];
  const exe: Module | undefined = model.modules.find((m) => /\.exe$/i.test(m.name));
  const image = s.processImage?.split(/[\\/]/).pop();
  model.process.name = procName || image || exe?.name || null;
  model.process.userSeconds = s.processTimes.user;
  model.process.kernelSeconds = s.processTimes.kernel;
  if (s.kernelLines > 0) {
    model.warnings.push({ kind: 'kernel-output', message: `${s.kernelLines} line(s) of kernel debugger (kd>) output were skipped: they describe no user-mode thread` });
  }

  const missing = model.missing;
  if (model.modules.length === 0) missing.push('modules');
  if (![...s.threads.values()].some((t) => t.listed)) missing.push('thread list');
  if (model.process.wow64 && !threads.some((t) => t.x86Frames && t.x86Frames.length > 0)) missing.push('x86 stacks');
  // Registers count as read when the thread that matters (the faulting one, else any) has them.
  const focus = threads.find((t) => t.faulting);
  const hasRegisters = focus ? !!(focus.registers || focus.x86Registers) : threads.some((t) => t.registers || t.x86Registers);
  if (!model.exception) missing.push('exception');
  else if (!exceptionAddressKnown(s, model.annotations)) missing.push('exception address');
  if (!model.system.os) missing.push('os version');
  // Text never carries these: detectors that need them must not expect them here.
  if (!hasRegisters) missing.push('registers');
  missing.push('stack memory');
}

/**
 * Lines of a long text (over PROBE_MIN_CHARS) read first to see whether it holds debugger output
 * at all. A session log shows its banner, a prompt or a stack long before this; 50 MB of noise
 * or prose is refused after it instead of running every parser over a million lines (seconds
 * of regexes). Counted in lines, not characters, so one endless first line cannot hide a log.
 */
export const PROBE_LINES = 50_000;
const PROBE_MIN_CHARS = 1024 * 1024;

/** The offset just past line `lines` (or the text's end). indexOf is cheap even over megabytes. */
function probeEnd(text: string, lines: number): number {
  let pos = 0;
  for (let n = 0; n < lines; n++) {
    const end = text.indexOf('\n', pos);
    if (end < 0) return text.length;
    pos = end + 1;
  }
  return pos;
}

function recognisesAny(text: string, limits: LineLimits): boolean {
  const state = new ReaderState();
  for (const line of splitLines(text, limits).lines) {
    state.feed(line);
    if (state.recognised > 0) return true;
  }
  return false;
}

/**
 * Reads pasted WinDbg/CDB output into the dump model. Pure and synchronous; bounded by
 * `limits` (lines and line length). Throws DumpError('not-a-dump') only when the text holds
 * no debugger output at all; anything less is a partial model with warnings and `missing`.
 */
export function readWindbgText(text: string, name: string, options: ReadOptions = {}): DumpModel {
  const limits = options.limits ?? DEFAULT_LIMITS;
  if (text.length > PROBE_MIN_CHARS) {
    const end = probeEnd(text, PROBE_LINES);
    if (end < text.length && !recognisesAny(text.slice(0, end), limits)) {
      throw new DumpError('not-a-dump', `no WinDbg or CDB output was found in the first ${PROBE_LINES} lines of the text`);
    }
  }
  const model = emptyModel('windbg-text', name, utf8Length(text));
  const { lines, warnings } = splitLines(text, limits);
  const state = new ReaderState();
  state.warnings.push(...warnings);
  for (let i = 0; i < lines.length; i++) {
    if (options.budget && i % BUDGET_POLL_LINES === 0) {
      options.budget.throwIfCancelled();
      if (options.budget.expired) {
        state.warnings.push(options.budget.warning(`only the first ${i} of ${lines.length} lines were read`));
        model.missing.push(`text past line ${i} (time budget)`);
        break;
      }
    }
    state.feed(lines[i]!);
  }
  state.closeAll();
  if (state.recognised === 0 && state.kernelLines === 0) {
    throw new DumpError('not-a-dump', 'no WinDbg or CDB output was found in the text');
  }
  if (state.kernelSeen && !state.userSeen) {
    throw new DumpError(
      'unsupported',
      'this is kernel debugger output (a kd> session or a kernel dump); only user-mode dumps and sessions can be analysed',
    );
  }
  assemble(state, model);
  return model;
}
