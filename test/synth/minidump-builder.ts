// Writes MDMP files from a typed description, so a test states the dump it needs in a few
// lines instead of shipping a binary nobody can read (the idea of rust-minidump's
// minidump-synth). Layout follows minidumpapiset.h: a 32-byte header, the directory right
// after it, then each stream's fixed part followed by what it points at (strings, CodeView
// records, contexts, stack bytes). Full-memory dumps put every range in one Memory64List blob
// at the end of the file, as dbghelp does. `build()` also takes knobs that break the output on
// purpose (truncate, lie about a count, size or RVA) for robustness tests, and `MinidumpBuilder.raw()`
// gives the low-level layer (MinidumpLayout) for layouts no description can state.
import { ByteWriter, utf16le, utf8 } from './byte-writer.ts';
import {
  COUNT_FIELDS,
  DIRECTORY_ENTRY_SIZE,
  EXCEPTION_STREAM_SIZE,
  HANDLE_DESCRIPTOR_2_SIZE,
  HANDLE_DESCRIPTOR_SIZE,
  HEADER_SIZE,
  MDMP_SIGNATURE,
  MDMP_VERSION,
  MEMORY_DESCRIPTOR64_SIZE,
  MEMORY_INFO_SIZE,
  MISC_INFO_SIZES,
  MiscInfoFlags,
  MODULE_SIZE,
  ProcessorArchitecture,
  StreamType,
  THREAD_INFO_SIZE,
  UNLOADED_MODULE_SIZE,
} from './minidump-format.ts';

export type Address = bigint | number;

export interface MemorySpec {
  address: Address;
  bytes: Uint8Array;
}

export interface SystemInfoSpec {
  arch: keyof typeof ProcessorArchitecture | number;
  processorLevel?: number;
  processorRevision?: number;
  cpuCount?: number;
  /** VER_NT_WORKSTATION 1, VER_NT_DOMAIN_CONTROLLER 2, VER_NT_SERVER 3. */
  productType?: number;
  major: number;
  minor: number;
  build: number;
  /** VER_PLATFORM_WIN32_NT = 2 (Breakpad writes its own ids for other OSes). */
  platformId?: number;
  /** Service pack string ("Service Pack 2"); "" writes an empty MINIDUMP_STRING. */
  csd?: string;
  suiteMask?: number;
  /** x86/amd64 CPUID vendor, 12 characters. */
  vendorId?: string;
  cpuVersion?: number;
  cpuFeatures?: number;
  amdExtendedFeatures?: number;
  /** ProcessorFeatures[2] for other CPUs. */
  processorFeatures?: [bigint, bigint];
}

export interface ThreadSpec {
  id: number;
  suspendCount?: number;
  priorityClass?: number;
  priority?: number;
  teb?: Address;
  /** Stack memory: the thread's Stack descriptor points at these bytes. */
  stack?: MemorySpec;
  /** A CONTEXT record (see context-writers.ts); omitted = a zero-size location. */
  context?: Uint8Array;
  /** MINIDUMP_THREAD_EX.BackingStore (IA-64 only; zero elsewhere). */
  backingStore?: MemorySpec;
}

export interface FileVersionSpec {
  file: [number, number, number, number];
  product?: [number, number, number, number];
  fileFlagsMask?: number;
  fileFlags?: number;
  /** VOS_NT_WINDOWS32 = 0x40004. */
  fileOS?: number;
  /** VFT_APP 1, VFT_DLL 2. */
  fileType?: number;
  fileSubtype?: number;
}

export type CodeViewSpec =
  | { pdb: string; guid: string; age: number }
  | { nb10: { pdb: string; signature: number; age: number; offset?: number } }
  | { raw: Uint8Array };

export interface ModuleSpec {
  /** Full path as the loader knew it ("C:\\WINDOWS\\SysWOW64\\kernel32.dll"). */
  name: string;
  base: Address;
  size: number;
  checksum?: number;
  timestamp?: number;
  version?: FileVersionSpec | null;
  codeView?: CodeViewSpec | null;
  misc?: Uint8Array | null;
}

export interface UnloadedModuleSpec {
  name: string;
  base: Address;
  size: number;
  checksum?: number;
  timestamp?: number;
}

export interface ExceptionSpec {
  threadId: number;
  code: number;
  flags?: number;
  address: Address;
  parameters?: Address[];
  /** MINIDUMP_EXCEPTION.ExceptionRecord: address of the next (inner) record in process memory. */
  nestedRecord?: Address;
  context?: Uint8Array;
}

export interface MemoryInfoSpec {
  base: Address;
  allocationBase?: Address;
  allocationProtect?: number;
  regionSize: Address;
  /** MEM_COMMIT 0x1000, MEM_RESERVE 0x2000, MEM_FREE 0x10000. */
  state: number;
  /** PAGE_READONLY 2, PAGE_READWRITE 4, PAGE_EXECUTE_READ 0x20… */
  protect: number;
  /** MEM_PRIVATE 0x20000, MEM_MAPPED 0x40000, MEM_IMAGE 0x1000000. */
  type: number;
}

export interface ThreadInfoSpec {
  threadId: number;
  dumpFlags?: number;
  dumpError?: number;
  exitStatus?: number;
  /** FILETIME values (100 ns since 1601) and 100 ns durations, as Windows stores them. */
  createTime?: bigint;
  exitTime?: bigint;
  kernelTime?: bigint;
  userTime?: bigint;
  startAddress?: Address;
  affinity?: bigint;
}

export interface HandleSpec {
  handle: Address;
  typeName?: string | null;
  objectName?: string | null;
  attributes?: number;
  grantedAccess?: number;
  handleCount?: number;
  pointerCount?: number;
}

export interface TimeZoneSpec {
  bias: number;
  standardName: string;
  standardBias?: number;
  daylightName: string;
  daylightBias?: number;
}

