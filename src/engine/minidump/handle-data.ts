// HandleDataStream (MiniDumpWithHandleData): one descriptor per open handle, with its type
// ("File", "Event", "Mutant"…) and object name. Header: SizeOfHeader, SizeOfDescriptor,
// NumberOfDescriptors, Reserved (u32 each); MINIDUMP_HANDLE_DESCRIPTOR is 32 bytes, _2 is 40.
import { hex32, type StreamContext } from './location.ts';
import { readSizedList } from './list-header.ts';
import { chargeReuse, readOptionalString } from './strings.ts';
import type { StreamEntry } from './directory.ts';

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
  // Thousands of handles share a few type names: decode each RVA once and share the string,
  // but charge the string budget for every use (chargeReuse): the report carries one copy per
  // handle once it is serialised, so a shared name costs what it would cost read each time.
  const names = new Map<number, { text: string | null; cut: { text?: string } }>();
  const name = async (rva: number, what: string): Promise<string | null> => {
    const known = names.get(rva);
    if (known === undefined) {
      const text = await readOptionalString(ctx, rva, `${entry.name} ${what} at ${hex32(rva)}`);
      names.set(rva, { text, cut: {} });
      return text;
    }
    return known.text === null ? null : chargeReuse(ctx, known.text, known.cut);
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
    if (entrySize >= HANDLE_DESCRIPTOR_2_SIZE) handle.objectInfoRva = r.u32(at + 32);
    out.push(handle);
  }
  return out;
}
