// Adds a HandleData stream to a real dump that lacks one. Wine's dbghelp accepts
// MiniDumpWithHandleData but never writes the stream, so the programs of fixtures/programs that
// wait on kernel objects report their own handles (fixtures/programs/handlefacts.h writes
// NAME.handles.json beside the dump) and this module turns that report into the stream Windows'
// dbghelp would have written: MINIDUMP_HANDLE_DATA_STREAM with MINIDUMP_HANDLE_DESCRIPTOR_2
// entries whose ObjectInfoRva leads to MINIDUMP_HANDLE_OBJECT_INFORMATION records.
//
// Everything else in the dump stays byte for byte: the stream, its strings and object records are
// appended at the end of the file and the directory gets one more entry (in one of the unused
// entries Wine pads its directory with, or in a copy of the directory appended after them).
//
// The raw object information is what dbghelp copies from the NT query it makes per type (the
// SDK documents only the record header: "Per-handle object information varies according to the
// OS"); x64 layouts, little-endian:
//   MiniThreadInformation1 (1)  THREAD_BASIC_INFORMATION, 48 bytes: ExitStatus i32 (+4 pad),
//                               TebBaseAddress u64, ClientId { UniqueProcess u64,
//                               UniqueThread u64 }, AffinityMask u64, Priority i32,
//                               BasePriority i32
//   MiniMutantInformation1 (2)  MUTANT_BASIC_INFORMATION, 8 bytes: CurrentCount i32 (1 free,
//                               <= 0 owned), OwnedByCaller u8, AbandonedState u8 (+2 pad)
//   MiniMutantInformation2 (3)  MUTANT_OWNER_INFORMATION, 16 bytes: ClientId { UniqueProcess
//                               u64, UniqueThread u64 } (zeros when nobody owns it)
//   MiniProcessInformation1 (4) PROCESS_BASIC_INFORMATION, 48 bytes: ExitStatus i32 (+4 pad),
//                               PebBaseAddress u64, AffinityMask u64, BasePriority i32
//                               (+4 pad), UniqueProcessId u64, InheritedFromUniqueProcessId u64
// A mutant gets both of its records, chained 1 → 2 by NextInfoRva, as dbghelp chains them.

import { appendStream, miscProcessId } from './stream-appender.ts';

export const HANDLE_DATA_STREAM = 12;
export const HANDLE_DATA_HEADER_SIZE = 16;
export const HANDLE_DESCRIPTOR_2_SIZE = 40;
export const OBJECT_INFO_HEADER_SIZE = 12;

export const ObjectInfoType = {
  thread1: 1,
  mutant1: 2,
  mutant2: 3,
  process1: 4,
} as const;

export interface HandleFact {
  handle: number;
  type: string;
  name: string | null;
  attributes: number;
  grantedAccess: number;
  handleCount: number;
  pointerCount: number;
  mutant?: { currentCount: number; ownedByCaller: boolean; abandoned: boolean; ownerProcessId: number; ownerThreadId: number };
  thread?: { exitStatus: number; teb: number; processId: number; threadId: number; affinity: number; priority: number; basePriority: number };
  process?: { exitStatus: number; peb: number; affinity: number; basePriority: number; processId: number; parentProcessId: number };
}

export interface HandleFacts {
  processId: number;
  handles: HandleFact[];
}

function fail(message: string): never {
  throw new Error(`handle facts: ${message}`);
}

function num(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(`${what} is not an integer`);
  return value;
}

