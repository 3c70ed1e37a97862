// The entry point of the MDMP container reader. openMinidump() reads the header and the stream
// directory only; every stream is read the first time its accessor is called, and the result
// (or the error) is kept, so asking twice costs nothing and warnings are not repeated.
//
// Accessors return null when the stream is absent and throw DumpError ('truncated', 'corrupt',
// 'unsupported') naming the stream when it cannot be read at all; callers catch per stream so one
// bad stream never costs the others. Anything less than fatal lands in `warnings`.
import type { Budget } from '../core/budget.ts';
import type { ByteSource } from '../io/byte-source.ts';
import type { Warning } from '../core/dump-model.ts';
import { BlockCache, type BlockCacheOptions } from '../io/block-cache.ts';
import { Uint8ArraySource } from '../io/uint8array-source.ts';
import { DumpError } from '../core/errors.ts';
import { HEADER_SIZE, MINIDUMP_VERSION, parseHeader, type MinidumpHeader } from './header.ts';
import { DIRECTORY_ENTRY_SIZE, MAX_STREAMS, parseDirectory, type StreamEntry } from './directory.ts';
import { StreamType } from './stream-types.ts';
import { hex32, readLocation, type Location, type StreamContext } from './location.ts';
import { readSystemInfo, type SystemInfo } from './system-info.ts';
import { readThreadList, type MinidumpThread } from './thread-list.ts';
import { readThreadExList } from './thread-ex-list.ts';
import { readModuleList, type MinidumpModule } from './module-list.ts';
import { readUnloadedModuleList, type MinidumpUnloadedModule } from './unloaded-module-list.ts';
import { readException, type MinidumpException } from './exception.ts';
import { readMemoryList } from './memory-list.ts';
import { readMemory64List, type Memory64List } from './memory64-list.ts';
import type { MemoryDescriptor } from './memory-descriptor.ts';
import { readMemoryInfoList, type MinidumpMemoryInfo } from './memory-info-list.ts';
import { readThreadInfoList, type MinidumpThreadInfo } from './thread-info-list.ts';
import { readHandleData, type MinidumpHandle } from './handle-data.ts';
import { readMiscInfo, type MiscInfo } from './misc-info.ts';
import { readComment } from './comment.ts';
import { MAX_TOTAL_STRING_BYTES } from './strings.ts';
import { readThreadNames, type MinidumpThreadName } from './thread-names.ts';
import { readAssertionInfo, readBreakpadInfo, type AssertionInfo, type BreakpadInfo } from './breakpad-info.ts';
import { readCrashpadInfo, type CrashpadInfo } from './crashpad-info.ts';
import {
  LINUX_TEXT_STREAMS,
  parseKeyValues,
  parseLinuxMaps,
  readLinuxText,
  type LinuxMapping,
  type LinuxTextKind,
} from './linux-streams.ts';
import { contextCpuFlag, decodeContext, guessContextArch, MAX_CONTEXT_BYTES, type CpuContext } from './context.ts';
import { DumpMemory, type RawRange } from '../memory/dump-memory.ts';
import type { WarningKind } from '../core/warnings.ts';

/**
 * Most bytes a dump can plausibly miss from its end (1 TiB). Larger claims come from corrupt
 * sizes, not from a writer that died, and are reported as corrupt instead of as truncation.
 */
export const MAX_PLAUSIBLE_MISSING = 1n << 40n;

export interface OpenOptions {
  /**
   * Wrap the source in a BlockCache (default true, except for in-memory sources). Pass options
   * to size it, or false when the source already caches.
   */
  cache?: boolean | BlockCacheOptions;
  /** The analysis's time budget: lists of costly records stop where it runs out (location.ts). */
  budget?: Budget;
}

export async function openMinidump(source: ByteSource, options: OpenOptions = {}): Promise<Minidump> {
  const wrap = options.cache ?? !(source instanceof Uint8ArraySource || source instanceof BlockCache);
  const src = wrap === false ? source : new BlockCache(source, wrap === true ? {} : wrap);
  const md = new Minidump(src, options.budget);
  await md.init();
  return md;
}

export class Minidump {
  /** The source streams are read from (the cache wrapper when one is used). */
  readonly source: ByteSource;
  /** Non-fatal findings, in the order found; grows as accessors run. */
  readonly warnings: Warning[] = [];
  #header: MinidumpHeader | null = null;
  #streams: StreamEntry[] = [];
  #truncatedBytes = 0;
  readonly #seen = new Set<string>();
  /** The one warning that says how many bytes the file lacks, updated as the count grows. */
  #truncation: Warning | null = null;
  readonly #cache = new Map<string, Promise<unknown>>();
  readonly #ctx: StreamContext;

