// Issue 12 fact (Execution Residue): return addresses left on the faulting thread's stack by
// calls that have already returned. A call pushes its return address; when the callee returns,
// the slot is not cleared, and a later, shallower call may leave it untouched (a buffer never
// written, a gap between frames). So the stack above the stack pointer holds, besides the live
// frames' return addresses, stale ones: a record of code that ran on this thread before.
//
// Only values whose call instruction was checked in module code count (scan.ts rule 3): without
// module code any pointer into a module would pass. Values a live frame accounts for are left
// out: a walked frame's own return address, and (x64, where .pdata gives function bounds) any
// address inside a function one of the live frames is in.
import type { DumpModel, ResidueEntry, StackResidue, Thread } from '../../core/dump-model.ts';
import { big, hex } from '../../core/hex.ts';
import type { AddressSpace } from '../../memory/address-space.ts';
import { checkReturnAddress } from '../../unwind/scan.ts';
import { nameAddress } from '../../unwind/symbolize.ts';
import type { ModuleLookup } from '../../unwind/types.ts';

/** Bytes of stack read above the stack pointer (32 KiB: the frames near a crash, not the whole stack). */
export const MAX_RESIDUE_SCAN_BYTES = 32 * 1024;
/** Residue entries kept per thread. */
export const MAX_RESIDUE_ENTRIES = 64;

async function functionStart(address: bigint, modules: ModuleLookup): Promise<bigint | null> {
  const m = modules.moduleAt(address);
  const image = m ? await m.image() : null;
  if (!m || !image) return null;
  const fn = await image.functionEntry(Number(address - m.base));
  return fn ? m.base + BigInt(fn.begin) : null;
}

/** The stale return addresses on `thread`'s captured stack, or null when it cannot be read. */
export async function stackResidue(thread: Thread, arch: DumpModel['system']['arch'], memory: AddressSpace, modules: ModuleLookup): Promise<StackResidue | null> {
  if (arch !== 'amd64' && arch !== 'x86') return null;
  const spText = thread.registers?.[arch === 'amd64' ? 'rsp' : 'esp'];
  if (spText === undefined) return null;
  const sp = big(spText);
  const range = memory.rangeAt(sp);
  if (!range) return null;
  const width = arch === 'amd64' ? 8 : 4;
  const available = Number(range.base + range.size - sp);
  const length = Math.min(available, MAX_RESIDUE_SCAN_BYTES) - (Math.min(available, MAX_RESIDUE_SCAN_BYTES) % width);
  const bytes = length > 0 ? await memory.read(sp, length) : null;
  if (!bytes) return null;

  const live = new Set(thread.frames.map((f) => big(f.address)));
  const liveFunctions = new Set<bigint>();
  for (const f of thread.frames) {
    const start = await functionStart(big(f.address), modules);
    if (start !== null) liveFunctions.add(start);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: ResidueEntry[] = [];
  let capped = available > MAX_RESIDUE_SCAN_BYTES;
  for (let at = 0; at + width <= length; at += width) {
    const value = width === 8 ? view.getBigUint64(at, true) : BigInt(view.getUint32(at, true));
    if (live.has(value)) continue;
    if ((await checkReturnAddress(value, { memory, moduleAt: (a) => modules.moduleAt(a) }, arch)) !== 'call-verified') continue;
    const start = await functionStart(value, modules);
    if (start !== null && liveFunctions.has(start)) continue;
    if (entries.length >= MAX_RESIDUE_ENTRIES) {
      capped = true;
      break;
    }
    const name = await nameAddress(value, modules);
    entries.push({
      slot: hex(sp + BigInt(at)),
      address: hex(value),
      module: name.module,
      symbol: name.symbol,
      offset: name.offset === null ? null : hex(name.offset),
      functionStart: start === null ? null : hex(start),
    });
  }
  return { threadId: thread.id, scannedBytes: length, capped, entries };
}