function obj(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} is not an object`);
  return value as Record<string, unknown>;
}

/** Parses and checks the JSON a program wrote with handlefacts.h. */
export function parseHandleFacts(json: string): HandleFacts {
  const root = obj(JSON.parse(json), 'the file');
  const list = root['handles'];
  if (!Array.isArray(list)) fail('handles is not an array');
  const handles = list.map((raw, i): HandleFact => {
    const h = obj(raw, `handle ${i}`);
    const type = h['type'];
    const name = h['name'];
    if (typeof type !== 'string') fail(`handle ${i}: type is not a string`);
    if (name !== null && typeof name !== 'string') fail(`handle ${i}: name is neither a string nor null`);
    const fact: HandleFact = {
      handle: num(h['handle'], `handle ${i}`),
      type,
      name,
      attributes: num(h['attributes'], `handle ${i} attributes`),
      grantedAccess: num(h['grantedAccess'], `handle ${i} grantedAccess`),
      handleCount: num(h['handleCount'], `handle ${i} handleCount`),
      pointerCount: num(h['pointerCount'], `handle ${i} pointerCount`),
    };
    if (h['mutant'] !== undefined) {
      const m = obj(h['mutant'], `handle ${i} mutant`);
      fact.mutant = {
        currentCount: num(m['currentCount'], 'currentCount'),
        ownedByCaller: m['ownedByCaller'] === true,
        abandoned: m['abandoned'] === true,
        ownerProcessId: num(m['ownerProcessId'], 'ownerProcessId'),
        ownerThreadId: num(m['ownerThreadId'], 'ownerThreadId'),
      };
    }
    if (h['thread'] !== undefined) {
      const t = obj(h['thread'], `handle ${i} thread`);
      fact.thread = {
        exitStatus: num(t['exitStatus'], 'exitStatus'),
        teb: num(t['teb'], 'teb'),
        processId: num(t['processId'], 'processId'),
        threadId: num(t['threadId'], 'threadId'),
        affinity: num(t['affinity'], 'affinity'),
        priority: num(t['priority'], 'priority'),
        basePriority: num(t['basePriority'], 'basePriority'),
      };
    }
    if (h['process'] !== undefined) {
      const p = obj(h['process'], `handle ${i} process`);
      fact.process = {
        exitStatus: num(p['exitStatus'], 'exitStatus'),
        peb: num(p['peb'], 'peb'),
        affinity: num(p['affinity'], 'affinity'),
        basePriority: num(p['basePriority'], 'basePriority'),
        processId: num(p['processId'], 'processId'),
        parentProcessId: num(p['parentProcessId'], 'parentProcessId'),
      };
    }
    return fact;
  });
  return { processId: num(root['processId'], 'processId'), handles };
}

/** Little-endian writer that grows as it goes. */
class Out {
  bytes = new Uint8Array(4096);
  length = 0;
  private ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }
  private view(size: number): DataView {
    this.ensure(size);
    const v = new DataView(this.bytes.buffer, this.length, size);
    this.length += size;
    return v;
  }
  u8(value: number): void {
    this.view(1).setUint8(0, value);
  }
  u16(value: number): void {
    this.view(2).setUint16(0, value, true);
  }
  u32(value: number): void {
    this.view(4).setUint32(0, value >>> 0, true);
  }
  i32(value: number): void {
    this.view(4).setInt32(0, value, true);
  }
  u64(value: number | bigint): void {
    this.view(8).setBigUint64(0, BigInt(value), true);
  }
  /** Reserves `size` zero bytes, filled in later through patch or a DataView. */
  skip(size: number): void {
    this.view(size);
  }
  align(to: number): void {
    while (this.length % to !== 0) this.u8(0);
  }
  patchU32(at: number, value: number): void {
    new DataView(this.bytes.buffer).setUint32(at, value >>> 0, true);
  }
}

/**
 * A copy of `dump` (a real minidump with no HandleData stream) with a HandleData stream built
 * from `facts`. Throws when the dump already has one, or when the facts were written by another
 * process than the one the dump's MiscInfo names (a stale .handles.json beside a newer dump).
 */
export function addHandleData(dump: Uint8Array, facts: HandleFacts): Uint8Array {
  const pid = miscProcessId(dump);
  if (pid !== null && pid !== facts.processId) throw new Error(`the handle facts are about process ${facts.processId}, the dump about ${pid}`);
  const streamSize = HANDLE_DATA_HEADER_SIZE + HANDLE_DESCRIPTOR_2_SIZE * facts.handles.length;
  return appendStream(dump, { type: HANDLE_DATA_STREAM, size: streamSize, build: (base) => handleDataBlock(facts, base) });
}

/** The stream, then its strings and object records, at file offsets from `base`. */
function handleDataBlock(facts: HandleFacts, base: number): Uint8Array {
  const out = new Out();
  out.u32(HANDLE_DATA_HEADER_SIZE);
  out.u32(HANDLE_DESCRIPTOR_2_SIZE);
  out.u32(facts.handles.length);
  out.u32(0);
  const descriptors = out.length;
  out.skip(HANDLE_DESCRIPTOR_2_SIZE * facts.handles.length);
  const strings = new Map<string, number>();
  const string = (s: string): number => {
    const known = strings.get(s);
    if (known !== undefined) return known;
    out.align(4);
    const rva = base + out.length;
    out.u32(s.length * 2); // MINIDUMP_STRING.Length: bytes, without the terminating NUL
    for (let i = 0; i < s.length; i++) out.u16(s.charCodeAt(i));
    out.u16(0);
    strings.set(s, rva);
    return rva;
  };
  const record = (type: number, size: number, write: () => void): { rva: number; next: number } => {
    out.align(4);
    const rva = base + out.length;
    const next = out.length;
    out.u32(0); // NextInfoRva, patched when another record follows
    out.u32(type);
    out.u32(size);
    const start = out.length;
    write();
    if (out.length - start !== size) throw new Error(`object information type ${type}: wrote ${out.length - start} bytes, not ${size}`);
    return { rva, next };
  };

  facts.handles.forEach((h, i) => {
    const typeRva = string(h.type);
    const nameRva = h.name === null ? 0 : string(h.name);
    let infoRva = 0;
    if (h.mutant) {
      const m = h.mutant;
      const first = record(ObjectInfoType.mutant1, 8, () => {
        out.i32(m.currentCount);
        out.u8(m.ownedByCaller ? 1 : 0);
        out.u8(m.abandoned ? 1 : 0);
        out.u16(0);
      });
      const second = record(ObjectInfoType.mutant2, 16, () => {
        out.u64(m.ownerThreadId === 0 ? 0 : m.ownerProcessId);
        out.u64(m.ownerThreadId);
      });
      out.patchU32(first.next, second.rva);
      infoRva = first.rva;
    } else if (h.thread) {
      const t = h.thread;
      infoRva = record(ObjectInfoType.thread1, 48, () => {
        out.i32(t.exitStatus);
        out.u32(0);
        out.u64(t.teb);
        out.u64(t.processId);
        out.u64(t.threadId);
        out.u64(t.affinity);
        out.i32(t.priority);
        out.i32(t.basePriority);
      }).rva;
    } else if (h.process) {
      const p = h.process;
      infoRva = record(ObjectInfoType.process1, 48, () => {
        out.i32(p.exitStatus);
        out.u32(0);
        out.u64(p.peb);
        out.u64(p.affinity);
        out.i32(p.basePriority);
        out.u32(0);
        out.u64(p.processId);
        out.u64(p.parentProcessId);
      }).rva;
    }
    const d = new DataView(out.bytes.buffer, descriptors + HANDLE_DESCRIPTOR_2_SIZE * i, HANDLE_DESCRIPTOR_2_SIZE);
    d.setBigUint64(0, BigInt(h.handle), true);
    d.setUint32(8, typeRva, true);
    d.setUint32(12, nameRva, true);
    d.setUint32(16, h.attributes >>> 0, true);
    d.setUint32(20, h.grantedAccess >>> 0, true);
    d.setUint32(24, h.handleCount >>> 0, true);
    d.setUint32(28, h.pointerCount >>> 0, true);
    d.setUint32(32, infoRva, true);
    d.setUint32(36, 0, true); // Reserved0
  });

  return out.bytes.subarray(0, out.length);
}
