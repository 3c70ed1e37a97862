// The fallback for a region that is not sorted: one streaming pass over it that keeps, for each
// record of the kinds asked for, its key, size, frame type and byte offset in typed arrays,
// then sorts them by key. 25 bytes a record, nothing else: a lookup then reads only the few
// lines the index points at. The arrays stay within the reader's memory limit; when the limit
// is hit the index says it is incomplete (`complete`) and the reader warns.
import { type RecordKind, readRecordHead } from './record-head.ts';
import type { Region } from './sorted-search.ts';
import type { ReadBudget, SymText } from './text-lines.ts';

/** Bytes one indexed record costs: key, size, offset (Float64) and frame type (Uint8). */
export const INDEX_BYTES_PER_RECORD = 25;

export class KeyIndex {
  readonly keys: Float64Array;
  readonly sizes: Float64Array;
  readonly offsets: Float64Array;
  readonly types: Uint8Array;
  /** False when the memory limit stopped the pass before every record was kept. */
  readonly complete: boolean;

  constructor(keys: Float64Array, sizes: Float64Array, offsets: Float64Array, types: Uint8Array, complete: boolean) {
    this.keys = keys;
    this.sizes = sizes;
    this.offsets = offsets;
    this.types = types;
    this.complete = complete;
  }

  get count(): number {
    return this.keys.length;
  }

  get heldBytes(): number {
    return this.count * INDEX_BYTES_PER_RECORD;
  }

  /** Number of keys ≤ target: the position of the first key above it. */
  countAtOrBelow(target: number): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! <= target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Position of the last key ≤ target (of equal keys, the first in the file), or -1. */
  lastAtOrBelow(target: number): number {
    let i = this.countAtOrBelow(target) - 1;
    while (i > 0 && this.keys[i - 1] === this.keys[i]) i--;
    return i;
  }
}

/** Growable parallel arrays for one kind during the pass. */
class IndexBuilder {
  keys: Float64Array = new Float64Array(1024);
  sizes: Float64Array = new Float64Array(1024);
  offsets: Float64Array = new Float64Array(1024);
  types: Uint8Array = new Uint8Array(1024);
  count = 0;
  complete = true;

  capacityBytes(): number {
    return this.keys.length * INDEX_BYTES_PER_RECORD;
  }

  push(key: number, size: number, offset: number, type: number): void {
    const i = this.count++;
    this.keys[i] = key;
    this.sizes[i] = size;
    this.offsets[i] = offset;
    this.types[i] = Math.min(type, 255);
  }

  grow(): void {
    const capacity = this.keys.length * 2;
    this.keys = resized(this.keys, capacity);
    this.sizes = resized(this.sizes, capacity);
    this.offsets = resized(this.offsets, capacity);
    const types = new Uint8Array(capacity);
    types.set(this.types);
    this.types = types;
  }

  finish(): KeyIndex {
    const n = this.count;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const keys = this.keys;
    // Records arrive in file order, so ties broken by position keep the first in the file first.
    order.sort((a, b) => keys[a]! - keys[b]! || a - b);
    const out = {
      keys: new Float64Array(n),
      sizes: new Float64Array(n),
      offsets: new Float64Array(n),
      types: new Uint8Array(n),
    };
    for (let i = 0; i < n; i++) {
      const j = order[i]!;
      out.keys[i] = keys[j]!;
      out.sizes[i] = this.sizes[j]!;
      out.offsets[i] = this.offsets[j]!;
      out.types[i] = this.types[j]!;
    }
    return new KeyIndex(out.keys, out.sizes, out.offsets, out.types, this.complete);
  }
}

function resized(array: Float64Array, capacity: number): Float64Array {
  const out = new Float64Array(capacity);
  out.set(array);
  return out;
}

/**
 * Reads `region` once and indexes every record of `kinds`. `maxBytes` bounds the arrays of all
 * kinds together (growth included); a kind that would pass it stops growing and is marked
 * incomplete.
 */
export async function buildIndexes(
  text: SymText,
  region: Region,
  kinds: readonly RecordKind[],
  maxBytes: number,
  budget: ReadBudget,
): Promise<Map<RecordKind, KeyIndex>> {
  const builders = new Map<RecordKind, IndexBuilder>();
  for (const kind of kinds) builders.set(kind, new IndexBuilder());
  let held = builders.size * new IndexBuilder().capacityBytes();
  await text.scanLines(region.start, region.end, budget, (line, lineStart) => {
    const head = readRecordHead(line, 0, line.length);
    const builder = builders.get(head.kind);
    if (builder === undefined || !builder.complete) return;
    if (builder.count === builder.keys.length) {
      const more = builder.capacityBytes(); // doubling adds as much again
      if (held + more > maxBytes) {
        builder.complete = false;
        return;
      }
      held += more;
      builder.grow();
    }
    builder.push(head.key, head.size, lineStart, head.winType);
  });
  const out = new Map<RecordKind, KeyIndex>();
  for (const [kind, builder] of builders) out.set(kind, builder.finish());
  return out;
}
