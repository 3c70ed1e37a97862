// Where things are in a seed minidump, so the structured mutators can aim: the header and
// directory, each stream, the thread records (stack and context locations), the memory lists,
// the module ranges and the CPU. Read with plain DataView calls and no engine code, so a bug in
// the engine's readers cannot hide the very bytes the fuzzer should attack. Tolerant: what does
// not parse is simply left out.

export const StreamType = {
  ThreadList: 3,
  ModuleList: 4,
  MemoryList: 5,
  Exception: 6,
  SystemInfo: 7,
  ThreadExList: 8,
  Memory64List: 9,
  HandleData: 12,
  UnloadedModuleList: 14,
  MiscInfo: 15,
  MemoryInfoList: 16,
  ThreadInfoList: 17,
  ThreadNames: 24,
} as const;

/** PROCESSOR_ARCHITECTURE_* values that matter here. */
export const Cpu = { x86: 0, arm: 5, amd64: 9, arm64: 12 } as const;

/** Register offsets inside CONTEXT (winnt.h) for the two CPUs the unwinders walk. */
export const CONTEXT_LAYOUT = {
  x86: { size: 0x2cc, flags: 0x00, flagsCpu: 0x10000, sp: 0xc4, fp: 0xb4, ip: 0xb8, width: 4 },
  amd64: { size: 0x4d0, flags: 0x30, flagsCpu: 0x100000, sp: 0x98, fp: 0xa0, ip: 0xf8, width: 8 },
} as const;
export type ContextArch = keyof typeof CONTEXT_LAYOUT;

export interface StreamAt {
  index: number;
  /** File offset of the directory entry. */
  entry: number;
  type: number;
  size: number;
  rva: number;
}

export interface ThreadAt {
  /** File offset of the MINIDUMP_THREAD record. */
  entry: number;
  id: number;
  stackStart: bigint;
  stackSize: number;
  stackRva: number;
  contextSize: number;
  contextRva: number;
}

export interface MemoryAt {
  /** File offset of the descriptor. */
  entry: number;
  start: bigint;
  size: number;
  rva: number;
}

export interface Memory64At {
  entry: number;
  start: bigint;
  size: bigint;
}

export interface DumpLayout {
  size: number;
  streamCount: number;
  directoryRva: number;
  streams: StreamAt[];
  threads: ThreadAt[];
  memory: MemoryAt[];
  memory64: Memory64At[];
  /** File offset of the Memory64List header (count, BaseRva), or null. */
  memory64Header: number | null;
  modules: { base: bigint; size: number }[];
  /** PROCESSOR_ARCHITECTURE and the file offset holding it, or null. */
  cpu: number | null;
  cpuOffset: number | null;
  /** The exception stream's context location entry offset, or null. */
  exceptionContext: { entry: number; size: number; rva: number } | null;
  /** Offsets where one structure ends and another begins: truncation points that matter. */
  boundaries: number[];
}

/** The list header size: 4, or 8 when the writer padded the count (size = 8 + n × entry). */
function listStart(size: number, count: number, entrySize: number): number {
  return size === 8 + count * entrySize ? 8 : 4;
}

