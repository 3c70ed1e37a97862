// Minidump → dump model. Each stream is read on its own and a bad one becomes a warning and
// an entry in `missing`, so a damaged dump still yields everything its good streams hold.
import { DumpError } from '../errors.ts';
import type { ByteSource } from '../io/byte-source.ts';
import type { CpuContext } from '../minidump/context.ts';
import { openMinidump, type Minidump } from '../minidump/minidump.ts';
import type { MinidumpThread } from '../minidump/thread-list.ts';
import { createModuleIndex } from '../unwind/module-index.ts';
import type { UnwindLimits } from '../unwind/types.ts';
import { detectWow64 } from '../wow64/wow64.ts';
import { emptyModel } from './empty.ts';
import { hex } from './hex.ts';
import { dumpFacts } from './minidump/dump-facts.ts';
import { exceptionRecord } from './minidump/exception.ts';
import { moduleRecord, unloadedModuleRecord } from './minidump/modules.ts';
import { osLine } from './minidump/os-name.ts';
import { buildThread } from './minidump/threads.ts';
import { nameAddress } from '../unwind/symbolize.ts';
import type { DumpModel, Thread } from './schema.ts';

export interface MinidumpReadOptions {
  /** Module files (.exe/.dll) supplied beside the dump, to unwind and name frames. */
  images?: ByteSource[];
  signal?: AbortSignal;
  onProgress?: (progress: { stage: string; fraction: number }) => void;
  /** Unwinder bounds; defaults are the unwinders' own. */
  unwindLimits?: Partial<UnwindLimits>;
}

/** Threads walked per dump. A process with more is rare; the rest are listed without stacks. */
export const MAX_WALKED_THREADS = 2000;

/** FILETIME (100 ns since 1601) → ISO-8601, or null for 0 / out-of-range values. */
function fileTimeIso(ticks: bigint): string | null {
  if (ticks <= 0n) return null;
  const ms = Number(ticks / 10000n) - 11644473600000;
  if (!Number.isFinite(ms) || ms < 0 || ms > 8.64e15) return null;
  return new Date(ms).toISOString();
}

/** Reads one stream, turning its failure into a warning plus a `missing` entry. */
async function guarded<T>(model: DumpModel, what: string, read: () => Promise<T | null>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof DumpError && (err.kind === 'cancelled' || err.kind === 'timeout')) throw err;
    model.warnings.push({ kind: 'stream-unreadable', message: `${what}: ${(err as Error).message}` });
    model.missing.push(what);
    return null;
  }
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DumpError('cancelled', 'the analysis was cancelled');
}

