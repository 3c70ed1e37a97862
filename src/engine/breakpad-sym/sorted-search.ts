// Binary search by key over the byte offsets of a region of sorted records, the way `look(1)`
// searches a sorted text file: seek to the middle, resynchronise to the next line start, read
// forward to the next record of the kinds searched, go left or right by its key. Every key met
// must lie between the keys already bracketing the target, and the final window is read in
// full and must be in order: a file that is not sorted where the search looks throws
// OrderBroken, and the caller falls back to the streaming index (record-index.ts).
import { type RecordHead, type RecordKind, readRecordHead } from './record-head.ts';
import { CHUNK_BYTES, type ReadBudget, type SymText, type TextLine } from './text-lines.ts';

export interface Region {
  start: number;
  end: number;
}

export interface FoundRecord {
  line: TextLine;
  head: RecordHead;
}

export class OrderBroken extends Error {
  constructor(where: number) {
    super(`records out of order near byte ${where}`);
    this.name = 'OrderBroken';
  }
}

/** The first record of `kinds` starting in [lineAtOrAfter(from), limit), or null. */
export async function nextRecord(
  text: SymText,
  from: number,
  limit: number,
  kinds: ReadonlySet<RecordKind>,
  budget: ReadBudget,
): Promise<FoundRecord | null> {
  let line = await text.lineAtOrAfter(from, limit, budget);
  while (line !== null && line.start < limit) {
    const head = readRecordHead(line.bytes, 0, line.bytes.length);
    if (kinds.has(head.kind)) return { line, head };
    line = await text.lineAt(line.next, limit, budget);
  }
  return null;
}

/**
 * The last record of `kinds` in `region` whose key is ≤ `target` (of several with that key, the
 * first), or null when every key is greater or there is none. Assumes the records of `kinds`
 * are sorted by key in the region; throws OrderBroken when what it reads says otherwise.
 */
export async function lastAtOrBelow(
  text: SymText,
  region: Region,
  kinds: ReadonlySet<RecordKind>,
  target: number,
  budget: ReadBudget,
): Promise<FoundRecord | null> {
  let lo = region.start; // every record of `kinds` before lo has key ≤ target
  let hi = region.end; // every record of `kinds` at or after hi has key > target
  let loKey = -Infinity;
  let hiKey = Infinity;
  while (hi - lo > 2 * CHUNK_BYTES) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const found = await nextRecord(text, mid, hi, kinds, budget);
    if (found === null) {
      hi = mid; // nothing of ours in [mid, hi)
      continue;
    }
    const key = found.head.key;
    if (key < loKey || key > hiKey) throw new OrderBroken(found.line.start);
    if (key <= target) {
      lo = found.line.start;
      loKey = key;
    } else {
      hi = mid;
      hiKey = key;
    }
  }

  // The window [lo, hi) is small: read it whole, checking order as we go.
  let best: FoundRecord | null = null;
  let previous = loKey;
  let line = await text.lineAtOrAfter(lo, hi, budget);
  while (line !== null && line.start < hi) {
    const head = readRecordHead(line.bytes, 0, line.bytes.length);
    if (kinds.has(head.kind)) {
      if (head.key < previous || head.key > hiKey) throw new OrderBroken(line.start);
      previous = head.key;
      if (head.key > target) break;
      if (best === null || head.key > best.head.key) best = { line, head };
    }
    line = await text.lineAt(line.next, hi, budget);
  }
  return best;
}

/**
 * A cheap look at whether a region's records are sorted: reads one chunk at `samples` places
 * spread from the region's start to its last chunk, and checks that the keys of `kinds` read
 * never go down, and that no record of `foreign` kinds appears. A file sorted in runs (a block
 * of FRAMEDATA records, then a block of FPO ones starting over at low addresses) fails here
 * because the last sample always lies in the last run.
 */
export async function looksSorted(
  text: SymText,
  region: Region,
  kinds: ReadonlySet<RecordKind>,
  foreign: ReadonlySet<RecordKind>,
  samples: number,
  budget: ReadBudget,
  allowMixedKinds: boolean,
): Promise<boolean> {
  const span = region.end - region.start;
  let previous = -Infinity;
  let kindSeen: RecordKind | null = null;
  const positions: number[] = [];
  if (span <= samples * CHUNK_BYTES) positions.push(region.start);
  else for (let i = 0; i < samples; i++) positions.push(region.start + Math.floor(((span - CHUNK_BYTES) * i) / (samples - 1)));
  for (const position of positions) {
    const stop = span <= samples * CHUNK_BYTES ? region.end : Math.min(region.end, position + CHUNK_BYTES);
    let line = await text.lineAtOrAfter(position, region.end, budget);
    while (line !== null && line.start < stop) {
      const head = readRecordHead(line.bytes, 0, line.bytes.length);
      if (foreign.has(head.kind)) return false;
      if (kinds.has(head.kind)) {
        if (head.key < previous) return false;
        if (!allowMixedKinds && kindSeen !== null && kindSeen !== head.kind) return false;
        kindSeen = head.kind;
        previous = head.key;
      }
      line = await text.lineAt(line.next, region.end, budget);
    }
  }
  return true;
}
