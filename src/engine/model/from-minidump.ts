// Minidump → dump model. Each stream is read on its own and a bad one becomes a warning and
// an entry in `missing`, so a damaged dump still yields everything its good streams hold.
import { Budget } from '../core/budget.ts';
import { DumpError } from '../core/errors.ts';
import type { ByteSource } from '../io/byte-source.ts';
import type { CpuContext } from '../minidump/context.ts';
import { openMinidump, type Minidump } from '../minidump/minidump.ts';
import { isKnownStreamType, StreamType } from '../minidump/stream-types.ts';
import type { MinidumpThread } from '../minidump/thread-list.ts';
import { createModuleIndex } from '../unwind/module-index.ts';
import type { SymbolLocator } from '../symbols/symbol-locator.ts';
import { DEFAULT_UNWIND_LIMITS, type UnwindLimits } from '../unwind/types.ts';
import { detectWow64 } from '../wow64/wow64.ts';
import { emptyModel } from '../core/empty-model.ts';
import { hex } from '../core/hex.ts';
import { dumpFacts } from './minidump/dump-facts.ts';
import { exceptionRecord, isDumpRequested } from './minidump/exception.ts';
import { annotationsFrom } from './minidump/annotations.ts';
import { linuxCpu, linuxProcessId } from './minidump/linux-facts.ts';
import { moduleRecord, unloadedModuleRecord } from './minidump/modules.ts';
import { osLine, productLine } from './minidump/os-name.ts';
import { buildThread, type RecordedWalks } from './minidump/threads.ts';
import { addDumpWaitGraph } from './minidump/wait-recovery.ts';
import { handleRecord } from './minidump/handle-objects.ts';
import { memoryFacts } from './minidump/memory-facts.ts';
import { stackResidue } from './minidump/stack-residue.ts';
import { faultBytes } from './minidump/fault-bytes.ts';
import { nameAddress } from '../unwind/symbolize.ts';
import type { DumpModel, Missing, Thread, Warning } from '../core/dump-model.ts';
import { filetimeToIso } from '../core/filetime.ts';
import { chanceFromComment } from '../core/exception-chance.ts';
import { archBits } from '../core/arch.ts';
import { lastErrorValue } from './minidump/last-error.ts';
import { ntGlobalFlag } from './minidump/global-flag.ts';
import { dumpComments } from './minidump/comments.ts';
import { compareCode } from './minidump/code-patches.ts';
import { delayLoadFact } from './minidump/delay-load.ts';
import { checkPrologs } from './minidump/prolog-patches.ts';

export interface MinidumpReadOptions {
  /** Module files (.exe/.dll) supplied beside the dump, to unwind and name frames. */
  images?: ByteSource[];
  /**
   * Symbol files (PDB, Breakpad .sym) given outright: each is opened (headers only) and used
   * for the module whose identity it carries.
   */
  symbols?: ByteSource[];
  /** Finds symbol files for a module on demand (folders, symbol stores); asked only for modules a stack reaches. */
  symbolLocator?: SymbolLocator;
  /** Use a symbol file whose identity does not match its module (or cannot be checked); a warning says so. */
  forceSymbols?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: { stage: string; fraction: number }) => void;
  /** Unwinder bounds; defaults are the unwinders' own. */
  unwindLimits?: Partial<UnwindLimits>;
  /** Milliseconds this read may take; when used up, what was read is returned (see budget.ts). */
  budgetMs?: number;
  /** Clock for the budget (performance.now by default). */
  now?: () => number;
}

/**
 * Threads walked per dump (the faulting thread is always among them). A process with more is
 * rare; the rest are left out with a `cap-threads` warning and a `missing` entry.
 */
export const MAX_WALKED_THREADS = 2000;

/**
 * Frames walked per dump, all threads together. Each costs a few memory reads and a lookup, so
 * 2000 threads × 256 frames of a crafted ladder of frame pointers would take many seconds; real
 * dumps stay far below (2000 threads × 40 frames). Threads past it keep at least frame 0.
 */
export const MAX_TOTAL_FRAMES = 100_000;

/** Reads one stream, turning its failure into a warning plus a `missing` entry. */
async function guarded<T>(model: DumpModel, what: Missing, read: () => Promise<T | null>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof DumpError && (err.kind === 'cancelled')) throw err;
    // A DumpError is the dump's damage; anything else is a bug of ours, survived but named so.
    const kind = err instanceof DumpError ? 'stream-unreadable' : 'stream-internal-error';
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    model.warnings.push({ kind, message: `${what}: ${message}` });
    model.missing.push(what);
    return null;
  }
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DumpError('cancelled', 'the analysis was cancelled');
}