export async function readMinidumpModel(source: ByteSource, options: MinidumpReadOptions = {}): Promise<DumpModel> {
  const progress = options.onProgress ?? (() => {});
  progress({ stage: 'Reading the dump directory', fraction: 0 });
  const md = await openMinidump(source);
  const model = emptyModel('minidump', source.name, source.size);

  const system = await guarded(model, 'system info', () => md.systemInfo());
  if (system) {
    model.system = {
      ...model.system,
      platform: system.platform,
      os: osLine(system),
      version: `${system.majorVersion}.${system.minorVersion}.${system.buildNumber}`,
      build: system.buildNumber,
      servicePack: system.platform === 'windows' ? system.csdVersion : null,
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

  const comment = await guarded(model, 'comment', () => md.comment());
  const rawException = await guarded(model, 'exception', () => md.exception());
  const memory64 = await guarded(model, 'memory (Memory64List)', () => md.memory64List());
  model.dump = dumpFacts(md, comment, rawException !== null, memory64 !== null && memory64.ranges.length > 0);

  checkCancelled(options.signal);
  progress({ stage: 'Reading modules', fraction: 0.05 });
  const rawModules = (await guarded(model, 'module list', () => md.modules())) ?? [];
  if (rawModules.length === 0 && !model.missing.includes('module list')) model.missing.push('module list');
  const wow64 = detectWow64(
    rawModules.map((m) => ({ name: m.name, base: m.base, size: m.size })),
    model.system.arch,
  );
  model.process.wow64 = wow64.wow64;
  model.process.bitness = wow64.wow64 || model.system.arch === 'x86' || model.system.arch === 'arm' ? 32 : model.system.arch === 'unknown' ? null : 64;
  model.modules = rawModules.map((m, i) => moduleRecord(m, wow64.x86Modules[i] ?? false));
  model.process.name = model.modules.find((m) => /\.exe$/i.test(m.name))?.name ?? model.modules[0]?.name ?? null;
  const unloaded = (await guarded(model, 'unloaded module list', () => md.unloadedModules())) ?? [];
  model.unloadedModules = unloaded.map(unloadedModuleRecord);

  const handles = await guarded(model, 'handle data', () => md.handles());
  model.handles = handles
    ? handles.map((h) => ({ value: hex(h.handle), type: h.typeName, object: h.objectName }))
    : null;

  const memory = await md.memory();
  const moduleIndex = createModuleIndex(
    rawModules.map((m) => ({ name: m.name, base: m.base, size: BigInt(m.size), timestamp: m.timestamp })),
    memory,
    options.images ?? [],
  );

  let exceptionContext: CpuContext | null = null;
  if (rawException) {
    model.exception = exceptionRecord(rawException, model.system.platform);
    exceptionContext = await guarded(model, 'exception context', () => md.exceptionContext());
    if (model.system.platform !== 'windows' && model.system.platform !== 'unknown' && exceptionContext) {
      // Breakpad/Crashpad on POSIX store the fault address (si_addr) where Windows stores the
      // instruction; the instruction is the context's PC.
      model.exception.access = { kind: 'unknown', address: model.exception.address };
      model.exception.address = hex(exceptionContext.pc);
    }
    const where = await nameAddress(BigInt(model.exception.address), moduleIndex);
    model.exception.module = where.module;
    model.exception.symbol = where.symbol;
  } else {
    model.missing.push('exception');
  }

  const names = new Map<number, string>();
  for (const n of (await guarded(model, 'thread names', () => md.threadNames())) ?? []) if (n.name) names.set(n.threadId, n.name);
  const times = new Map<number, Thread['times']>();
  for (const ti of (await guarded(model, 'thread info', () => md.threadInfo())) ?? []) {
    times.set(ti.threadId, {
      created: fileTimeIso(ti.createTime),
      userSeconds: Number(ti.userTime) / 1e7,
      kernelSeconds: Number(ti.kernelTime) / 1e7,
    });
  }

  const rawThreads: MinidumpThread[] = (await guarded(model, 'thread list', () => md.threads())) ?? [];
  if (rawThreads.length === 0 && !model.missing.includes('thread list')) model.missing.push('thread list');
  const walked = rawThreads.slice(0, MAX_WALKED_THREADS);
  if (rawThreads.length > walked.length) {
    model.warnings.push({ kind: 'cap-threads', message: `only the first ${MAX_WALKED_THREADS} of ${rawThreads.length} threads were walked` });
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
    limits: { ...options.unwindLimits, ...(options.signal ? { signal: options.signal } : {}) },
    warnings: model.warnings,
  };
  for (const [i, t] of walked.entries()) {
    checkCancelled(options.signal);
    progress({ stage: 'Walking stacks', fraction: 0.1 + (0.9 * i) / Math.max(1, walked.length) });
    model.threads.push(await buildThread(t, i, buildContext));
  }
  if (wow64.wow64 && !model.threads.some((t) => (t.x86Frames?.length ?? 0) > 0)) model.missing.push('x86 stacks');
  if (!model.threads.some((t) => t.faulting) && model.threads[0] && rawException === null) {
    // Without an exception, the first thread is the one a debugger shows first (~0).
  }

  for (const w of [...md.warnings, ...moduleIndex.warnings]) model.warnings.push(w);
  model.warnings = dedupe(model.warnings);
  progress({ stage: 'Done', fraction: 1 });
  return model;
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