export interface MiscInfoSpec {
  /** 1..5 selects MINIDUMP_MISC_INFO .. MINIDUMP_MISC_INFO_5; default: the lowest that holds the fields given. */
  level?: 1 | 2 | 3 | 4 | 5;
  /** Flags1; default: computed from the fields given. */
  flags?: number;
  processId?: number;
  /** time_t seconds. */
  processCreateTime?: number;
  processUserTime?: number;
  processKernelTime?: number;
  processorMaxMhz?: number;
  processorCurrentMhz?: number;
  processorMhzLimit?: number;
  processorMaxIdleState?: number;
  processorCurrentIdleState?: number;
  processIntegrityLevel?: number;
  processExecuteFlags?: number;
  protectedProcess?: number;
  timeZoneId?: number;
  timeZone?: TimeZoneSpec;
  buildString?: string;
  dbgBuildString?: string;
  processCookie?: number;
}

export interface BuilderOptions {
  /** Header TimeDateStamp (time_t). */
  timestamp?: number;
  /** MINIDUMP_TYPE flags (MiniDumpWithFullMemory = 2 …). */
  flags?: bigint;
  version?: number;
  /** 'list' writes MemoryListStream; 'list64' writes Memory64ListStream (full-memory dumps). */
  memory?: 'list' | 'list64';
  /** Write ThreadExListStream instead of ThreadListStream. */
  threadEx?: boolean;
  /** In 'list' mode, also list each thread's stack in the MemoryList (dbghelp does). Default true. */
  stacksInMemoryList?: boolean;
  /** Insert 4 bytes after the count of Thread/Module/MemoryList, a quirk some writers have. */
  listPadding?: boolean;
  /** MINIDUMP_HANDLE_DESCRIPTOR (1) or _2 (2). Default 2. */
  handleDescriptorVersion?: 1 | 2;
  /** Extra UnusedStream (type 0) directory entries, as dbghelp reserves. */
  unusedStreams?: number;
}

export interface DirectoryLie {
  /** Which entry: the stream type (and which one of that type, 0-based). */
  type: number;
  occurrence?: number;
  size?: number;
  rva?: number;
  newType?: number;
}

export interface BuildOptions {
  /** Cut the file at this many bytes (a dump whose writer died). */
  truncateAt?: number;
  header?: { signature?: number; version?: number; streamCount?: number; directoryRva?: number; checksum?: number };
  directory?: DirectoryLie[];
  /** Stream type → the element count written instead of the true one (see COUNT_FIELDS). */
  counts?: Partial<Record<number, number | bigint>>;
  /** Raw byte patches applied last (before truncation). */
  patches?: { offset: number; bytes: Uint8Array }[];
}

export interface BuiltStream {
  type: number;
  rva: number;
  size: number;
}

export interface BuiltMinidump {
  bytes: Uint8Array;
  directoryRva: number;
  streams: BuiltStream[];
  /** Where each thread's context went. */
  threadContexts: { threadId: number; rva: number; size: number }[];
  /** Where each captured memory range's bytes went. */
  memory: { address: bigint; rva: number; size: number }[];
  /** Declared Memory64 ranges and the file offsets their bytes must be written at (after `bytes`). */
  declaredMemory64: { address: bigint; rva: bigint; size: bigint }[];
}

interface RawStream {
  type: number;
  bytes: Uint8Array;
}

const big = (v: Address): bigint => BigInt(v);

export class MinidumpBuilder {
  private readonly opts: Required<Omit<BuilderOptions, 'flags'>> & { flags: bigint };
  private sys: SystemInfoSpec | null = null;
  private readonly threadList: ThreadSpec[] = [];
  private readonly moduleList: ModuleSpec[] = [];
  private readonly unloadedList: UnloadedModuleSpec[] = [];
  private exc: ExceptionSpec | null = null;
  private readonly regions: MemorySpec[] = [];
  private readonly memInfo: MemoryInfoSpec[] = [];
  private readonly threadInfos: ThreadInfoSpec[] = [];
  private readonly handleList: HandleSpec[] = [];
  private misc: MiscInfoSpec | null = null;
  private commentAText: string | null = null;
  private commentWText: string | null = null;
  private readonly names: { threadId: number; name: string }[] = [];
  private readonly raw: RawStream[] = [];
  private readonly declared64: { address: bigint; size: bigint }[] = [];

  /** The low-level layer, for hand-laid and hostile layouts (see MinidumpLayout). */
  static raw(): MinidumpLayout {
    return new MinidumpLayout();
  }

  constructor(options: BuilderOptions = {}) {
    this.opts = {
      timestamp: options.timestamp ?? 0x46dd4212,
      flags: options.flags ?? 0n,
      version: options.version ?? MDMP_VERSION,
      memory: options.memory ?? 'list',
      threadEx: options.threadEx ?? false,
      stacksInMemoryList: options.stacksInMemoryList ?? true,
      listPadding: options.listPadding ?? false,
      handleDescriptorVersion: options.handleDescriptorVersion ?? 2,
      unusedStreams: options.unusedStreams ?? 0,
    };
  }

  systemInfo(spec: SystemInfoSpec): this {
    this.sys = spec;
    return this;
  }
  thread(spec: ThreadSpec): this {
    this.threadList.push(spec);
    return this;
  }
  module(spec: ModuleSpec): this {
    this.moduleList.push(spec);
    return this;
  }
  unloadedModule(spec: UnloadedModuleSpec): this {
    this.unloadedList.push(spec);
    return this;
  }
  exception(spec: ExceptionSpec): this {
    this.exc = spec;
    return this;
  }
  /** A captured memory range (heap, TEB, module image pages …). */
  memory(address: Address, bytes: Uint8Array): this {
    this.regions.push({ address, bytes });
    return this;
  }
  memoryInfo(spec: MemoryInfoSpec): this {
    this.memInfo.push(spec);
    return this;
  }
  threadInfo(spec: ThreadInfoSpec): this {
    this.threadInfos.push(spec);
    return this;
  }
  handle(spec: HandleSpec): this {
    this.handleList.push(spec);
    return this;
  }
  miscInfo(spec: MiscInfoSpec): this {
    this.misc = spec;
    return this;
  }
  commentA(text: string): this {
    this.commentAText = text;
    return this;
  }
  commentW(text: string): this {
    this.commentWText = text;
    return this;
  }
  threadName(threadId: number, name: string): this {
    this.names.push({ threadId, name });
    return this;
  }
  /** Any stream, written verbatim (unknown types such as Wine's 0xfff0, or a hand-broken one). */
  rawStream(type: number, bytes: Uint8Array): this {
    this.raw.push({ type, bytes });
    return this;
  }