export function dumpLayout(bytes: Uint8Array): DumpLayout | null {
  if (bytes.length < 32) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(0, true) !== 0x504d444d) return null;
  const u32 = (at: number): number | null => (at >= 0 && at + 4 <= bytes.length ? v.getUint32(at, true) : null);
  const u64 = (at: number): bigint | null => (at >= 0 && at + 8 <= bytes.length ? v.getBigUint64(at, true) : null);
  const u16 = (at: number): number | null => (at >= 0 && at + 2 <= bytes.length ? v.getUint16(at, true) : null);

  const streamCount = u32(8)!;
  const directoryRva = u32(12)!;
  const layout: DumpLayout = {
    size: bytes.length,
    streamCount,
    directoryRva,
    streams: [],
    threads: [],
    memory: [],
    memory64: [],
    memory64Header: null,
    modules: [],
    cpu: null,
    cpuOffset: null,
    exceptionContext: null,
    boundaries: [0, 4, 8, 12, 16, 32],
  };
  const b = layout.boundaries;
  for (let i = 0; i < Math.min(streamCount, 256); i++) {
    const entry = directoryRva + i * 12;
    const type = u32(entry);
    const size = u32(entry + 4);
    const rva = u32(entry + 8);
    if (type === null || size === null || rva === null) break;
    layout.streams.push({ index: i, entry, type, size, rva });
    b.push(entry, rva, rva + size);
  }
  b.push(directoryRva + layout.streams.length * 12);

  for (const s of layout.streams) {
    switch (s.type) {
      case StreamType.ThreadList:
      case StreamType.ThreadExList: {
        const count = u32(s.rva);
        if (count === null) break;
        const entrySize = s.type === StreamType.ThreadList ? 48 : 64;
        const start = s.rva + listStart(s.size, count, entrySize);
        for (let i = 0; i < Math.min(count, 4096); i++) {
          const at = start + i * entrySize;
          if (at + 48 > s.rva + s.size || at + 48 > bytes.length) break;
          const t: ThreadAt = {
            entry: at,
            id: u32(at)!,
            stackStart: u64(at + 24)!,
            stackSize: u32(at + 32)!,
            stackRva: u32(at + 36)!,
            contextSize: u32(at + 40)!,
            contextRva: u32(at + 44)!,
          };
          layout.threads.push(t);
          b.push(at, t.stackRva, t.stackRva + t.stackSize, t.contextRva, t.contextRva + t.contextSize);
        }
        break;
      }
      case StreamType.MemoryList: {
        const count = u32(s.rva);
        if (count === null) break;
        const start = s.rva + listStart(s.size, count, 16);
        for (let i = 0; i < Math.min(count, 65536); i++) {
          const at = start + i * 16;
          if (at + 16 > bytes.length) break;
          const m: MemoryAt = { entry: at, start: u64(at)!, size: u32(at + 8)!, rva: u32(at + 12)! };
          layout.memory.push(m);
          b.push(m.rva, m.rva + m.size);
        }
        break;
      }
      case StreamType.Memory64List: {
        const count = u64(s.rva);
        if (count === null) break;
        layout.memory64Header = s.rva;
        const base = u64(s.rva + 8);
        let rva = base ?? 0n;
        for (let i = 0; i < Math.min(Number(count), 65536); i++) {
          const at = s.rva + 16 + i * 16;
          if (at + 16 > bytes.length) break;
          const m: Memory64At = { entry: at, start: u64(at)!, size: u64(at + 8)! };
          layout.memory64.push(m);
          if (rva < BigInt(bytes.length)) b.push(Number(rva));
          rva += m.size;
        }
        break;
      }
      case StreamType.ModuleList: {
        const count = u32(s.rva);
        if (count === null) break;
        const start = s.rva + listStart(s.size, count, 108);
        for (let i = 0; i < Math.min(count, 4096); i++) {
          const at = start + i * 108;
          if (at + 108 > bytes.length) break;
          layout.modules.push({ base: u64(at)!, size: u32(at + 8)! });
          b.push(at);
        }
        break;
      }
      case StreamType.SystemInfo: {
        const cpu = u16(s.rva);
        if (cpu !== null) {
          layout.cpu = cpu;
          layout.cpuOffset = s.rva;
        }
        break;
      }
      case StreamType.Exception: {
        const size = u32(s.rva + 160);
        const rva = u32(s.rva + 164);
        if (size !== null && rva !== null) {
          layout.exceptionContext = { entry: s.rva + 160, size, rva };
          b.push(rva, rva + size);
        }
        break;
      }
    }
  }
  layout.boundaries = [...new Set(b.filter((x) => x >= 0 && x <= bytes.length))].sort((x, y) => x - y);
  return layout;
}

/** The CONTEXT layout a thread context of `size` bytes has in a dump of CPU `cpu`, or null. */
export function contextArch(cpu: number | null, size: number): ContextArch | null {
  if (cpu === Cpu.amd64 && size >= CONTEXT_LAYOUT.amd64.size) return 'amd64';
  if (cpu === Cpu.x86 && size >= CONTEXT_LAYOUT.x86.size) return 'x86';
  if (cpu === null) return size >= CONTEXT_LAYOUT.amd64.size ? 'amd64' : size >= CONTEXT_LAYOUT.x86.size ? 'x86' : null;
  return null;
}
