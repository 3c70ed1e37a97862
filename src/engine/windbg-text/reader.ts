// WinDbg/CDB text → the dump model. One pass over the lines: each line is offered to the
// parsers of the output kinds (banner, event line, exception record, `!analyze -v`, thread
// stacks, module lists); what none of them claims — blog prose, e-mail chatter, commands we
// do not read — is skipped. The pieces are put together at the end, when everything the log
// tells is known (which thread faulted, where frame 0 was, whether the process ran on WOW64).
import { DumpError } from '../errors.ts';
import { emptyModel } from '../model/empty.ts';
import { code32, hex, parseHex } from '../model/hex.ts';
import type { Arch, DumpModel, ExceptionRecord, Frame, Module, Thread, Warning } from '../model/schema.ts';
import { describeCode } from '../names/exception-codes.ts';
import { AnalysisBlock, isAnalysisBanner, parseAnalysisKey, parseControlTransfer, parseErrorCode } from './analyze-v.ts';
import { parseBannerLine, type BannerFact } from './banner.ts';
import { parseExceptionLine, parseDisassembly, parseSymbolLabel, type ExceptionLine } from './exception-line.ts';
import { parseExrCppLine, parseExrLine, type ExrFact } from './exr.ts';
import { parseFrameLine, type CallSite } from './frame-line.ts';
import { DEFAULT_LIMITS, splitLines, utf8Length, type LineLimits } from './lines.ts';
import { isModuleHeader, isUnloadedHeader, moduleFromRow, parseModuleDetail, parseModuleRow, type ModuleRow } from './module-list.ts';
import { effmachSwitch, parsePrompt, promptView, type View } from './prompt.ts';
import { StackCollector, type StackLine } from './stack-line.ts';
import { parsePriorityLine, parseStackHeader, parseThreadHeader, type StackHeader } from './thread-stacks.ts';

export interface ReadOptions {
  limits?: LineLimits;
}

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
}

interface OpenStack {
  collector: StackCollector;
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

/** Keep the stack that tells more; on a tie, the later print (kb/kv add arguments to k). */
function longer(a: StackLine[] | null, b: StackLine[]): StackLine[] {
  return a === null || b.length >= a.length ? b : a;
}

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
  sawX64Layout = false;
  sawX86Layout = false;

  readonly analyses: Analysis[] = [];
  analysis: Analysis | null = null;
  readonly looseAnnotations: Record<string, string> = {};

  moduleMode: 'loaded' | 'unloaded' | null = null;
  readonly moduleRows: ModuleRow[] = [];
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
      };
      this.threads.set(tid, t);
    }
    return t;
  }

  closeStack(): void {
    const s = this.stack;
    this.stack = null;
    if (!s || s.collector.lines.length === 0) return;
    let tid = s.tid;
    if (tid === null) tid = this.threadForPrompt();
    if (tid === null) {
      this.warnings.push({ kind: 'stack-thread-unknown', message: 'a stack was printed with no thread header or known thread; it was dropped' });
      return;
    }
    const t = this.thread(tid, this.promptThread ?? undefined);
    if (s.view === 'x86') t.x86 = longer(t.x86, s.collector.lines);
    else {
      t.native = longer(t.native, s.collector.lines);
      if (s.header.layout === 'x64') this.sawX64Layout = true;
      else this.sawX86Layout = true;
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
      this.view = promptView(prompt);
      if (this.view === 'x86') this.switchedToX86 = true;
      this.promptThread = prompt.thread;
      this.command = prompt.command;
      const sw = effmachSwitch(prompt.command);
      if (sw) {
        this.view = sw;
        if (sw === 'x86') this.switchedToX86 = true;
      }
      if (/^!analyze\b/i.test(prompt.command)) this.startAnalysis();
      return;
    }

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
      if (!this.analysis) this.startAnalysis();
      this.recognised++;
      return;
    }

    if (this.analysis && this.analysis.block.feed(line)) {
      if (line.trim()) this.recognised++;
      return;
    }

    if (this.expectIp > 0 && this.readEventIp(line)) return;

    // Inside a stack, frames are by far the commonest line: try them before anything else.
    if (this.stack) {
      if (this.stack.collector.feed(line, parseFrameLine)) {
        this.recognised++;
        return;
      }
      // Symbol-loading complaints can interrupt a stack without ending it.
      if (/^\s*\*\*\*/.test(line)) return;
      this.closeStack();
    }

    const banner = parseBannerLine(line);
    if (banner) {
      this.closeStack();
      this.banner.push(banner);
      this.recognised++;
      return;
    }

    const ex = parseExceptionLine(line);
    if (ex) {
      this.closeStack();
      this.exLine ??= ex;
      this.expectIp = 4;
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
      this.stack = { collector: new StackCollector(), tid: this.headerTid, view: this.view, header: stackHeader };
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
      if (!line.trim()) return;
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
      this.moduleMode = null;
      this.lastRow = null;
    }

    const key = parseAnalysisKey(line, false);
    if (key) {
      this.looseAnnotations[key.key] = key.value;
      this.recognised++;
      return;
    }

    if (!line.trim()) {
      this.headerTid = null;
    }
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
    this.expectIp--;
    const label = parseSymbolLabel(line);
    if (label) {
      this.ipLabel = label;
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
  return out;
}