  /**
   * Memory64List ranges whose bytes the caller streams to the file after `build()` (see
   * sparse-full-dump.ts): the descriptors are written, the data is not. They follow the
   * in-memory ranges in file order, so the file can be far larger than what is held in memory.
   */
  declareMemory64(address: Address, size: Address): this {
    this.declared64.push({ address: big(address), size: big(size) });
    return this;
  }

  /** Every byte of process memory the dump will hold (stacks and ranges), for test doubles. */
  memoryRanges(): { address: bigint; bytes: Uint8Array }[] {
    const out: { address: bigint; bytes: Uint8Array }[] = [];
    for (const t of this.threadList) if (t.stack) out.push({ address: big(t.stack.address), bytes: t.stack.bytes });
    for (const r of this.regions) out.push({ address: big(r.address), bytes: r.bytes });
    return out;
  }

  build(options: BuildOptions = {}): BuiltMinidump {
    const w = new ByteWriter(1 << 16);
    const o = this.opts;

    // Which streams exist, in the order they are written. Memory lists come last so the
    // Memory64List blob can sit at the end of the file, where dbghelp puts it.
    const types: number[] = [];
    if (this.threadList.length > 0) types.push(o.threadEx ? StreamType.ThreadExList : StreamType.ThreadList);
    if (this.moduleList.length > 0) types.push(StreamType.ModuleList);
    if (this.unloadedList.length > 0) types.push(StreamType.UnloadedModuleList);
    if (this.exc) types.push(StreamType.Exception);
    if (this.sys) types.push(StreamType.SystemInfo);
    if (this.misc) types.push(StreamType.MiscInfo);
    if (this.threadInfos.length > 0) types.push(StreamType.ThreadInfoList);
    if (this.memInfo.length > 0) types.push(StreamType.MemoryInfoList);
    if (this.handleList.length > 0) types.push(StreamType.HandleData);
    if (this.names.length > 0) types.push(StreamType.ThreadNames);
    if (this.commentAText !== null) types.push(StreamType.CommentA);
    if (this.commentWText !== null) types.push(StreamType.CommentW);
    for (const r of this.raw) types.push(r.type);
    const hasMemory = this.regions.length > 0 || this.declared64.length > 0 || this.threadList.some((t) => t.stack);
    if (this.declared64.length > 0 && o.memory !== 'list64') throw new Error('declared Memory64 ranges need memory: "list64"');
    if (hasMemory) types.push(o.memory === 'list64' ? StreamType.Memory64List : StreamType.MemoryList);
    for (let i = 0; i < o.unusedStreams; i++) types.push(StreamType.Unused);

    // Header and directory, patched at the end.
    w.zeros(HEADER_SIZE);
    const directoryRva = w.length;
    w.zeros(types.length * DIRECTORY_ENTRY_SIZE);

    const streams: BuiltStream[] = [];
    const threadContexts: BuiltMinidump['threadContexts'] = [];
    const memoryOut: BuiltMinidump['memory'] = [];
    const declaredOut: BuiltMinidump['declaredMemory64'] = [];
    // Stack descriptors whose RVA is only known once the Memory64List blob is placed.
    const pendingStackRvas: { at: number; address: bigint }[] = [];
    // In 'list' mode, stacks already written (address → rva) so the MemoryList can share them.
    const stackRvas: { address: bigint; rva: number; size: number }[] = [];
    let rawIndex = 0;

    const begin = (type: number): number => {
      w.align(4);
      const rva = w.length;
      streams.push({ type, rva, size: 0 });
      return rva;
    };
    const end = (rva: number, fixedEnd: number): void => {
      const s = streams[streams.length - 1]!;
      s.size = fixedEnd - rva;
    };
    const location = (at: number, size: number, rva: number): void => {
      w.patchU32(at, size);
      w.patchU32(at + 4, rva);
    };
    const writeString = (text: string): number => writeMinidumpString(w, text);

    for (const type of types) {
      switch (type) {
        case StreamType.ThreadList:
        case StreamType.ThreadExList: {
          const ex = type === StreamType.ThreadExList;
          const rva = begin(type);
          w.u32(this.threadList.length);
          if (o.listPadding) w.u32(0);
          const entries: { ctxAt: number; stackAt: number; backingAt: number }[] = [];
          for (const t of this.threadList) entries.push(writeThreadEntry(w, t, ex));
          end(rva, w.length);
          this.threadList.forEach((t, i) => {
            const e = entries[i]!;
            if (t.context) {
              w.align(16);
              const ctxRva = w.bytes(t.context);
              location(e.ctxAt, t.context.length, ctxRva);
              threadContexts.push({ threadId: t.id, rva: ctxRva, size: t.context.length });
            }
            if (t.stack) {
              if (o.memory === 'list64') {
                pendingStackRvas.push({ at: e.stackAt + 4, address: big(t.stack.address) });
              } else {
                w.align(4);
                const stackRva = w.bytes(t.stack.bytes);
                w.patchU32(e.stackAt + 4, stackRva);
                stackRvas.push({ address: big(t.stack.address), rva: stackRva, size: t.stack.bytes.length });
              }
            }
            if (t.backingStore && e.backingAt >= 0) {
              w.align(4);
              location(e.backingAt, t.backingStore.bytes.length, w.bytes(t.backingStore.bytes));
            }
          });
          break;
        }
        case StreamType.ModuleList: {
          const rva = begin(type);
          w.u32(this.moduleList.length);
          if (o.listPadding) w.u32(0);
          const fields: { nameAt: number; cvAt: number; miscAt: number }[] = [];
          for (const m of this.moduleList) fields.push(writeModuleEntry(w, m));
          end(rva, w.length);
          if (w.length - rva !== 4 + (o.listPadding ? 4 : 0) + MODULE_SIZE * this.moduleList.length) {
            throw new Error('module list layout drifted from 108-byte MINIDUMP_MODULE');
          }
          this.moduleList.forEach((m, i) => {
            const f = fields[i]!;
            w.patchU32(f.nameAt, writeString(m.name));
            if (m.codeView) {
              const cv = codeViewBytes(m.codeView);
              w.align(4);
              location(f.cvAt, cv.length, w.bytes(cv));
            }
            if (m.misc) {
              w.align(4);
              location(f.miscAt, m.misc.length, w.bytes(m.misc));
            }
          });
          break;
        }
        case StreamType.UnloadedModuleList: {
          const rva = begin(type);
          w.u32(12);
          w.u32(UNLOADED_MODULE_SIZE);
          w.u32(this.unloadedList.length);
          const nameAts: number[] = [];
          for (const m of this.unloadedList) {
            w.u64(big(m.base));
            w.u32(m.size);
            w.u32(m.checksum ?? 0);
            w.u32(m.timestamp ?? 0);
            nameAts.push(w.u32(0));
          }
          end(rva, w.length);
          this.unloadedList.forEach((m, i) => w.patchU32(nameAts[i]!, writeString(m.name)));
          break;
        }
        case StreamType.Exception: {
          const e = this.exc!;
          const rva = begin(type);
          w.u32(e.threadId);
          w.u32(0); // __alignment
          w.u32(e.code);
          w.u32(e.flags ?? 0);
          w.u64(e.nestedRecord ?? 0);
          w.u64(e.address);
          const params = e.parameters ?? [];
          w.u32(params.length);
          w.u32(0); // __unusedAlignment
          for (let i = 0; i < 15; i++) w.u64(params[i] ?? 0);
          const ctxAt = w.u32(0);
          w.u32(0);
          end(rva, w.length);
          if (w.length - rva !== EXCEPTION_STREAM_SIZE) throw new Error('exception stream layout drifted');
          if (e.context) {
            w.align(16);
            location(ctxAt, e.context.length, w.bytes(e.context));
          }
          break;
        }
        case StreamType.SystemInfo: {
          const s = this.sys!;
          const rva = begin(type);
          const csdAt = writeSystemInfo(w, s);
          end(rva, w.length);
          w.patchU32(csdAt, writeString(s.csd ?? ''));
          break;
        }
        case StreamType.MiscInfo: {
          const rva = begin(type);
          writeMiscInfo(w, this.misc!);
          end(rva, w.length);
          break;
        }
        case StreamType.ThreadInfoList: {
          const rva = begin(type);
          w.u32(12);
          w.u32(THREAD_INFO_SIZE);
          w.u32(this.threadInfos.length);
          for (const t of this.threadInfos) {
            w.u32(t.threadId);
            w.u32(t.dumpFlags ?? 0);
            w.u32(t.dumpError ?? 0);
            w.u32(t.exitStatus ?? 0x103); // STATUS_PENDING: still running
            w.u64(t.createTime ?? 0n);
            w.u64(t.exitTime ?? 0n);
            w.u64(t.kernelTime ?? 0n);
            w.u64(t.userTime ?? 0n);
            w.u64(t.startAddress ?? 0);
            w.u64(t.affinity ?? 0n);
          }
          end(rva, w.length);
          break;
        }
        case StreamType.MemoryInfoList: {
          const rva = begin(type);
          w.u32(16);
          w.u32(MEMORY_INFO_SIZE);
          w.u64(this.memInfo.length);
          for (const m of this.memInfo) {
            w.u64(m.base);
            w.u64(m.allocationBase ?? m.base);
            w.u32(m.allocationProtect ?? m.protect);
            w.u32(0);
            w.u64(m.regionSize);
            w.u32(m.state);
            w.u32(m.protect);
            w.u32(m.type);
            w.u32(0);
          }
          end(rva, w.length);
          break;
        }
        case StreamType.HandleData: {
          const v2 = o.handleDescriptorVersion === 2;
          const rva = begin(type);
          w.u32(16);
          w.u32(v2 ? HANDLE_DESCRIPTOR_2_SIZE : HANDLE_DESCRIPTOR_SIZE);
          w.u32(this.handleList.length);
          w.u32(0);
          const nameAts: { typeAt: number; objAt: number }[] = [];
          for (const h of this.handleList) {
            w.u64(h.handle);
            const typeAt = w.u32(0);
            const objAt = w.u32(0);
            w.u32(h.attributes ?? 0);
            w.u32(h.grantedAccess ?? 0);
            w.u32(h.handleCount ?? 1);
            w.u32(h.pointerCount ?? 1);
            if (v2) {
              w.u32(0); // ObjectInfoRva
              w.u32(0);
            }
            nameAts.push({ typeAt, objAt });
          }
          end(rva, w.length);
          this.handleList.forEach((h, i) => {
            const at = nameAts[i]!;
            if (h.typeName != null) w.patchU32(at.typeAt, writeString(h.typeName));
            if (h.objectName != null) w.patchU32(at.objAt, writeString(h.objectName));
          });
          break;
        }
        case StreamType.ThreadNames: {
          const rva = begin(type);
          w.u32(this.names.length);
          const ats: number[] = [];
          for (const n of this.names) {
            w.u32(n.threadId);
            ats.push(w.u64(0)); // RVA64 of a MINIDUMP_STRING
          }
          end(rva, w.length);
          this.names.forEach((n, i) => w.patchU64(ats[i]!, writeString(n.name)));
          break;
        }
        case StreamType.CommentA: {
          const rva = begin(type);
          w.bytes(utf8(this.commentAText!));
          w.u8(0);
          end(rva, w.length);
          break;
        }
        case StreamType.CommentW: {
          const rva = begin(type);
          w.bytes(utf16le(this.commentWText!));
          w.u16(0);
          end(rva, w.length);
          break;
        }
        case StreamType.MemoryList: {
          const rva = begin(type);
          const list: { address: bigint; bytes: Uint8Array | null; rva: number; size: number }[] = [];
          if (o.stacksInMemoryList) for (const s of stackRvas) list.push({ address: s.address, bytes: null, rva: s.rva, size: s.size });
          for (const r of this.regions) list.push({ address: big(r.address), bytes: r.bytes, rva: 0, size: r.bytes.length });
          w.u32(list.length);
          if (o.listPadding) w.u32(0);
          const ats: number[] = [];
          for (const m of list) {
            w.u64(m.address);
            w.u32(m.size);
            ats.push(w.u32(m.rva));
          }
          end(rva, w.length);
          list.forEach((m, i) => {
            if (m.bytes) {
              w.align(4);
              m.rva = w.bytes(m.bytes);
              w.patchU32(ats[i]!, m.rva);
            }
            memoryOut.push({ address: m.address, rva: m.rva, size: m.size });
          });
          break;
        }
        case StreamType.Memory64List: {
          const rva = begin(type);
          const byAddress = <T extends { address: bigint }>(a: T, b: T): number => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);
          const held = this.memoryRanges().sort(byAddress);
          const declared = [...this.declared64].sort(byAddress);
          const spans = [...held.map((m) => ({ address: m.address, size: BigInt(m.bytes.length) })), ...declared].sort(byAddress);
          for (let i = 1; i < spans.length; i++) {
            const prev = spans[i - 1]!;
            if (prev.address + prev.size > spans[i]!.address) throw new Error(`memory ranges overlap at 0x${spans[i]!.address.toString(16)}`);
          }
          const baseRvaAt = writeMemory64Descriptors(w, [...held.map((m) => ({ address: m.address, size: m.bytes.length })), ...declared]);
          end(rva, w.length);
          if (w.length - rva !== 16 + MEMORY_DESCRIPTOR64_SIZE * (held.length + declared.length)) throw new Error('memory64 layout drifted');
          const baseRva = w.length;
          w.patchU64(baseRvaAt, baseRva);
          for (const m of held) {
            const at = w.bytes(m.bytes);
            memoryOut.push({ address: m.address, rva: at, size: m.bytes.length });
          }
          let tail = BigInt(w.length);
          for (const d of declared) {
            declaredOut.push({ address: d.address, rva: tail, size: d.size });
            tail += d.size;
          }
          for (const p of pendingStackRvas) {
            const hit = memoryOut.find((m) => m.address === p.address);
            if (hit) w.patchU32(p.at, hit.rva);
          }
          break;
        }
        case StreamType.Unused: {
          streams.push({ type: 0, rva: 0, size: 0 });
          break;
        }
        default: {
          const r = this.raw[rawIndex++]!;
          const rva = begin(r.type);
          w.bytes(r.bytes);
          end(rva, w.length);
        }
      }
    }

