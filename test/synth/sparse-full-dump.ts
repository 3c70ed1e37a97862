// Full-memory dumps of any size without holding them in memory: the metadata comes from the
// builder, the Memory64List data is streamed to the file range by range. Used by the
// benchmark (a ≥ 1 GB dump) and by tests with a few megabytes.
import { open } from 'node:fs/promises';
import { contextAmd64 } from './context-writers.ts';
import { MinidumpBuilder } from './minidump-builder.ts';
import type { ModuleSpec } from './minidump-builder.ts';

export interface SparseFullDumpOptions {
  /** Bytes of process memory to describe (the file is a little larger). */
  totalBytes: number | bigint;
  /** Size of each Memory64List range; default 64 MiB. The last range takes the remainder. */
  rangeSize?: number | bigint;
  /** Address of the first range; default 0x10000. Ranges are separated by one 64 KiB gap. */
  baseAddress?: bigint;
  /**
   * 'sparse' leaves the data as file holes except an 8-byte marker (the address) at the start
   * of every range; 'pattern' writes every byte, each 4 KiB page starting with its own address.
   */
  fill?: 'sparse' | 'pattern';
  /** Bytes per write in 'pattern' mode; default 4 MiB. */
  chunkSize?: number;
  modules?: ModuleSpec[];
  /** Threads get a small in-file stack (64 KiB) before the big ranges. Default 1 thread. */
  threadCount?: number;
}

export interface SparseFullDumpResult {
  path: string;
  fileSize: bigint;
  /** The big ranges as described in the Memory64List. */
  ranges: { address: bigint; size: bigint; rva: bigint }[];
  /** Stacks of the threads (held, written with the metadata). */
  stacks: { threadId: number; address: bigint; size: number }[];
}

const PAGE = 4096;
const GAP = 0x10000n;

export async function writeSparseFullMemoryDump(path: string, options: SparseFullDumpOptions): Promise<SparseFullDumpResult> {
  const total = BigInt(options.totalBytes);
  const rangeSize = BigInt(options.rangeSize ?? 64 * 1024 * 1024);
  if (total <= 0n || rangeSize <= 0n) throw new Error('totalBytes and rangeSize must be positive');
  const base = options.baseAddress ?? 0x10000n;
  const fill = options.fill ?? 'sparse';
  const chunkSize = options.chunkSize ?? 4 * 1024 * 1024;
  const threadCount = options.threadCount ?? 1;

  const b = new MinidumpBuilder({ memory: 'list64', flags: 0x2n /* MiniDumpWithFullMemory */ });
  b.systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045, cpuCount: 8, productType: 1 });
  b.miscInfo({ processId: 0x1234, processCreateTime: 0x65000000 });
  for (const m of options.modules ?? []) b.module(m);

  // Stacks live high above the big ranges so the two never overlap.
  const stacks: SparseFullDumpResult['stacks'] = [];
  let stackBase = 0x7ff0_0000_0000n;
  for (let i = 0; i < threadCount; i++) {
    const size = 0x10000;
    const stackBytes = new Uint8Array(size);
    const id = 0x100 + i * 4;
    const rsp = stackBase + BigInt(size - 0x100);
    b.thread({ id, teb: 0x7ffd_0000_0000n + BigInt(i) * 0x2000n, stack: { address: stackBase, bytes: stackBytes }, context: contextAmd64({ rip: 0x7ff6_0000_1000n, rsp, rbp: rsp + 0x40n }) });
    stacks.push({ threadId: id, address: stackBase, size });
    stackBase += 0x100000n;
  }

  let address = base;
  let left = total;
  while (left > 0n) {
    const size = left < rangeSize ? left : rangeSize;
    b.declareMemory64(address, size);
    address += size + GAP;
    left -= size;
  }
  const built = b.build();

  const fh = await open(path, 'w');
  try {
    await fh.write(built.bytes, 0, built.bytes.length, 0);
    const marker = new Uint8Array(8);
    const markerView = new DataView(marker.buffer);
    const chunk = fill === 'pattern' ? new Uint8Array(chunkSize) : new Uint8Array(0);
    const chunkView = new DataView(chunk.buffer);
    for (const r of built.declaredMemory64) {
      if (fill === 'sparse') {
        markerView.setBigUint64(0, r.address, true);
        await fh.write(marker, 0, Number(r.size < 8n ? r.size : 8n), Number(r.rva));
        continue;
      }
      let done = 0n;
      while (done < r.size) {
        const n = Number(r.size - done < BigInt(chunkSize) ? r.size - done : BigInt(chunkSize));
        for (let p = 0; p + 8 <= n; p += PAGE) chunkView.setBigUint64(p, r.address + done + BigInt(p), true);
        await fh.write(chunk, 0, n, Number(r.rva + done));
        done += BigInt(n);
      }
    }
    const last = built.declaredMemory64[built.declaredMemory64.length - 1];
    const fileSize = last ? last.rva + last.size : BigInt(built.bytes.length);
    await fh.truncate(Number(fileSize));
    return {
      path,
      fileSize,
      ranges: built.declaredMemory64.map((r) => ({ address: r.address, size: r.size, rva: r.rva })),
      stacks,
    };
  } finally {
    await fh.close();
  }
}