export async function readMinidumpModel(source: ByteSource, options: MinidumpReadOptions = {}): Promise<DumpModel> {
  const progress = options.onProgress ?? (() => {});
  const budget = new Budget(options);
  budget.throwIfCancelled();
  progress({ stage: 'Reading the dump directory', fraction: 0 });
  // The lists whose every record costs reads (modules, handles…) look at the budget as they go.
  const md = await openMinidump(source, { budget });
  const model = emptyModel('minidump', source.name, source.size);

  const system = await guarded(model, 'system info', () => md.systemInfo());
  if (system) {
    const versionKnown = system.majorVersion !== 0 || system.minorVersion !== 0 || system.buildNumber !== 0;
    model.system = {
      ...model.system,
      platform: system.platform,
      os: osLine(system),
      // Breakpad on Linux writes 0.0.0: not a version, an unknown one.
      version: versionKnown ? `${system.majorVersion}.${system.minorVersion}.${system.buildNumber}` : null,
      build: versionKnown ? system.buildNumber : null,
      servicePack: system.platform === 'windows' ? system.csdVersion : null,
      product: productLine(system),
      arch: system.arch,
      cpuCount: system.numberOfProcessors || null,
      cpu: system.cpu.kind === 'x86' ? system.cpu.vendor || null : null,
    };
  } else if (!model.missing.includes('system info')) model.missing.push('system info');

  const misc = await guarded(model, 'misc info', () => md.miscInfo());
  if (misc) {
    model.process.pid = misc.processId;
    if (misc.processCreateTime) {
      model.process.createTime = new Date(misc.processCreateTime * 1000).toISOString();
      const written = md.time;
      if (written) model.process.uptimeSeconds = Math.max(0, written.getTime() / 1000 - misc.processCreateTime);
    }
    model.process.userSeconds = misc.processUserTime;
    model.process.kernelSeconds = misc.processKernelTime;
    if (misc.buildString && model.system.os) model.annotations.BUILD_LAB = misc.buildString;
  }

  const found = await annotationsFrom(md, (what, read) => guarded(model, what, read));
  Object.assign(model.annotations, found);
  if (model.system.platform === 'linux' || model.system.platform === 'android') {
    model.process.pid ??= await guarded(model, 'Linux process status', () => linuxProcessId(md));
    const cpu = await guarded(model, 'Linux CPU info', () => linuxCpu(md));
    if (cpu?.name) model.system.cpu = cpu.name;
    if (cpu?.virtualization) model.system.virtualization = cpu.virtualization;
  }

  const comment = await guarded(model, 'comment', () => md.comment());
  const rawException = await guarded(model, 'exception', () => md.exception());
  const memory64 = await guarded(model, 'memory (Memory64List)', () => md.memory64List());
  model.dump = dumpFacts(md, comment, rawException !== null, memory64 !== null && memory64.ranges.length > 0);
  // Issue 12 fact (Embedded Comments): both comment streams, when the dump has any.
  const comments = await guarded(model, 'comment', () => dumpComments(md));
  if (comments && comments.length > 0) model.dump.comments = comments;
  // Breakpad and Crashpad write an exception stream for a dump taken on request too.
  if (rawException && isDumpRequested(rawException.code)) model.dump.manual = true;

  checkCancelled(options.signal);
  progress({ stage: 'Reading modules', fraction: 0.05 });
  const rawModules = (await guarded(model, 'module list', () => md.modules())) ?? [];
  if (rawModules.length === 0 && !model.missing.includes('module list')) model.missing.push('module list');
  const wow64 = detectWow64(
    rawModules.map((m) => ({ name: m.name, base: m.base, size: m.size })),
    model.system.arch,
  );
  model.process.wow64 = wow64.wow64;
  model.process.bitness = wow64.wow64 ? 32 : archBits(model.system.arch);
  model.modules = rawModules.map((m, i) => moduleRecord(m, wow64.x86Modules[i] ?? false));
  // Every writer lists the process's own image first (MiniDumpWriteDump, Breakpad and Crashpad
  // on each OS); Breakpad calls it the main module. Another .exe may be loaded as a library.
  model.process.name = model.modules[0]?.name ?? null;
  const unloaded = (await guarded(model, 'unloaded module list', () => md.unloadedModules())) ?? [];
  model.unloadedModules = unloaded.map(unloadedModuleRecord);

  const handles = await guarded(model, 'handle data', () => md.handles());
  model.handles = handles ? handles.map(handleRecord) : null;

  const memory = await md.memory();
  const timeUp = (): boolean => budget.expired;
  // Loaded only when there are symbols to look at (in the browser: a chunk fetched on demand).
  const resolver = options.symbols?.length || options.symbolLocator ? new (await import('../symbol-match/symbol-resolver.ts')).SymbolResolver(options, timeUp) : undefined;
  const moduleIndex = createModuleIndex(
    rawModules.map((m) => ({ name: m.name, base: m.base, size: BigInt(m.size), timestamp: m.timestamp, codeView: m.codeView })),
    memory,
    options.images ?? [],
    { shouldStop: timeUp, symbols: resolver },
  );

  let exceptionContext: CpuContext | null = null;
  if (rawException) {
    model.exception = exceptionRecord(rawException, model.system.platform, archBits(model.system.arch) === 32 ? 32 : 64);
    model.exception.chance = chanceFromComment(model.dump.comment);
    exceptionContext = await guarded(model, 'exception context', () => md.exceptionContext());
    if (posix(model.system.platform) && exceptionContext) {
      // Breakpad/Crashpad on POSIX store the fault address (si_addr, or the Mach code) where
      // Windows stores the instruction; exceptionRecord() kept it in `access` where it is one.
      // The instruction is the context's PC.
      model.exception.address = hex(exceptionContext.pc);
    }
    if (model.exception.address !== null) {
      const where = await nameAddress(BigInt(model.exception.address), moduleIndex, { shouldStop: timeUp });
      model.exception.module = where.module;
      model.exception.symbol = where.symbol;
    }
    // Issue 12 fact (Missing Component): the DLL and function a delay-load failure names.
    const bits = archBits(model.system.arch);
    if (model.system.platform === 'windows' && (bits === 32 || bits === 64)) {
      // Reads a few bounded pieces (the record, two names of at most 512 bytes); a missing one is null.
      const delay = await delayLoadFact(rawException.code >>> 0, rawException.parameters, wow64.wow64 ? 32 : bits, memory, moduleIndex);
      if (delay) model.exception.delayLoad = delay;
    }
  } else {
    model.missing.push('exception');
  }

  const names = new Map<number, string>();
  for (const n of (await guarded(model, 'thread names', () => md.threadNames())) ?? []) if (n.name) names.set(n.threadId, n.name);
  const times = new Map<number, Thread['times']>();
  for (const ti of (await guarded(model, 'thread info', () => md.threadInfo())) ?? []) {
    times.set(ti.threadId, {
      created: filetimeToIso(ti.createTime),
      userSeconds: Number(ti.userTime) / 1e7,
      kernelSeconds: Number(ti.kernelTime) / 1e7,
    });
  }

  const rawThreads: MinidumpThread[] = (await guarded(model, 'thread list', () => md.threads())) ?? [];
  if (rawThreads.length === 0 && !model.missing.includes('thread list')) model.missing.push('thread list');
  const walked = rawThreads.slice(0, MAX_WALKED_THREADS);
  if (rawThreads.length > walked.length) {
    // The thread the exception happened on is the one a reader needs most: never cut it.
    const faulting = rawException ? rawThreads.find((t, i) => i >= MAX_WALKED_THREADS && t.id === rawException.threadId) : undefined;
    if (faulting) walked.push(faulting);
    model.warnings.push({ kind: 'cap-threads', message: `only the first ${MAX_WALKED_THREADS} of ${rawThreads.length} threads were walked` });
    model.missing.push('threads past the thread limit');
  }
  const buildContext = {
    md,
    memory,
    modules: moduleIndex,
    wow64: wow64.wow64,
    windowsVersion: system ? { major: system.majorVersion, minor: system.minorVersion, build: system.buildNumber } : null,
    exceptionThreadId: rawException?.threadId ?? null,
    exceptionContext,
    names,
    times,
    limits: {
      // System V code keeps RBP chains and its dumps rarely hold module code; Windows x64 code
      // keeps none, so its walks guess near the stack pointer instead (see UnwindLimits).
      ...(posix(model.system.platform) ? { acceptUnverifiedFramePointer: true } : { scanWithoutCode: true }),
      ...options.unwindLimits,
      ...(options.signal ? { signal: options.signal } : {}),
      timeUp: () => budget.expired,
    },
    warnings: model.warnings,
    timeUp,
    walks: new Map<number, RecordedWalks>(),
  };
  // The faulting thread is walked first, so neither the frame nor the time budget can starve
  // it; the model keeps the dump's thread order.
  const order = [...walked.keys()].sort((a, b) => Number(walked[b]!.id === rawException?.threadId) - Number(walked[a]!.id === rawException?.threadId));
  const built: Thread[] = new Array<Thread>(walked.length);
  const perThread = buildContext.limits.maxFrames ?? DEFAULT_UNWIND_LIMITS.maxFrames;
  let frames = 0;
  let framesCut = 0;
  let timeCut = 0;
  for (const [n, i] of order.entries()) {
    const t = walked[i]!;
    checkCancelled(options.signal);
    if (budget.expired) {
      // Out of time: the threads not walked are still listed, without stacks, and said so.
      built[i] = unwalkedThread(t, buildContext, 'not walked: the analysis ran out of time');
      timeCut++;
      continue;
    }
    progress({ stage: 'Walking stacks', fraction: 0.1 + (0.9 * n) / Math.max(1, walked.length) });
    const left = MAX_TOTAL_FRAMES - frames;
    if (left < perThread) framesCut++;
    const context = { ...buildContext, limits: { ...buildContext.limits, maxFrames: Math.max(1, Math.min(perThread, left)) } };
    try {
      built[i] = await buildThread(t, t.index, context);
    } catch (err) {
      // One thread's garbage (a context or stack no walker can make sense of) must not cost the
      // others theirs. A DumpError is the dump's fault; anything else is ours, and said so.
      if (err instanceof DumpError && err.kind === 'cancelled') throw err;
      const message = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
      const kind = err instanceof DumpError ? 'thread-unreadable' : 'thread-internal-error';
      model.warnings.push({ kind, message: `thread ${t.id} (0x${t.id.toString(16)}): ${message}` });
      built[i] = unwalkedThread(t, buildContext, `no stack: ${message}`);
    }
    frames += built[i]!.frames.length + (built[i]!.x86Frames?.length ?? 0);
  }
  model.threads.push(...built);
  if (timeCut > 0) {
    model.warnings.push(budget.warning(`the stacks of ${timeCut} of ${walked.length} threads were not walked`));
    model.missing.push('stacks past the time budget');
  }
  if (framesCut > 0) {
    model.warnings.push({ kind: 'cap-frames', message: `the dump's frame limit (${MAX_TOTAL_FRAMES}) was reached; ${framesCut} threads were walked short or to frame 0 only` });
  }
  if (wow64.wow64 && !model.threads.some((t) => (t.x86Frames?.length ?? 0) > 0)) model.missing.push('x86 stacks');
  await guarded(model, 'critical sections', async () => {
    await addDumpWaitGraph(model, memory, buildContext.walks);
    return true;
  });

  // Issue 12 facts from process memory: TEB.LastErrorValue per thread, PEB.NtGlobalFlag, and
  // code compared with the module files given beside the dump. Each read is a few bytes per
  // thread, or bounded (code-patches.ts).
  if (model.system.platform === 'windows') {
    const bits = archBits(model.system.arch);
    if (bits === 32 || bits === 64) {
      for (const t of model.threads) t.lastError = t.teb === null ? null : await lastErrorValue(memory, BigInt(t.teb), bits, wow64.wow64);
      const flag = await ntGlobalFlag(memory, model.threads.flatMap((t) => (t.teb === null ? [] : [BigInt(t.teb)])), bits);
      model.process.ntGlobalFlag = flag === null ? null : hex(flag);
    }
    if (!budget.expired) {
      const timeUp = () => budget.expired;
      const integrity = (await compareCode(
        rawModules.map((m) => ({ name: m.name, base: m.base, size: BigInt(m.size), timestamp: m.timestamp })),
        options.images ?? [],
        { memory, names: moduleIndex, warnings: model.warnings, timeUp },
      )) ?? { modules: [], prologsChecked: 0, patches: [] };
      const prologs = bits === 64 && !wow64.wow64 ? await checkPrologs(moduleIndex, memory, model.warnings, timeUp) : { checked: 0, patches: [] };
      integrity.prologsChecked = prologs.checked;
      // A function the file comparison already names is not repeated.
      const covered = (a: bigint) => integrity.patches.some((p) => a >= BigInt(p.address) && a < BigInt(p.address) + BigInt(p.length));
      integrity.patches.push(...prologs.patches.filter((p) => !covered(BigInt(p.address))));
      if (integrity.modules.length > 0 || integrity.prologsChecked > 0) model.codeIntegrity = integrity;
    }
  }

  await resolver?.finish(model.modules, moduleIndex.modules);
  // Issue 12 facts: memory held and lacking, and the faulting thread's stack residue.
  const regions = await guarded(model, 'memory info list', () => md.memoryInfo());
  model.memory = memoryFacts(model, memory, regions);
  if (model.exception?.address && exceptionContext && (exceptionContext.arch === 'amd64' || exceptionContext.arch === 'x86')) {
    model.faultBytes = await faultBytes(BigInt(model.exception.address), exceptionContext.sp, exceptionContext.arch === 'amd64' ? 8 : 4, memory, moduleIndex);
  }
  const crashed = model.exception ? model.threads.find((t) => t.faulting) : undefined;
  if (crashed && !budget.expired) {
    try {
      const residue = await stackResidue(crashed, model.system.arch, memory, moduleIndex);
      if (residue) model.residue = [residue];
    } catch (err) {
      if (err instanceof DumpError && err.kind === 'cancelled') throw err;
      model.warnings.push({ kind: 'thread-internal-error', message: `stack residue of thread ${crashed.id}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}` });
    }
  }

  if (md.warnings.some((w) => w.kind === 'cap-time')) model.missing.push('records past the time budget');
  for (const w of [...md.warnings, ...moduleIndex.warnings]) model.warnings.push(w);
  model.warnings = dedupe(model.warnings);
  model.missing = [...new Set(model.missing)];
  // Nothing read is still a report (the Truncated Dump pattern reads the directory's claims),
  // but its first warning says in one line why it is empty.
  if (nothingRead(model, memory.ranges.length)) model.warnings.unshift(nothingReadWarning(md));
  progress({ stage: 'Done', fraction: 1 });
  return model;
}