    // Header and directory.
    patchHeader(w, { version: o.version, streamCount: streams.length, directoryRva, timestamp: o.timestamp, flags: o.flags });
    streams.forEach((s, i) => {
      const at = directoryRva + i * DIRECTORY_ENTRY_SIZE;
      w.patchU32(at, s.type);
      w.patchU32(at + 4, s.size);
      w.patchU32(at + 8, s.rva);
    });

    // Deliberate damage, applied after the honest layout so tests can compare both.
    const h = options.header ?? {};
    if (h.signature !== undefined) w.patchU32(0, h.signature);
    if (h.version !== undefined) w.patchU32(4, h.version);
    if (h.streamCount !== undefined) w.patchU32(8, h.streamCount);
    if (h.directoryRva !== undefined) w.patchU32(12, h.directoryRva);
    if (h.checksum !== undefined) w.patchU32(16, h.checksum);
    for (const lie of options.directory ?? []) {
      const idx = nthIndex(streams, lie.type, lie.occurrence ?? 0);
      if (idx < 0) throw new Error(`no stream of type ${lie.type} to lie about`);
      const at = directoryRva + idx * DIRECTORY_ENTRY_SIZE;
      if (lie.newType !== undefined) w.patchU32(at, lie.newType);
      if (lie.size !== undefined) w.patchU32(at + 4, lie.size);
      if (lie.rva !== undefined) w.patchU32(at + 8, lie.rva);
    }
    for (const [typeText, count] of Object.entries(options.counts ?? {})) {
      if (count === undefined) continue;
      const type = Number(typeText);
      const field = COUNT_FIELDS[type];
      const s = streams.find((x) => x.type === type);
      if (!field || !s) throw new Error(`no count field to lie about for stream type ${type}`);
      const at = s.rva + field.offset;
      if (field.width === 8) w.patchU64(at, BigInt(count));
      else w.patchU32(at, count);
    }
    for (const p of options.patches ?? []) w.patchBytes(p.offset, p.bytes);

