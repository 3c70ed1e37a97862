// HandleDataStream (MiniDumpWithHandleData): one descriptor per open handle, with its type
// ("File", "Event", "Mutant"…) and object name. Header: SizeOfHeader, SizeOfDescriptor,
// NumberOfDescriptors, Reserved (u32 each); MINIDUMP_HANDLE_DESCRIPTOR is 32 bytes, _2 is 40.
// A _2 descriptor may point (ObjectInfoRva) at a chain of MINIDUMP_HANDLE_OBJECT_INFORMATION
// records: what dbghelp asked the kernel about the object (a mutant's owner, a thread's or a
// process's id). They are what resolves a wait on a handle to the thread that must act.
import { hex32, readLocation, type StreamContext } from './location.ts';
import { readSizedList } from './list-header.ts';
import { readOptionalString } from './strings.ts';
import type { StreamEntry } from './directory.ts';
import type { BinaryReader } from '../io/binary-reader.ts';

export const HANDLE_DESCRIPTOR_SIZE = 32;
export const HANDLE_DESCRIPTOR_2_SIZE = 40;
/** Handles read at most; leaking processes reach tens of thousands, 100 000 is beyond any real one. */
export const MAX_HANDLES = 100_000;

export interface MinidumpHandle {
  handle: bigint;
  typeName: string | null;
  objectName: string | null;
  attributes: number;
  grantedAccess: number;
  handleCount: number;
  pointerCount: number;
  /** MINIDUMP_HANDLE_DESCRIPTOR_2 only: RVA of the object-information chain, 0 when none. */
  objectInfoRva?: number;
  /** What the object-information chain said, when the descriptor had one that could be read. */
  objectInfo?: HandleObjectInfo;
}

/** MINIDUMP_HANDLE_OBJECT_INFORMATION_TYPE values this reader decodes. */
export const HandleObjectInfoType = {
  thread1: 1,
  mutant1: 2,
  mutant2: 3,
  process1: 4,
} as const;

/**
 * The decoded object information. The SDK documents only the record header; the bodies are the
 * NT query structures dbghelp copies (THREAD_BASIC_INFORMATION, MUTANT_BASIC_INFORMATION,
 * MUTANT_OWNER_INFORMATION = CLIENT_ID, PROCESS_BASIC_INFORMATION), whose size says whether
 * pointers are 4 or 8 bytes. A record of another size is left out, never guessed at.
 */
export interface HandleObjectInfo {
  mutant?: { currentCount: number; ownedByCaller: boolean; abandoned: boolean };
  /** Owner of a mutant: zeros when nobody owns it. */
  mutantOwner?: { processId: number; threadId: number };
  thread?: { exitStatus: number; teb: bigint; processId: number; threadId: number };
  process?: { exitStatus: number; peb: bigint; processId: number; parentProcessId: number };
}

/** Records followed per chain: dbghelp writes at most two (mutant 1 → 2); a loop stops here. */
export const MAX_OBJECT_INFO_RECORDS = 8;
/** Bytes of one record's body read: the largest structure decoded is 48 bytes. */
const MAX_OBJECT_INFO_BODY = 256;
const OBJECT_INFO_HEADER = 12;

/** A 64-bit id as a number, or null when it cannot be a thread or process id (ids are 32-bit). */
function id32(value: bigint): number | null {
  return value <= 0xffffffffn ? Number(value) : null;
}

async function readObjectInfo(ctx: StreamContext, rva: number, label: string): Promise<HandleObjectInfo | undefined> {
  const info: HandleObjectInfo = {};
  let found = false;
  const seen = new Set<number>();
  let at = rva;
  for (let n = 0; at !== 0 && n < MAX_OBJECT_INFO_RECORDS; n++) {
    if (seen.has(at)) break;
    seen.add(at);
    const head = await readLocation(ctx, { rva: at, size: OBJECT_INFO_HEADER }, `${label} at ${hex32(at)}`);
    if (head.length < OBJECT_INFO_HEADER) break;
    const next = head.u32(0);
    const type = head.u32(4);
    const size = head.u32(8);
    if (size > 0 && size <= MAX_OBJECT_INFO_BODY) {
      const r = await readLocation(ctx, { rva: at + OBJECT_INFO_HEADER, size }, `${label} body at ${hex32(at)}`);
      if (r.length === size) found = decodeRecord(info, type, r) || found;
    }
    at = next;
  }
  return found ? info : undefined;
}