/** True when no stream gave the model anything: a report would be an empty page. */
function nothingRead(model: DumpModel, memoryRanges: number): boolean {
  return (
    model.system.os === null &&
    model.system.arch === 'unknown' &&
    model.process.pid === null &&
    model.exception === null &&
    model.threads.length === 0 &&
    model.modules.length === 0 &&
    model.handles === null &&
    model.dump.comment === null &&
    memoryRanges === 0 &&
    Object.keys(model.annotations).length === 0
  );
}

/**
 * Why a dump gave nothing, in one line: cut before its streams (a copy that stopped early), or
 * a directory of garbage (rust-minidump's invalid-*.dmp).
 */
function nothingReadWarning(md: Minidump): Warning {
  const kind = 'nothing-read';
  const streams = md.streams.filter((s) => s.type !== StreamType.Unused);
  const n = streams.length;
  if (n === 0) return { kind, message: `${md.name}: the stream directory lists no streams; there is nothing to analyse` };
  const unknown = streams.filter((s) => !isKnownStreamType(s.type)).length;
  const past = streams.filter((s) => s.size > 0 && s.rva + s.size > md.size).length;
  if (unknown === 0 && past > 0) {
    return { kind, message: `${md.name}: the file ends (at ${md.size} bytes) before the data of ${past} of its ${n} streams; nothing could be read` };
  }
  return {
    kind,
    message: `${md.name}: none of its ${n} streams could be read (${unknown} of unknown type, ${past} pointing past the end of the file); the stream directory looks corrupt`,
  };
}

/** A thread listed with what its record says but no stack (out of time, or its walk failed). */
function unwalkedThread(t: MinidumpThread, b: { exceptionThreadId: number | null; names: Map<number, string>; times: Map<number, Thread['times']> }, note: string): Thread {
  return {
    id: t.id,
    ordinal: t.index,
    name: b.names.get(t.id) ?? null,
    teb: t.teb === 0n ? null : hex(t.teb),
    suspendCount: t.suspendCount,
    frozen: null,
    priority: t.priority,
    faulting: b.exceptionThreadId === t.id,
    times: b.times.get(t.id) ?? null,
    frames: [],
    framesNote: note,
  };
}

function posix(platform: DumpModel['system']['platform']): boolean {
  return platform !== 'windows' && platform !== 'unknown';
}

function dedupe<T extends { kind: string; message: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((w) => {
    const key = `${w.kind}\u0000${w.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export type { Minidump };
