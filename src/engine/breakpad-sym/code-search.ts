// The FUNC and the PUBLIC nearest below an address, in whichever layout the file has (see
// section-map.ts): one search when FUNC and PUBLIC share one address order, two when they are
// separate blocks, the index when the region is not sorted. What names the address is then
// Breakpad's rule (function-lookup.ts): the FUNC if it covers the address, else the PUBLIC if
// it lies above that FUNC's start.
import type { KeyIndex } from './record-index.ts';
import type { RecordKind } from './record-head.ts';
import type { Located, RegionFinder } from './region-finder.ts';
import { previousRecord } from './section-map.ts';
import { nextRecord } from './sorted-search.ts';
import type { ReadBudget, SymText } from './text-lines.ts';

export type CodeFinders = { kind: 'joint'; finder: RegionFinder } | { kind: 'split'; funcs: RegionFinder; publics: RegionFinder };

export interface Nearest {
  func: Located | null;
  pub: Located | null;
  /**
   * False when an index was cut short by the memory limit: a FUNC that covers the address may
   * then be missing, so no PUBLIC may be used in its place.
   */
  complete: boolean;
}

/** Records sharing one address looked past for a FUNC (aliases of one piece of code). */
const MAX_SAME_ADDRESS = 16;

const FUNC: ReadonlySet<RecordKind> = new Set(['func']);
const PUBLIC: ReadonlySet<RecordKind> = new Set(['public']);
const FUNC_OR_PUBLIC: ReadonlySet<RecordKind> = new Set(['func', 'public']);

export async function nearestCode(text: SymText, finders: CodeFinders, rva: number, budget: ReadBudget): Promise<Nearest> {
  if (finders.kind === 'split') {
    const [func, pub] = [await nearestOne(finders.funcs, 'func', rva, budget), await nearestOne(finders.publics, 'public', rva, budget)];
    return { func: func.found, pub: pub.found, complete: func.complete && pub.complete };
  }
  const finder = finders.finder;
  const found = await finder.searchSorted(FUNC_OR_PUBLIC, rva, budget);
  if (found !== 'unsorted') {
    if (found === null) return { func: null, pub: null, complete: true };
    // The last record below the address is a FUNC: every PUBLIC below it lies at or before
    // that FUNC's start, which Breakpad never prefers.
    if (found.head.kind === 'func') return { func: found, pub: null, complete: true };
    // A FUNC at the very address of the PUBLIC found (written after it) is the better name.
    let same = await nextRecord(text, found.line.next, finder.region.end, FUNC_OR_PUBLIC, budget);
    for (let i = 0; same !== null && same.head.key === found.head.key && i < MAX_SAME_ADDRESS; i++) {
      if (same.head.kind === 'func') return { func: same, pub: null, complete: true };
      same = await nextRecord(text, same.line.next, finder.region.end, FUNC_OR_PUBLIC, budget);
    }
    const before = await previousRecord(text, found.line.start, finder.region.start, FUNC, budget);
    if (before === null) return { func: null, pub: found, complete: true };
    const line = await text.lineAt(before.start, text.size, budget);
    if (line !== null && before.key <= found.head.key) {
      return { func: { line, head: { kind: 'func', key: before.key, size: 0, winType: 0 } }, pub: found, complete: true };
    }
    // Out of order after all: fall through to the index.
  }
  const [func, pub] = [await fromIndex(finder, 'func', rva, budget), await fromIndex(finder, 'public', rva, budget)];
  return { func: func.found, pub: pub.found, complete: func.complete && pub.complete };
}

async function nearestOne(
  finder: RegionFinder,
  kind: 'func' | 'public',
  rva: number,
  budget: ReadBudget,
): Promise<{ found: Located | null; complete: boolean }> {
  const found = await finder.searchSorted(kind === 'func' ? FUNC : PUBLIC, rva, budget);
  if (found !== 'unsorted') return { found, complete: true };
  return fromIndex(finder, kind, rva, budget);
}

async function fromIndex(
  finder: RegionFinder,
  kind: 'func' | 'public',
  rva: number,
  budget: ReadBudget,
): Promise<{ found: Located | null; complete: boolean }> {
  const index: KeyIndex = await finder.index(kind);
  const position = index.lastAtOrBelow(rva);
  const found = position < 0 ? null : await finder.readIndexed(kind, index, position, budget);
  return { found, complete: index.complete };
}