function toFrames(
  lines: StackLine[],
  transfers: Array<{ from: bigint; to: bigint }>,
  ips: Map<string, bigint>,
): Frame[] {
  let lastRet: bigint | null = null;
  return lines.map((l, index) => {
    const f = l.frame;
    const cs = f.callSite;
    let address: bigint | null = cs.address ?? lastRet;
    if (address === null) {
      // Frame 0's own IP is not in k's columns. LAST_CONTROL_TRANSFER "from R to I" names it
      // when this frame returns to R; the exception record or event line name it by symbol.
      const t = f.retAddr !== null ? transfers.find((x) => x.from === f.retAddr) : undefined;
      address = t?.to ?? ips.get(siteKey(cs.module, cs.symbol, cs.offset) ?? '') ?? null;
    }
    if (!f.inline && f.retAddr !== null) lastRet = f.retAddr;
    const notes: string[] = [];
    if (l.note) notes.push(l.note);
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
  if (!module && s.eventIp?.label) {
    const label = s.eventIp.label;
    const bang = label.indexOf('!');
    module = bang > 0 ? label.slice(0, bang) : label.replace(/\+0x[0-9a-f]+$/i, '');
    symbol = bang > 0 ? label.slice(bang + 1).replace(/\+0x[0-9a-f]+$/i, '') : null;
  }
  const address = e.address ?? s.eventIp?.address ?? null;
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

const WOW64_MODULES = /^(?:wow64|wow64cpu|wow64win|wowarmhw|xtajit|xtajit64)$/i;

function assemble(s: ReaderState, model: DumpModel): void {
  model.warnings.push(...s.warnings);
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
  let faultingTid: number | null = ft !== null ? Number(ft) : null;
  faultingTid ??= s.markerHash;
  if (faultingTid === null && s.exLine && (s.threads.has(s.exLine.tid) || s.threads.size === 0)) faultingTid = s.exLine.tid;
  faultingTid ??= s.markerDot;

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
  const maxModuleEnd = s.moduleRows.reduce((m, r) => (r.end > m ? r.end : m), 0n);
  if (model.system.arch === 'unknown') {
    if (s.effectiveMachineNative) model.system.arch = s.effectiveMachineNative;
    else if (s.switchedToX86 || s.sawX64Layout || maxModuleEnd > 0xffffffffn) model.system.arch = 'amd64';
    else if (s.sawX86Layout || s.moduleRows.length > 0) model.system.arch = 'x86';
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

  const threads: Thread[] = [...s.threads.values()].map((t) => {
    const th: Thread = {
      id: t.id,
      ordinal: t.ordinal,
      name: t.name,
      teb: t.teb !== null ? hex(t.teb) : null,
      suspendCount: t.suspend,
      frozen: t.frozen,
      priority: t.priority,
      faulting: t.id === faultingTid,
      times: null,
      frames: t.native ? toFrames(t.native, nativeTransfers, ips) : [],
      framesNote: t.native ? null : 'the text printed no native stack for this thread',
    };
    if (t.x86) th.x86Frames = toFrames(t.x86, x86Transfers, ips);
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
  model.process.name = procName || exe?.name || null;

  const missing = model.missing;
  if (model.modules.length === 0) missing.push('modules');
  if (![...s.threads.values()].some((t) => t.listed)) missing.push('thread list');
  if (model.process.wow64 && !threads.some((t) => t.x86Frames && t.x86Frames.length > 0)) missing.push('x86 stacks');
  if (!model.exception) missing.push('exception');
  else if (s.exr.address === null && !s.eventIp) missing.push('exception address');
  if (!model.system.os) missing.push('os version');
  // Text never carries these: detectors that need them must not expect them here.
  missing.push('registers', 'stack memory');
}

/**
 * Reads pasted WinDbg/CDB output into the dump model. Pure and synchronous; bounded by
 * `limits` (lines and line length). Throws DumpError('not-a-dump') only when the text holds
 * no debugger output at all; anything less is a partial model with warnings and `missing`.
 */
export function readWindbgText(text: string, name: string, options: ReadOptions = {}): DumpModel {
  const model = emptyModel('windbg-text', name, utf8Length(text));
  const { lines, warnings } = splitLines(text, options.limits ?? DEFAULT_LIMITS);
  const state = new ReaderState();
  state.warnings.push(...warnings);
  for (const line of lines) state.feed(line);
  state.closeAll();
  if (state.recognised === 0) {
    throw new DumpError('not-a-dump', 'no WinDbg or CDB output was found in the text');
  }
  assemble(state, model);
  return model;
}