/** Fills `info` from one record; false when the type or size is not one this reader knows. */
function decodeRecord(info: HandleObjectInfo, type: number, r: BinaryReader): boolean {
  const size = r.length;
  const ptr = (o: number, wide: boolean): bigint => (wide ? r.u64(o) : BigInt(r.u32(o)));
  switch (type) {
    case HandleObjectInfoType.mutant1:
      if (size < 6) return false;
      info.mutant = { currentCount: r.i32(0), ownedByCaller: r.u8(4) !== 0, abandoned: r.u8(5) !== 0 };
      return true;
    case HandleObjectInfoType.mutant2: {
      if (size !== 16 && size !== 8) return false;
      const wide = size === 16;
      const processId = id32(ptr(0, wide));
      const threadId = id32(ptr(wide ? 8 : 4, wide));
      if (processId === null || threadId === null) return false;
      info.mutantOwner = { processId, threadId };
      return true;
    }
    case HandleObjectInfoType.thread1: {
      // ExitStatus, TebBaseAddress, ClientId { UniqueProcess, UniqueThread }, AffinityMask, Priority, BasePriority
      if (size !== 48 && size !== 28) return false;
      const wide = size === 48;
      const p = wide ? 8 : 4;
      const processId = id32(ptr(p + (wide ? 8 : 4), wide));
      const threadId = id32(ptr(p + (wide ? 16 : 8), wide));
      if (processId === null || threadId === null) return false;
      info.thread = { exitStatus: r.i32(0), teb: ptr(p, wide), processId, threadId };
      return true;
    }
    case HandleObjectInfoType.process1: {
      // ExitStatus, PebBaseAddress, AffinityMask, BasePriority, UniqueProcessId, InheritedFromUniqueProcessId
      if (size !== 48 && size !== 24) return false;
      const wide = size === 48;
      const processId = id32(ptr(wide ? 32 : 16, wide));
      const parentProcessId = id32(ptr(wide ? 40 : 20, wide));
      if (processId === null || parentProcessId === null) return false;
      info.process = { exitStatus: r.i32(0), peb: ptr(wide ? 8 : 4, wide), processId, parentProcessId };
      return true;
    }
    default:
      return false;
  }
}

export async function readHandleData(ctx: StreamContext, entry: StreamEntry): Promise<MinidumpHandle[]> {
  const { r, start, entrySize, count } = await readSizedList(ctx, entry, {
    headerSize: 16,
    entrySize: HANDLE_DESCRIPTOR_SIZE,
    entryWord: 'descriptor',
    what: 'handles',
    cap: MAX_HANDLES,
  });
  const out: MinidumpHandle[] = [];
  // Thousands of handles share a few type names: decode each RVA once.
  const names = new Map<number, Promise<string | null>>();
  const name = (rva: number, what: string): Promise<string | null> => {
    let p = names.get(rva);
    if (p === undefined) {
      p = readOptionalString(ctx, rva, `${entry.name} ${what} at ${hex32(rva)}`);
      names.set(rva, p);
    }
    return p;
  };
  for (let i = 0; i < count; i++) {
    const at = start + i * entrySize;
    const handle: MinidumpHandle = {
      handle: r.u64(at),
      typeName: await name(r.u32(at + 8), 'type name'),
      objectName: await name(r.u32(at + 12), 'object name'),
      attributes: r.u32(at + 16),
      grantedAccess: r.u32(at + 20),
      handleCount: r.u32(at + 24),
      pointerCount: r.u32(at + 28),
    };
    if (entrySize >= HANDLE_DESCRIPTOR_2_SIZE) {
      handle.objectInfoRva = r.u32(at + 32);
      if (handle.objectInfoRva !== 0) {
        // One unreadable chain costs that handle its facts, not the stream its handles.
        try {
          const info = await readObjectInfo(ctx, handle.objectInfoRva, `${entry.name} object information of handle ${hex32(Number(handle.handle & 0xffffffffn))}`);
          if (info) handle.objectInfo = info;
        } catch (err) {
          ctx.warn('stream-corrupt', (err instanceof Error ? err.message : String(err)).split('\n')[0]!);
        }
      }
    }
    out.push(handle);
  }
  return out;
}
