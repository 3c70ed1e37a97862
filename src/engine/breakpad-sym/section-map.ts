// Where each kind of record lies in the file, found by probing, not by reading. dump_syms
// writes records grouped in a fixed order — MODULE and INFO, FILE…, INLINE_ORIGIN…, FUNC (each
// with its line and INLINE records) and PUBLIC…, STACK… — so each group is one byte range. A
// binary search on the group's rank finds the four boundaries together (every probe narrows
// all of them); a probe that contradicts an earlier one means the file is not in that order,
// and the reader treats the whole file as one region to index instead.
//
// Inside the FUNC/PUBLIC range two layouts occur in real files: Breakpad's Windows dump_syms
// interleaves PUBLIC records with FUNC records in one address order (test_app.sym), its Linux
// and Mac dump_syms write all FUNCs, then all PUBLICs, each sorted on its own. `codeLayout`
// tells them apart so that the search can use one key order or two.
import { type RecordKind, readRecordHead } from './record-head.ts';
import { nextRecord, type Region } from './sorted-search.ts';
import { CHUNK_BYTES, type ReadBudget, type SymText } from './text-lines.ts';

export interface SectionMap {
  /** False when the groups are not in dump_syms order: every region below is then the whole file. */
  ordered: boolean;
  files: Region;
  origins: Region;
  code: Region;
  stack: Region;
}

const EOF_RANK = 5;

function rankOf(kind: RecordKind): number | null {
  switch (kind) {
    case 'module':
    case 'info':
      return 0;
    case 'file':
      return 1;
    case 'inline-origin':
      return 2;
    case 'func':
    case 'line':
    case 'inline':
    case 'public':
      return 3;
    case 'stack-win':
    case 'stack-cfi-init':
    case 'stack-cfi':
      return 4;
    case 'unknown':
      return null;
  }
}

/** Rank of the first recognisable line at or after `offset` (EOF_RANK past the last). */
async function rankAt(text: SymText, offset: number, budget: ReadBudget): Promise<{ start: number; rank: number }> {
  let line = await text.lineAtOrAfter(offset, text.size, budget);
  while (line !== null) {
    const rank = rankOf(readRecordHead(line.bytes, 0, line.bytes.length).kind);
    if (rank !== null) return { start: line.start, rank };
    line = await text.lineAt(line.next, text.size, budget);
  }
  return { start: text.size, rank: EOF_RANK };
}

export async function mapSections(text: SymText, budget: ReadBudget): Promise<SectionMap> {
  const size = text.size;
  const whole: SectionMap = {
    ordered: false,
    files: { start: 0, end: size },
    origins: { start: 0, end: size },
    code: { start: 0, end: size },
    stack: { start: 0, end: size },
  };
  // For boundary r (1…4): the first line of rank ≥ r lies after lo[r] and at or before hi[r]
  // (positions, not line starts). Offset 0 is the MODULE line, rank 0.
  const lo = [0, 0, 0, 0, 0];
  const hi = [0, size, size, size, size];
  for (;;) {
    let widest = 0;
    for (let r = 1; r <= 4; r++) if (hi[r]! - lo[r]! > CHUNK_BYTES && (widest === 0 || hi[r]! - lo[r]! > hi[widest]! - lo[widest]!)) widest = r;
    if (widest === 0) break;
    const mid = lo[widest]! + Math.floor((hi[widest]! - lo[widest]!) / 2);
    const { rank } = await rankAt(text, mid, budget);
    for (let r = 1; r <= 4; r++) {
      if (rank >= r) hi[r] = Math.min(hi[r]!, mid);
      else lo[r] = Math.max(lo[r]!, mid);
      if (lo[r]! >= hi[r]!) return whole;
    }
  }
  const boundary = [0, 0, 0, 0, 0];
  for (let r = 1; r <= 4; r++) {
    let line = await text.lineAtOrAfter(lo[r]!, size, budget);
    boundary[r] = size;
    while (line !== null) {
      const rank = rankOf(readRecordHead(line.bytes, 0, line.bytes.length).kind);
      if (rank !== null && rank >= r) {
        boundary[r] = line.start;
        break;
      }
      line = await text.lineAt(line.next, size, budget);
    }
    if (boundary[r]! < boundary[r - 1]!) return whole;
  }
  return {
    ordered: true,
    files: { start: boundary[1]!, end: boundary[2]! },
    origins: { start: boundary[2]!, end: boundary[3]! },
    code: { start: boundary[3]!, end: boundary[4]! },
    stack: { start: boundary[4]!, end: size },
  };
}

export type CodeLayout =
  /** FUNC and PUBLIC records share one address order (interleaved, or PUBLICs all higher). */
  | { kind: 'joint'; region: Region }
  /** All FUNCs, then all PUBLICs, each sorted on its own. */
  | { kind: 'split'; funcs: Region; publics: Region };

const FUNC_OR_PUBLIC: ReadonlySet<RecordKind> = new Set(['func', 'public']);
const FUNC_ONLY: ReadonlySet<RecordKind> = new Set(['func']);

/**
 * Finds where a trailing block of PUBLIC records starts (a binary search on "is the next
 * FUNC-or-PUBLIC record a PUBLIC"), then compares the first PUBLIC's address with the last
 * FUNC's before it: higher means one address order runs through both.
 */
export async function codeLayout(text: SymText, code: Region, budget: ReadBudget): Promise<CodeLayout> {
  let lo = code.start;
  let hi = code.end;
  while (hi - lo > CHUNK_BYTES) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const found = await nextRecord(text, mid, code.end, FUNC_OR_PUBLIC, budget);
    if (found === null || found.head.kind === 'public') hi = mid;
    else lo = mid;
  }
  let firstPublic = await nextRecord(text, lo, code.end, FUNC_OR_PUBLIC, budget);
  while (firstPublic !== null && firstPublic.head.kind !== 'public') {
    firstPublic = await nextRecord(text, firstPublic.line.next, code.end, FUNC_OR_PUBLIC, budget);
  }
  if (firstPublic === null) return { kind: 'joint', region: code };
  const boundary = firstPublic.line.start;
  const lastFunc = await previousRecord(text, boundary, code.start, FUNC_ONLY, budget);
  if (lastFunc === null || firstPublic.head.key > lastFunc.key) return { kind: 'joint', region: code };
  return { kind: 'split', funcs: { start: code.start, end: boundary }, publics: { start: boundary, end: code.end } };
}

/** The nearest record of `kinds` before the line starting at `lineStart`, scanning backward to `floor`. */
export async function previousRecord(
  text: SymText,
  lineStart: number,
  floor: number,
  kinds: ReadonlySet<RecordKind>,
  budget: ReadBudget,
): Promise<{ start: number; key: number; kind: RecordKind } | null> {
  let at = await text.previousLineStart(lineStart, floor, budget);
  while (at !== null) {
    const line = await text.lineAt(at, text.size, budget);
    if (line === null) return null;
    const head = readRecordHead(line.bytes, 0, line.bytes.length);
    if (kinds.has(head.kind)) return { start: line.start, key: head.key, kind: head.kind };
    at = await text.previousLineStart(at, floor, budget);
  }
  return null;
}
