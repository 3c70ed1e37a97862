// The memory a WOW64 thread leaves in a 64-bit dump: its TEB64 (TlsSlots[1] → the CPU-reserved
// area), its TEB32 two pages above, and the CPU-reserved area holding the saved x86 context.
// Offsets are written out here independently of src/engine/wow64 so the tests compare two
// readings of the public layouts.
import { ByteWriter } from './byte-writer.ts';

export const TEB64_SIZE = 0x1838; // Windows 10 size; older releases are a little shorter
export const TEB32_SIZE = 0x1000;

export interface Teb64Spec {
  self: bigint;
  /** NtTib.ExceptionList: WOW64 keeps the TEB32 address here. */
  exceptionList?: bigint;
  stackBase: bigint;
  stackLimit: bigint;
  pid: number;
  tid: number;
  peb: bigint;
  /** TlsSlots[index] = value (slot 1 = WOW64_TLS_CPURESERVED). */
  tlsSlots?: Record<number, bigint>;
  /** TEB64+0x180c (Windows 10+): TEB32 − TEB64. */
  wowTebOffset?: number;
}

export function teb64Bytes(s: Teb64Spec): Uint8Array {
  const out = new Uint8Array(TEB64_SIZE);
  const v = new DataView(out.buffer);
  v.setBigUint64(0x00, s.exceptionList ?? 0n, true);
  v.setBigUint64(0x08, s.stackBase, true);
  v.setBigUint64(0x10, s.stackLimit, true);
  v.setBigUint64(0x30, s.self, true);
  v.setBigUint64(0x40, BigInt(s.pid), true);
  v.setBigUint64(0x48, BigInt(s.tid), true);
  v.setBigUint64(0x60, s.peb, true);
  for (const [slot, value] of Object.entries(s.tlsSlots ?? {})) v.setBigUint64(0x1480 + Number(slot) * 8, value, true);
  if (s.wowTebOffset !== undefined) v.setInt32(0x180c, s.wowTebOffset, true);
  return out;
}

export interface Teb32Spec {
  self: number;
  exceptionList: number;
  stackBase: number;
  stackLimit: number;
  pid: number;
  tid: number;
  peb: number;
  lastError?: number;
}

export function teb32Bytes(s: Teb32Spec): Uint8Array {
  const out = new Uint8Array(TEB32_SIZE);
  const v = new DataView(out.buffer);
  v.setUint32(0x00, s.exceptionList, true);
  v.setUint32(0x04, s.stackBase, true);
  v.setUint32(0x08, s.stackLimit, true);
  v.setUint32(0x18, s.self, true);
  v.setUint32(0x20, s.pid, true);
  v.setUint32(0x24, s.tid, true);
  v.setUint32(0x30, s.peb, true);
  v.setUint32(0x34, s.lastError ?? 0, true);
  return out;
}

/**
 * The CPU-reserved area: { USHORT Flags; USHORT Machine; } then the 716-byte WOW64_CONTEXT at
 * +4 (Vista … Windows 11), or the context at +0 for the 'legacy' fallback layout.
 */
export function wow64CpuArea(context: Uint8Array, options: { layout?: '+4' | '+0'; flags?: number; machine?: number } = {}): Uint8Array {
  const w = new ByteWriter(0x300);
  if ((options.layout ?? '+4') === '+4') {
    w.u16(options.flags ?? 0);
    w.u16(options.machine ?? 0x14c);
  }
  w.bytes(context);
  w.align(16);
  return w.toBytes();
}

export interface Wow64ThreadMemorySpec {
  teb64: bigint;
  pid: number;
  tid: number;
  peb64: bigint;
  peb32: number;
  stack64: { base: bigint; limit: bigint };
  stack32: { base: number; limit: number };
  /** x86 SEH chain head (TEB32.NtTib.ExceptionList). */
  sehHead?: number;
  /** Where the CPU-reserved area goes; default: just below the 64-bit stack base, 16-aligned. */
  cpuArea?: bigint;
  context: Uint8Array;
  layout?: '+4' | '+0';
  wowTebOffset?: boolean;
}

/** The three memory ranges of one WOW64 thread, ready for `MinidumpBuilder.memory()`. */
export function wow64ThreadMemory(s: Wow64ThreadMemorySpec): { cpuArea: bigint; teb32: bigint; ranges: { address: bigint; bytes: Uint8Array }[] } {
  const teb32 = s.teb64 + 0x2000n;
  const area = wow64CpuArea(s.context, { layout: s.layout ?? '+4' });
  const cpuArea = s.cpuArea ?? ((s.stack64.base - BigInt(area.length)) & ~0xfn);
  const ranges = [
    {
      address: s.teb64,
      bytes: teb64Bytes({
        self: s.teb64,
        exceptionList: teb32,
        stackBase: s.stack64.base,
        stackLimit: s.stack64.limit,
        pid: s.pid,
        tid: s.tid,
        peb: s.peb64,
        tlsSlots: { 0: s.stack64.base - 0x1000n, 1: cpuArea },
        wowTebOffset: s.wowTebOffset ? 0x2000 : undefined,
      }),
    },
    {
      address: teb32,
      bytes: teb32Bytes({
        self: Number(teb32),
        exceptionList: s.sehHead ?? 0xffffffff,
        stackBase: s.stack32.base,
        stackLimit: s.stack32.limit,
        pid: s.pid,
        tid: s.tid,
        peb: s.peb32,
      }),
    },
    { address: cpuArea, bytes: area },
  ];
  return { cpuArea, teb32, ranges };
}