    let bytes = w.toBytes();
    if (options.truncateAt !== undefined) bytes = bytes.slice(0, Math.max(0, options.truncateAt));
    return { bytes, directoryRva, streams, threadContexts, memory: memoryOut, declaredMemory64: declaredOut };
  }
}

/**
 * The builder's low-level layer, for files a typed description cannot express: a padded list,
 * a directory entry with no data or data past the end, a hostile count, a record chain that
 * loops, a directory after the data. Bytes are appended as they are added (`append` returns
 * their RVA, so a test lays out what points at what); the stream directory goes at the end of
 * the file when `finish()` writes it (an MDMP directory may lie anywhere). Its record writers
 * are the ones `build()` uses, so both lay out a thread, a module or a system info alike.
 */
export class MinidumpLayout {
  readonly #w = new ByteWriter(1 << 12);
  readonly directory: BuiltStream[] = [];

  constructor() {
    this.#w.zeros(HEADER_SIZE);
  }

  /** File size so far. */
  get size(): number {
    return this.#w.length;
  }

  /** Appends bytes (aligned to `align`) and returns their RVA. */
  append(data: Uint8Array, align = 4): number {
    this.#w.align(align);
    return this.#w.bytes(data);
  }

  /** A MINIDUMP_STRING (u32 byte length + UTF-16LE + NUL); returns its RVA. */
  string(text: string): number {
    return writeMinidumpString(this.#w, text);
  }

  /** Appends a stream's bytes and lists it in the directory. */
  stream(type: number, data: Uint8Array): BuiltStream {
    const entry = { type, size: data.length, rva: this.append(data) };
    this.directory.push(entry);
    return entry;
  }

  /** Lists a directory entry without writing data (for hostile sizes and RVAs). */
  entry(type: number, size: number, rva: number): void {
    this.directory.push({ type, size, rva });
  }

  /** A ThreadListStream body (count, optional padding, MINIDUMP_THREADs); stacks and contexts are appended first. */
  threadList(threads: ThreadSpec[], options: { padded?: boolean } = {}): Uint8Array {
    const placed = threads.map((t) => ({
      stackRva: t.stack ? this.append(t.stack.bytes) : 0,
      contextRva: t.context ? this.append(t.context) : 0,
    }));
    const body = new ByteWriter(4 + 48 * threads.length);
    body.u32(threads.length);
    if (options.padded) body.u32(0);
    threads.forEach((t, i) => writeThreadEntry(body, t, false, placed[i]));
    return body.toBytes();
  }

  /** A ModuleListStream body; names and CodeView records are appended first. */
  moduleList(modules: ModuleSpec[]): Uint8Array {
    const placed = modules.map((m) => {
      const nameRva = this.string(m.name);
      const cv = m.codeView ? codeViewBytes(m.codeView) : null;
      return { nameRva, codeView: cv ? { size: cv.length, rva: this.append(cv) } : undefined };
    });
    const body = new ByteWriter(4 + MODULE_SIZE * modules.length);
    body.u32(modules.length);
    modules.forEach((m, i) => writeModuleEntry(body, m, placed[i]));
    return body.toBytes();
  }

  /** A SystemInfoStream body; its CSD string, if given, is appended first. */
  systemInfo(spec: SystemInfoSpec): Uint8Array {
    const csdRva = spec.csd === undefined ? 0 : this.string(spec.csd);
    const body = new ByteWriter(64);
    writeSystemInfo(body, spec, csdRva);
    return body.toBytes();
  }

  /**
   * A Memory64ListStream whose ranges' bytes follow it contiguously, in the order given (not
   * sorted, unlike `build()`, so a test can hand the reader ranges out of address order).
   */
  memory64(ranges: MemorySpec[]): BuiltStream {
    const rva = this.#w.align(4);
    const baseRvaAt = writeMemory64Descriptors(this.#w, ranges.map((r) => ({ address: big(r.address), size: r.bytes.length })));
    const entry = { type: StreamType.Memory64List, size: this.#w.length - rva, rva };
    this.directory.push(entry);
    this.#w.patchU64(baseRvaAt, this.#w.length);
    for (const r of ranges) this.#w.bytes(r.bytes);
    return entry;
  }

  /** Appends the directory, writes the header, and returns the file; more can be added and finished again. */
  finish(options: { version?: number; streamCount?: number; timestamp?: number; flags?: bigint } = {}): Uint8Array {
    const w = this.#w;
    const directoryRva = w.align(4);
    for (const e of this.directory) {
      w.u32(e.type);
      w.u32(e.size);
      w.u32(e.rva);
    }
    patchHeader(w, {
      version: options.version ?? MDMP_VERSION,
      streamCount: options.streamCount ?? this.directory.length,
      directoryRva,
      timestamp: options.timestamp ?? 0,
      flags: options.flags ?? 0n,
    });
    return w.toBytes();
  }
}

/** MINIDUMP_HEADER, written over the file's first 32 bytes (CheckSum 0, as dbghelp leaves it). */
function patchHeader(w: ByteWriter, h: { version: number; streamCount: number; directoryRva: number; timestamp: number; flags: bigint }): void {
  w.patchU32(0, MDMP_SIGNATURE);
  w.patchU32(4, h.version);
  w.patchU32(8, h.streamCount);
  w.patchU32(12, h.directoryRva);
  w.patchU32(16, 0);
  w.patchU32(20, h.timestamp);
  w.patchU64(24, h.flags);
}

/** A MINIDUMP_STRING at a 4-byte boundary: u32 byte length, UTF-16LE, NUL; returns its RVA. */
function writeMinidumpString(w: ByteWriter, text: string): number {
  w.align(4);
  const rva = w.u32(text.length * 2);
  w.bytes(utf16le(text));
  w.u16(0);
  return rva;
}

/**
 * MINIDUMP_THREAD (48 bytes) or MINIDUMP_THREAD_EX (64). RVAs not known yet stay 0; the
 * offsets returned are those of the stack, context and backing-store locations, to patch.
 */
function writeThreadEntry(
  w: ByteWriter,
  t: ThreadSpec,
  ex: boolean,
  placed: { stackRva?: number; contextRva?: number } = {},
): { stackAt: number; ctxAt: number; backingAt: number } {
  w.u32(t.id);
  w.u32(t.suspendCount ?? 0);
  w.u32(t.priorityClass ?? 0x20);
  w.u32(t.priority ?? 0);
  w.u64(t.teb ?? 0);
  w.u64(t.stack ? big(t.stack.address) : 0n);
  const stackAt = w.u32(t.stack?.bytes.length ?? 0);
  w.u32(placed.stackRva ?? 0);
  const ctxAt = w.u32(t.context?.length ?? 0);
  w.u32(placed.contextRva ?? 0);
  let backingAt = -1;
  if (ex) {
    w.u64(t.backingStore ? big(t.backingStore.address) : 0n);
    backingAt = w.u32(t.backingStore?.bytes.length ?? 0);
    w.u32(0);
  }
  return { stackAt, ctxAt, backingAt };
}

/** MINIDUMP_MODULE (108 bytes); returns the offsets of its name RVA and CodeView / misc locations, to patch. */
function writeModuleEntry(
  w: ByteWriter,
  m: ModuleSpec,
  placed: { nameRva?: number; codeView?: { size: number; rva: number } } = {},
): { nameAt: number; cvAt: number; miscAt: number } {
  w.u64(big(m.base));
  w.u32(m.size);
  w.u32(m.checksum ?? 0);
  w.u32(m.timestamp ?? 0);
  const nameAt = w.u32(placed.nameRva ?? 0);
  writeFixedFileInfo(w, m.version ?? null);
  const cvAt = w.u32(placed.codeView?.size ?? 0);
  w.u32(placed.codeView?.rva ?? 0);
  const miscAt = w.u32(0);
  w.u32(0);
  w.u64(0); // Reserved0
  w.u64(0); // Reserved1
  return { nameAt, cvAt, miscAt };
}

/** MINIDUMP_SYSTEM_INFO (56 bytes); returns the offset of its CSDVersionRva. */
function writeSystemInfo(w: ByteWriter, s: SystemInfoSpec, csdRva = 0): number {
  const arch = typeof s.arch === 'number' ? s.arch : ProcessorArchitecture[s.arch];
  w.u16(arch);
  w.u16(s.processorLevel ?? (arch === ProcessorArchitecture.amd64 || arch === ProcessorArchitecture.x86 ? 6 : 0));
  w.u16(s.processorRevision ?? 0);
  w.u8(s.cpuCount ?? 1);
  w.u8(s.productType ?? 1);
  w.u32(s.major);
  w.u32(s.minor);
  w.u32(s.build);
  w.u32(s.platformId ?? 2);
  const csdAt = w.u32(csdRva);
  w.u16(s.suiteMask ?? 0);
  w.u16(0);
  if (arch === ProcessorArchitecture.x86 || arch === ProcessorArchitecture.amd64) {
    const vendor = utf8((s.vendorId ?? 'GenuineIntel').padEnd(12, '\0').slice(0, 12));
    w.bytes(vendor);
    w.u32(s.cpuVersion ?? 0);
    w.u32(s.cpuFeatures ?? 0);
    w.u32(s.amdExtendedFeatures ?? 0);
  } else {
    w.u64(s.processorFeatures?.[0] ?? 0n);
    w.u64(s.processorFeatures?.[1] ?? 0n);
  }
  return csdAt;
}

/** MINIDUMP_MEMORY64_LIST's count, BaseRva and descriptors; returns the offset of BaseRva, to patch. */
function writeMemory64Descriptors(w: ByteWriter, ranges: { address: bigint; size: number | bigint }[]): number {
  w.u64(ranges.length);
  const baseRvaAt = w.u64(0);
  for (const r of ranges) {
    w.u64(r.address);
    w.u64(r.size);
  }
  return baseRvaAt;
}

function nthIndex(streams: BuiltStream[], type: number, n: number): number {
  let seen = 0;
  for (let i = 0; i < streams.length; i++) {
    if (streams[i]!.type !== type) continue;
    if (seen === n) return i;
    seen++;
  }
  return -1;
}

/** VS_FIXEDFILEINFO (52 bytes); all zero when the writer had no version resource. */
function writeFixedFileInfo(w: ByteWriter, v: FileVersionSpec | null): void {
  if (!v) {
    w.zeros(52);
    return;
  }
  const ms = (q: [number, number, number, number]): number => ((q[0] << 16) | q[1]) >>> 0;
  const ls = (q: [number, number, number, number]): number => ((q[2] << 16) | q[3]) >>> 0;
  const product = v.product ?? v.file;
  w.u32(0xfeef04bd);
  w.u32(0x00010000);
  w.u32(ms(v.file));
  w.u32(ls(v.file));
  w.u32(ms(product));
  w.u32(ls(product));
  w.u32(v.fileFlagsMask ?? 0x3f);
  w.u32(v.fileFlags ?? 0);
  w.u32(v.fileOS ?? 0x40004);
  w.u32(v.fileType ?? 2);
  w.u32(v.fileSubtype ?? 0);
  w.u32(0);
  w.u32(0);
}

/** GUID text ("1b2d… " with or without braces/dashes) → its 16 bytes as Windows stores them. */
export function guidBytes(text: string): Uint8Array {
  const hex = text.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a GUID: ${text}`);
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setUint32(0, parseInt(hex.slice(0, 8), 16), true);
  view.setUint16(4, parseInt(hex.slice(8, 12), 16), true);
  view.setUint16(6, parseInt(hex.slice(12, 16), 16), true);
  for (let i = 0; i < 8; i++) out[8 + i] = parseInt(hex.slice(16 + i * 2, 18 + i * 2), 16);
  return out;
}

/** CodeView record bytes: PDB 7.0 'RSDS' (GUID + age + UTF-8 path) or PDB 2.0 'NB10'. */
export function codeViewBytes(cv: CodeViewSpec): Uint8Array {
  if ('raw' in cv) return cv.raw;
  const w = new ByteWriter(64);
  if ('nb10' in cv) {
    w.u32(0x3031424e); // "NB10"
    w.u32(cv.nb10.offset ?? 0);
    w.u32(cv.nb10.signature);
    w.u32(cv.nb10.age);
    w.bytes(utf8(cv.nb10.pdb));
    w.u8(0);
    return w.toBytes();
  }
  w.u32(0x53445352); // "RSDS"
  w.bytes(guidBytes(cv.guid));
  w.u32(cv.age);
  w.bytes(utf8(cv.pdb));
  w.u8(0);
  return w.toBytes();
}

function miscLevel(m: MiscInfoSpec): 1 | 2 | 3 | 4 | 5 {
  if (m.level) return m.level;
  if (m.processCookie !== undefined) return 5;
  if (m.buildString !== undefined || m.dbgBuildString !== undefined) return 4;
  if (m.processIntegrityLevel !== undefined || m.processExecuteFlags !== undefined || m.protectedProcess !== undefined || m.timeZone || m.timeZoneId !== undefined) return 3;
  if (m.processorMaxMhz !== undefined || m.processorCurrentMhz !== undefined || m.processorMhzLimit !== undefined) return 2;
  return 1;
}

function writeFixedUtf16(w: ByteWriter, text: string, chars: number): void {
  const b = utf16le(text.slice(0, chars - 1));
  w.bytes(b);
  w.zeros(chars * 2 - b.length);
}

function writeMiscInfo(w: ByteWriter, m: MiscInfoSpec): void {
  const level = miscLevel(m);
  const size = MISC_INFO_SIZES[level];
  const start = w.length;
  let flags = 0;
  if (m.processId !== undefined) flags |= MiscInfoFlags.ProcessId;
  if (m.processCreateTime !== undefined || m.processUserTime !== undefined || m.processKernelTime !== undefined) flags |= MiscInfoFlags.ProcessTimes;
  if (level >= 2 && (m.processorMaxMhz !== undefined || m.processorCurrentMhz !== undefined)) flags |= MiscInfoFlags.ProcessorPowerInfo;
  if (level >= 3 && m.processIntegrityLevel !== undefined) flags |= MiscInfoFlags.ProcessIntegrity;
  if (level >= 3 && m.processExecuteFlags !== undefined) flags |= MiscInfoFlags.ProcessExecuteFlags;
  if (level >= 3 && m.timeZone) flags |= MiscInfoFlags.Timezone;
  if (level >= 3 && m.protectedProcess !== undefined) flags |= MiscInfoFlags.ProtectedProcess;
  if (level >= 4 && (m.buildString !== undefined || m.dbgBuildString !== undefined)) flags |= MiscInfoFlags.BuildString;
  if (level >= 5 && m.processCookie !== undefined) flags |= MiscInfoFlags.ProcessCookie;
  w.u32(size);
  w.u32(m.flags ?? flags);
  w.u32(m.processId ?? 0);
  w.u32(m.processCreateTime ?? 0);
  w.u32(m.processUserTime ?? 0);
  w.u32(m.processKernelTime ?? 0);
  if (level >= 2) {
    w.u32(m.processorMaxMhz ?? 0);
    w.u32(m.processorCurrentMhz ?? 0);
    w.u32(m.processorMhzLimit ?? 0);
    w.u32(m.processorMaxIdleState ?? 0);
    w.u32(m.processorCurrentIdleState ?? 0);
  }
  if (level >= 3) {
    w.u32(m.processIntegrityLevel ?? 0);
    w.u32(m.processExecuteFlags ?? 0);
    w.u32(m.protectedProcess ?? 0);
    w.u32(m.timeZoneId ?? 0);
    // TIME_ZONE_INFORMATION (172 bytes); SYSTEMTIME transition dates left zero.
    const tz = m.timeZone;
    w.u32(tz?.bias ?? 0);
    writeFixedUtf16(w, tz?.standardName ?? '', 32);
    w.zeros(16);
    w.u32(tz?.standardBias ?? 0);
    writeFixedUtf16(w, tz?.daylightName ?? '', 32);
    w.zeros(16);
    w.u32(tz?.daylightBias ?? 0);
  }
  if (level >= 4) {
    writeFixedUtf16(w, m.buildString ?? '', 260);
    writeFixedUtf16(w, m.dbgBuildString ?? '', 40);
  }
  if (level >= 5) {
    // XSTATE_CONFIG_FEATURE_MSC_INFO (528 bytes) left zero: no XSTATE features recorded.
    w.zeros(528);
    w.u32(m.processCookie ?? 0);
  }
  if (w.length - start !== size) throw new Error(`misc info level ${level} wrote ${w.length - start} bytes, expected ${size}`);
}

/**
 * EXCEPTION_RECORD64 as it sits in process memory (152 bytes), for a nested record that
 * MINIDUMP_EXCEPTION.ExceptionRecord points at.
 */
export function exceptionRecord64Bytes(rec: { code: number; flags?: number; next?: Address; address: Address; parameters?: Address[] }): Uint8Array {
  const w = new ByteWriter(152);
  w.u32(rec.code);
  w.u32(rec.flags ?? 0);
  w.u64(rec.next ?? 0);
  w.u64(rec.address);
  const p = rec.parameters ?? [];
  w.u32(p.length);
  w.u32(0);
  for (let i = 0; i < 15; i++) w.u64(p[i] ?? 0);
  return w.toBytes();
}

/** EXCEPTION_RECORD32 (80 bytes), the nested-record layout of a 32-bit process. */
export function exceptionRecord32Bytes(rec: { code: number; flags?: number; next?: Address; address: Address; parameters?: Address[] }): Uint8Array {
  const w = new ByteWriter(80);
  w.u32(rec.code);
  w.u32(rec.flags ?? 0);
  w.u32(rec.next ?? 0);
  w.u32(rec.address);
  const p = rec.parameters ?? [];
  w.u32(p.length);
  for (let i = 0; i < 15; i++) w.u32(p[i] ?? 0);
  return w.toBytes();
}
