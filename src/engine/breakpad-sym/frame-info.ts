// The unwind data for an address: STACK WIN (x86 frame data) and STACK CFI rules.
//
// STACK WIN records may nest (MSVC writes a record per function and more for parts of it), and a
// FRAMEDATA record (type 4) is preferred to an FPO one (type 0) whatever their nesting, as
// Breakpad prefers them; of one type the innermost covering record wins. The candidates are the
// records starting at or below the address, nearest first, at most MAX_WIN_CANDIDATES of them.
//
// STACK CFI: the INIT record covering the address, then the delta records after it with
// addresses up to the address, applied in address order, each rule replacing the one before.
import type { CfiRules, X86FrameInfo } from '../symbols/symbol-file.ts';
import type { RecordHead, RecordKind } from './record-head.ts';
import { readRecordHead } from './record-head.ts';
import type { Located, RegionFinder } from './region-finder.ts';
import { previousRecord } from './section-map.ts';
import { parseCfiDeltaRecord, parseCfiInitRecord, parseStackWinRecord, type StackWinRecord } from './stack-records.ts';
import { lineText, type ReadBudget, type SymText, type TextLine } from './text-lines.ts';

/** STACK WIN records starting at or below an address that are considered as covering it. */
export const MAX_WIN_CANDIDATES = 32;
/** STACK CFI delta records read after one INIT record. */
export const MAX_CFI_DELTAS = 65536;

const FRAMEDATA = 4;
const FPO = 0;
const WIN: ReadonlySet<RecordKind> = new Set(['stack-win']);
const CFI_INIT: ReadonlySet<RecordKind> = new Set(['stack-cfi-init']);

export interface FrameInfoContext {
  text: SymText;
  bad(line: TextLine | null, what: string): void;
}

interface Candidate {
  start: number; // byte offset of the record's line
  head: RecordHead;
}

export async function findX86FrameInfo(context: FrameInfoContext, finder: RegionFinder, rva: number, budget: ReadBudget): Promise<X86FrameInfo | null> {
  const candidates = await winCandidates(context.text, finder, rva, budget);
  const best = pickWin(candidates, rva);
  if (best === null) return null;
  const line = await context.text.lineAt(best.start, context.text.size, budget);
  if (line === null) return null;
  const record = line.cut ? null : parseStackWinRecord(lineText(line));
  if (record === null) {
    context.bad(line, 'a malformed STACK WIN record');
    return null;
  }
  return toFrameInfo(record);
}

async function winCandidates(text: SymText, finder: RegionFinder, rva: number, budget: ReadBudget): Promise<Candidate[]> {
  const found = await finder.searchSorted(WIN, rva, budget);
  if (found !== 'unsorted') {
    if (found === null) return [];
    const out: Candidate[] = [{ start: found.line.start, head: found.head }];
    // Records with the same start after the one found (a FRAMEDATA and an FPO record for one rva).
    let next = await text.lineAt(found.line.next, finder.region.end, budget);
    while (next !== null && out.length < MAX_WIN_CANDIDATES) {
      const head = readRecordHead(next.bytes, 0, next.bytes.length);
      if (head.kind !== 'stack-win' || head.key !== found.head.key) break;
      out.push({ start: next.start, head });
      next = await text.lineAt(next.next, finder.region.end, budget);
    }
    let at = found.line.start;
    while (out.length < MAX_WIN_CANDIDATES) {
      const before = await previousRecord(text, at, finder.region.start, WIN, budget);
      if (before === null) break;
      const line = await text.lineAt(before.start, text.size, budget);
      if (line === null) break;
      out.push({ start: before.start, head: readRecordHead(line.bytes, 0, line.bytes.length) });
      at = before.start;
    }
    return out;
  }
  const index = await finder.index('stack-win');
  const out: Candidate[] = [];
  const end = index.countAtOrBelow(rva);
  for (let i = end - 1; i >= 0 && i >= end - MAX_WIN_CANDIDATES; i--) {
    out.push({ start: index.offsets[i]!, head: { kind: 'stack-win', key: index.keys[i]!, size: index.sizes[i]!, winType: index.types[i]! } });
  }
  return out;
}

function pickWin(candidates: Candidate[], rva: number): Candidate | null {
  for (const type of [FRAMEDATA, FPO]) {
    let best: Candidate | null = null;
    for (const c of candidates) {
      const { key, size, winType } = c.head;
      if (winType !== type || size === 0 || rva < key || rva - key >= size) continue;
      // Innermost: the latest start, then the smallest size, then the first in the file.
      if (best === null || key > best.head.key || (key === best.head.key && (size < best.head.size || (size === best.head.size && c.start < best.start)))) {
        best = c;
      }
    }
    if (best !== null) return best;
  }
  return null;
}

function toFrameInfo(record: StackWinRecord): X86FrameInfo {
  const framedata = record.type === FRAMEDATA;
  return {
    kind: framedata ? 'framedata' : 'fpo',
    startRva: record.rva,
    codeSize: record.codeSize,
    prologSize: record.prologSize,
    savedRegsSize: record.savedRegisterSize,
    localsSize: record.localSize,
    paramsSize: record.parameterSize,
    maxStackSize: framedata ? record.maxStackSize : null,
    allocatesBasePointer: record.allocatesBasePointer,
    program: record.program,
  };
}

export async function findCfiRules(context: FrameInfoContext, finder: RegionFinder, rva: number, budget: ReadBudget): Promise<CfiRules | null> {
  const init = await cfiInit(finder, rva, budget);
  if (init === null) return null;
  const { text } = context;
  if (init.line.cut) {
    context.bad(init.line, 'a STACK CFI INIT record longer than the line limit');
    return null;
  }
  const record = parseCfiInitRecord(lineText(init.line));
  if (record === null) {
    context.bad(init.line, 'a malformed STACK CFI INIT record');
    return null;
  }
  if (rva < record.address || rva - record.address >= record.size) return null;

  // Later deltas at one address replace earlier ones, as in Breakpad's map of deltas.
  const deltas = new Map<number, Map<string, string>>();
  let line = await text.lineAt(init.line.next, text.size, budget);
  let read = 0;
  while (line !== null && read < MAX_CFI_DELTAS) {
    const head = readRecordHead(line.bytes, 0, line.bytes.length);
    if (head.kind !== 'stack-cfi') break;
    read++;
    if (head.key >= record.address && head.key <= rva) {
      const delta = line.cut ? null : parseCfiDeltaRecord(lineText(line));
      if (delta === null) context.bad(line, 'a malformed STACK CFI record');
      else deltas.set(delta.address, delta.rules);
    }
    line = await text.lineAt(line.next, text.size, budget);
  }
  const rules = new Map(record.rules);
  for (const address of [...deltas.keys()].sort((a, b) => a - b)) {
    for (const [register, expression] of deltas.get(address)!) rules.set(register, expression);
  }
  return rules;
}

async function cfiInit(finder: RegionFinder, rva: number, budget: ReadBudget): Promise<Located | null> {
  const found = await finder.searchSorted(CFI_INIT, rva, budget);
  if (found !== 'unsorted') return found;
  const index = await finder.index('stack-cfi-init');
  const position = index.lastAtOrBelow(rva);
  return position < 0 ? null : finder.readIndexed('stack-cfi-init', index, position, budget);
}
