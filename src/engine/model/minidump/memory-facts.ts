// Issue 12 facts (Paged Out Data, Insufficient Memory (committed memory)): what process memory
// the dump holds, what MemoryInfoList says of the address space, and which addresses the
// analysis needs that the dump does not hold: a thread's stack at its stack pointer (a writer
// that left stacks out, or a dump that lost them), and the page an in-page error could not read.
import type { DumpMemoryFacts, DumpModel, MemoryGap, MemoryMapSummary } from '../../core/dump-model.ts';
import { big, hex } from '../../core/hex.ts';
import type { DumpMemory } from '../../memory/dump-memory.ts';
import { MemoryState, MemoryType, type MinidumpMemoryInfo } from '../../minidump/memory-info-list.ts';

const IN_PAGE_ERROR = 0xc0000006;
/** Gaps listed at most: one per thread at most, and a dump has at most MAX_WALKED_THREADS walked. */
export const MAX_MEMORY_GAPS = 64;
/** The register that holds each CPU's stack pointer in the model's register records. */
const STACK_POINTERS = ['rsp', 'esp', 'sp'] as const;

export function summarizeMemoryMap(regions: readonly MinidumpMemoryInfo[]): MemoryMapSummary {
  let committed = 0n;
  let privateCommitted = 0n;
  let image = 0n;
  let mapped = 0n;
  let reserved = 0n;
  let largestFree = 0n;
  const top = regions.reduce((m, r) => (r.state !== MemoryState.free && r.base + r.regionSize > m ? r.base + r.regionSize : m), 0n);
  for (const r of regions) {
    if (r.state === MemoryState.commit) {
      committed += r.regionSize;
      if (r.type === MemoryType.private) privateCommitted += r.regionSize;
      else if (r.type === MemoryType.image) image += r.regionSize;
      else if (r.type === MemoryType.mapped) mapped += r.regionSize;
    } else if (r.state === MemoryState.reserve) {
      reserved += r.regionSize;
    } else if (r.state === MemoryState.free && r.base < top) {
      // The free tail above the highest allocation is the rest of the address space, whose size
      // the list does not say (it depends on the process's limit): only holes below it count.
      if (r.regionSize > largestFree) largestFree = r.regionSize;
    }
  }
  return {
    regions: regions.length,
    committedBytes: Number(committed),
    privateCommittedBytes: Number(privateCommitted),
    imageCommittedBytes: Number(image),
    mappedCommittedBytes: Number(mapped),
    reservedBytes: Number(reserved),
    largestFreeBytes: Number(largestFree),
  };
}

/** The region holding `address`, by binary search over a list sorted by base (as writers emit it). */
function regionAt(regions: readonly MinidumpMemoryInfo[], address: bigint): MinidumpMemoryInfo | null {
  let lo = 0;
  let hi = regions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = regions[mid]!;
    if (address < r.base) hi = mid - 1;
    else if (address >= r.base + r.regionSize) lo = mid + 1;
    else return r;
  }
  return null;
}

function stateOf(regions: readonly MinidumpMemoryInfo[] | null, address: bigint): MemoryGap['state'] {
  const r = regions ? regionAt(regions, address) : null;
  if (!r) return null;
  return r.state === MemoryState.commit ? 'commit' : r.state === MemoryState.reserve ? 'reserve' : r.state === MemoryState.free ? 'free' : null;
}

export function memoryFacts(model: DumpModel, memory: DumpMemory, regions: readonly MinidumpMemoryInfo[] | null): DumpMemoryFacts {
  // A list out of order would defeat the binary search; writers sort it, a hostile file may not.
  const sorted = regions && regions.every((r, i) => i === 0 || regions[i - 1]!.base <= r.base) ? regions : regions ? [...regions].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0)) : null;
  const gaps: MemoryGap[] = [];
  for (const t of model.threads) {
    if (gaps.length >= MAX_MEMORY_GAPS) break;
    const name = STACK_POINTERS.find((n) => t.registers?.[n] !== undefined);
    if (!name) continue;
    const sp = big(t.registers![name]!);
    // The word at the stack pointer is the least a walk needs; a dump that holds a stack holds it.
    if (memory.rangeAt(sp) !== null) continue;
    gaps.push({ what: 'stack', threadId: t.id, address: hex(sp), state: stateOf(sorted, sp) });
  }
  const e = model.exception;
  if (e && Number.parseInt(e.code.slice(2), 16) === IN_PAGE_ERROR && e.access && gaps.length < MAX_MEMORY_GAPS) {
    const at = big(e.access.address);
    if (memory.rangeAt(at) === null) gaps.push({ what: 'in-page', threadId: e.threadId, address: hex(at), state: stateOf(sorted, at) });
  }
  return {
    capturedRanges: memory.ranges.length,
    capturedBytes: Number(memory.totalBytes),
    map: sorted ? summarizeMemoryMap(sorted) : null,
    gaps,
  };
}