  /** Use openMinidump(); the constructor alone reads nothing. */
  constructor(source: ByteSource, budget?: Budget) {
    this.source = source;
    this.#ctx = { source, warn: (kind, message) => this.warn(kind, message), strings: { left: MAX_TOTAL_STRING_BYTES }, ...(budget ? { budget } : {}) };
  }

  get name(): string {
    return this.source.name;
  }

  get size(): number {
    return this.source.size;
  }

  get header(): MinidumpHeader {
    if (this.#header === null) throw new DumpError('io', `${this.name}: minidump not opened (use openMinidump)`);
    return this.#header;
  }

  /** Every directory entry, unknown and unused types included, in directory order. */
  get streams(): readonly StreamEntry[] {
    return this.#streams;
  }

  /**
   * Bytes the file claims but does not have (0 when complete). Known from the directory at open;
   * grows as the thread list and memory lists are read (their data usually ends the file).
   */
  get truncatedBytes(): number {
    return this.#truncatedBytes;
  }

  /** The dump's write time from the header, or null when the writer left it 0. */
  get time(): Date | null {
    return this.header.timeDateStamp === 0 ? null : new Date(this.header.timeDateStamp * 1000);
  }

  /** Records a warning once (the same message from two paths is kept once). */
  warn(kind: WarningKind, message: string): void {
    const key = `${kind}\0${message}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.warnings.push({ kind, message });
  }

  /** @internal Reads header and directory; called by openMinidump. */
  async init(): Promise<void> {
    const name = this.name;
    const header = parseHeader(await this.source.read(0, HEADER_SIZE), name);
    this.#header = header;
    if ((header.version & 0xffff) !== MINIDUMP_VERSION) {
      this.warn('header-version', `${name}: unexpected minidump version 0x${(header.version & 0xffff).toString(16)} (expected 0xa793)`);
    }
    let count = header.streamCount;
    if (count > MAX_STREAMS) {
      this.warn('cap-count', `${name}: header claims ${count} streams, only the first ${MAX_STREAMS} read`);
      count = MAX_STREAMS;
    }
    if (count === 0) return;
    const dirRva = header.streamDirectoryRva;
    if (dirRva >= this.size) {
      throw new DumpError('truncated', `${name}: stream directory at ${hex32(dirRva)} lies past the end of the file (${this.size} bytes)`);
    }
    const bytes = await this.source.read(dirRva, count * DIRECTORY_ENTRY_SIZE);
    const streams = parseDirectory(bytes, count, name);
    if (streams.length === 0) {
      throw new DumpError('truncated', `${name}: stream directory at ${hex32(dirRva)} is cut off by the end of the file`);
    }
    if (streams.length < count) {
      this.warn('dump-truncated', `${name}: only ${streams.length} of ${count} stream directory entries are in the file`);
    }
    this.#streams = streams;
    this.#noteClaimedEnd(dirRva + count * DIRECTORY_ENTRY_SIZE);
    const types = new Set<number>();
    for (const s of streams) {
      if (s.type === StreamType.Unused) continue;
      if (types.has(s.type)) this.warn('stream-duplicate', `${name}: more than one ${s.name}; the first is used`);
      types.add(s.type);
      this.#noteClaimedEnd(s.rva + s.size);
    }
    this.#checkOverlaps(streams, dirRva, count * DIRECTORY_ENTRY_SIZE);
  }

  /**
   * No writer lays two streams, or a stream and the header or directory, over the same bytes: a
   * directory that does is corrupt (or hand-made), and what its streams say contradicts itself.
   * One warning for all of them; the streams are still read.
   */
  #checkOverlaps(streams: readonly StreamEntry[], dirRva: number, dirSize: number): void {
    const spans = streams
      .filter((s) => s.type !== StreamType.Unused && s.size > 0)
      .map((s) => ({ name: s.name, start: s.rva, end: s.rva + s.size }))
      .sort((a, b) => a.start - b.start);
    const fixed = [
      { name: 'the header', start: 0, end: HEADER_SIZE },
      { name: 'the stream directory', start: dirRva, end: dirRva + dirSize },
    ];
    const clashes: string[] = [];
    let overlapping = 0;
    for (let i = 0; i < spans.length; i++) {
      const a = spans[i]!;
      const hits: string[] = [];
      // Sorted by start: only the next streams that begin before `a` ends can overlap it.
      for (let j = i + 1; j < spans.length && spans[j]!.start < a.end && hits.length < 2; j++) hits.push(spans[j]!.name);
      for (const f of fixed) if (a.start < f.end && f.start < a.end) hits.push(f.name);
      if (hits.length === 0) continue;
      overlapping++;
      if (clashes.length < 3) clashes.push(`${a.name} with ${hits.slice(0, 2).join(' and ')}`);
    }
    if (overlapping > 0) {
      const more = overlapping > clashes.length ? ` and ${overlapping - clashes.length} more` : '';
      this.warn('stream-overlap', `${this.name}: ${overlapping} stream(s) overlap other data of the file (${clashes.join('; ')}${more})`);
    }
  }

  #noteClaimedEnd(end: number | bigint): void {
    const claimed = BigInt(end) - BigInt(this.size);
    if (claimed > MAX_PLAUSIBLE_MISSING) {
      // A claim this far past the end is a corrupt size or RVA (a Memory64List range of 2^63
      // bytes), not a file cut short; counting it would report exabytes "missing".
      this.warn('stream-corrupt', `${this.name}: a stream or memory range claims data ${claimed} bytes past the end of the file; ignored`);
      return;
    }
    const missing = Number(claimed);
    if (missing > this.#truncatedBytes) {
      this.#truncatedBytes = missing;
      // Update rather than add: one line saying how much is missing in total.
      const message = `${this.name}: the dump is truncated; ${missing} bytes are missing from its end`;
      if (this.#truncation) this.#truncation.message = message;
      else {
        this.#truncation = { kind: 'dump-truncated', message };
        this.warnings.push(this.#truncation);
      }
    }
  }

  /** The first directory entry of `type` with data, or null. */
  stream(type: number): StreamEntry | null {
    return this.#streams.find((s) => s.type === type && s.type !== StreamType.Unused) ?? null;
  }

  /** Raw bytes of a stream (any type), capped at `max` bytes with a warning. */
  async streamBytes(entry: StreamEntry, max = 16 * 1024 * 1024): Promise<Uint8Array> {
    return (await readLocation(this.#ctx, entry, entry.name, max)).bytes;
  }

  #once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.#cache.get(key) as Promise<T> | undefined;
    if (p === undefined) {
      p = fn();
      this.#cache.set(key, p);
    }
    return p;
  }

  #stream<T>(type: number, read: (ctx: StreamContext, entry: StreamEntry) => Promise<T>): Promise<T | null> {
    return this.#once(`stream:${type}`, async () => {
      const entry = this.stream(type);
      return entry === null ? null : read(this.#ctx, entry);
    });
  }

  systemInfo(): Promise<SystemInfo | null> {
    return this.#stream(StreamType.SystemInfo, readSystemInfo);
  }

  threads(): Promise<MinidumpThread[] | null> {
    return this.#stream(StreamType.ThreadList, async (ctx, entry) => {
      const threads = await readThreadList(ctx, entry);
      for (const t of threads) {
        this.#noteClaimedEnd(t.stack.rva + t.stack.size);
        this.#noteClaimedEnd(t.context.rva + t.context.size);
      }
      return threads;
    });
  }

  threadsEx(): Promise<MinidumpThread[] | null> {
    return this.#stream(StreamType.ThreadExList, readThreadExList);
  }

  modules(): Promise<MinidumpModule[] | null> {
    return this.#stream(StreamType.ModuleList, readModuleList);
  }

  unloadedModules(): Promise<MinidumpUnloadedModule[] | null> {
    return this.#stream(StreamType.UnloadedModuleList, readUnloadedModuleList);
  }

  exception(): Promise<MinidumpException | null> {
    return this.#stream(StreamType.Exception, readException);
  }

  memoryList(): Promise<MemoryDescriptor[] | null> {
    return this.#stream(StreamType.MemoryList, async (ctx, entry) => {
      const list = await readMemoryList(ctx, entry);
      for (const d of list) this.#noteClaimedEnd(d.rva + d.size);
      return list;
    });
  }

  memory64List(): Promise<Memory64List | null> {
    return this.#stream(StreamType.Memory64List, async (ctx, entry) => {
      const list = await readMemory64List(ctx, entry);
      this.#noteClaimedEnd(list.end);
      return list;
    });
  }

  memoryInfo(): Promise<MinidumpMemoryInfo[] | null> {
    return this.#stream(StreamType.MemoryInfoList, readMemoryInfoList);
  }

  threadInfo(): Promise<MinidumpThreadInfo[] | null> {
    return this.#stream(StreamType.ThreadInfoList, readThreadInfoList);
  }

  handles(): Promise<MinidumpHandle[] | null> {
    return this.#stream(StreamType.HandleData, readHandleData);
  }

  miscInfo(): Promise<MiscInfo | null> {
    return this.#stream(StreamType.MiscInfo, readMiscInfo);
  }

  /** CommentStreamW if present, else CommentStreamA. */
  comment(): Promise<string | null> {
    return this.#once('comment', async () => {
      const entry = this.stream(StreamType.CommentW) ?? this.stream(StreamType.CommentA);
      return entry === null ? null : readComment(this.#ctx, entry);
    });
  }

  threadNames(): Promise<MinidumpThreadName[] | null> {
    return this.#stream(StreamType.ThreadNames, readThreadNames);
  }

  breakpadInfo(): Promise<BreakpadInfo | null> {
    return this.#stream(StreamType.BreakpadInfo, readBreakpadInfo);
  }

  assertionInfo(): Promise<AssertionInfo | null> {
    return this.#stream(StreamType.AssertionInfo, readAssertionInfo);
  }

  crashpadInfo(): Promise<CrashpadInfo | null> {
    return this.#stream(StreamType.CrashpadInfo, readCrashpadInfo);
  }

  /** One of Breakpad's Linux text streams, verbatim (capped at 1 MiB). */
  linuxText(kind: LinuxTextKind): Promise<string | null> {
    return this.#stream(LINUX_TEXT_STREAMS[kind], readLinuxText);
  }

  /** /etc/lsb-release as key → value ("DISTRIB_ID" → "Ubuntu"). */
  async linuxLsbRelease(): Promise<Record<string, string> | null> {
    const text = await this.linuxText('lsb-release');
    return text === null ? null : parseKeyValues(text);
  }

  /** /proc/self/maps parsed into mappings. */
  async linuxMaps(): Promise<LinuxMapping[] | null> {
    const text = await this.linuxText('maps');
    return text === null ? null : parseLinuxMaps(text);
  }

  /** The CPU of the dump from SystemInfoStream, or null when that stream is absent or unreadable. */
  async #arch(): Promise<SystemInfo['arch'] | null> {
    try {
      return (await this.systemInfo())?.arch ?? null;
    } catch (err) {
      if (err instanceof DumpError) return null;
      throw err;
    }
  }

  /** Decodes the CONTEXT at `where` (a thread, the exception, or a location). Null when it is empty. */
  async context(where: Location, label: string): Promise<CpuContext | null> {
    if (where.size === 0 || where.rva === 0) return null;
    return this.#once(`context:${where.rva}:${where.size}`, async () => {
      const r = await readLocation(this.#ctx, where, label, MAX_CONTEXT_BYTES);
      const ctx = decodeContext(r.bytes, await this.#arch(), label);
      if ((ctx.flags & contextCpuFlag(ctx)) === 0) {
        // A record that carries another CPU's flag and size (an x86 CONTEXT in an amd64 dump)
        // would decode to garbage registers and a garbage stack: refuse it for this thread only.
        const other = guessContextArch(r.bytes);
        if (other !== 'unknown' && other !== ctx.arch) {
          throw new DumpError('corrupt', `${label}: an ${other} CONTEXT (${r.bytes.length} bytes) in an ${ctx.arch} dump`);
        }
        this.warn('context-flags', `${label}: ContextFlags 0x${ctx.flags.toString(16)} lack the ${ctx.arch} CPU bit`);
      }
      return ctx;
    });
  }

  threadContext(thread: MinidumpThread): Promise<CpuContext | null> {
    return this.context(thread.context, `context of thread ${thread.id} (0x${thread.id.toString(16)})`);
  }

  /** The CONTEXT at the moment of the exception, or null when there is no exception stream. */
  async exceptionContext(): Promise<CpuContext | null> {
    const ex = await this.exception();
    return ex === null ? null : this.context(ex.context, 'ExceptionStream context');
  }

  /**
   * The captured bytes of a thread's stack, or null when the descriptor is empty or unreadable.
   * Shorter than `thread.stack.size` (with a warning) when the file is cut inside the stack.
   */
  async stackBytes(thread: MinidumpThread): Promise<Uint8Array | null> {
    const { size, rva } = thread.stack;
    if (size === 0) return null;
    try {
      return (await readLocation(this.#ctx, { size, rva }, `stack of thread ${thread.id}`)).bytes;
    } catch (err) {
      if (!(err instanceof DumpError)) throw err;
      this.warn('stack-unreadable', err.message);
      return null;
    }
  }

  /**
   * The process memory of both memory lists as one address space. Never throws for a bad list:
   * what can be read is used and the rest becomes warnings.
   */
  memory(): Promise<DumpMemory> {
    return this.#once('memory', async () => {
      const ranges: RawRange[] = [];
      try {
        for (const d of (await this.memoryList()) ?? []) ranges.push(d);
      } catch (err) {
        if (!(err instanceof DumpError)) throw err;
        this.warn('stream-corrupt', err.message);
      }
      try {
        for (const d of (await this.memory64List())?.ranges ?? []) ranges.push(d);
      } catch (err) {
        if (!(err instanceof DumpError)) throw err;
        this.warn('stream-corrupt', err.message);
      }
      return new DumpMemory(this.source, ranges, (kind, message) => this.warn(kind, `${this.name}: ${message}`));
    });
  }
}
