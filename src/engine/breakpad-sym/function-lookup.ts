// Naming the code at an address, as Breakpad's resolver does: the FUNC covering the address,
// the line record covering it inside that FUNC (file via FILE), and the INLINE records covering
// it as frames of their own, innermost first; failing a FUNC, the nearest PUBLIC below the
// address provided it lies above the nearest FUNC's start (a PUBLIC's extent is unknown, and a
// FUNC below it ends somewhere in between).
//
// Sources, also as Breakpad assigns them: the innermost level gets the line record of the
// address itself; each outer level gets the call site of the level inlined into it (the INLINE
// record's call-site line and, in the current form, call-site file).
import type { SourceLine, SymbolLevel, SymbolLookup } from '../symbols/symbol-file.ts';
import { type FuncRecord, type InlineRecord, type LineRecord, parseFuncRecord, parseInlineRecord, parseLineRecord, parsePublicRecord } from './function-records.ts';
import type { FileRecord, InlineOriginRecord } from './name-records.ts';
import type { NameTable } from './name-table.ts';
import { readRecordHead } from './record-head.ts';
import type { Located } from './region-finder.ts';
import { lineText, type ReadBudget, type SymText, type TextLine } from './text-lines.ts';

/** INLINE records kept per FUNC while reading its body (those covering the address). */
export const MAX_INLINE_DEPTH = 256;

export interface LookupContext {
  text: SymText;
  files: NameTable<FileRecord>;
  origins: NameTable<InlineOriginRecord>;
  /** Reports a record that could not be used (garbage, cut short, inconsistent). */
  bad(line: TextLine | null, what: string): void;
}

export async function resolveAddress(
  context: LookupContext,
  nearest: { func: Located | null; pub: Located | null; complete: boolean },
  rva: number,
  budget: ReadBudget,
): Promise<SymbolLookup | null> {
  let func: FuncRecord | null = null;
  if (nearest.func !== null) {
    func = parseFuncRecord(lineText(nearest.func.line));
    if (func === null) context.bad(nearest.func.line, 'a malformed FUNC record');
  }
  if (func !== null && rva >= func.address && rva - func.address < func.size) {
    return { levels: await functionLevels(context, func, nearest.func!.line, rva, budget), from: 'private' };
  }
  // Without every FUNC indexed, the one covering the address may be the one missing.
  if (!nearest.complete || nearest.pub === null) return null;
  const pub = parsePublicRecord(lineText(nearest.pub.line));
  if (pub === null) {
    context.bad(nearest.pub.line, 'a malformed PUBLIC record');
    return null;
  }
  // Breakpad ignores PUBLIC records at address 0 (seen in ntdll's), and one at or below the
  // nearest FUNC's start belongs to code the FUNC already ended.
  if (pub.address === 0 || pub.address > rva) return null;
  if (func !== null && pub.address <= func.address) return null;
  return { levels: [{ name: pub.name, startRva: pub.address, inlined: false, source: null }], from: 'public' };
}

interface Body {
  line: LineRecord | null;
  /** INLINE records covering the address, in file order. */
  inlines: InlineRecord[];
}

/** Reads the line and INLINE records after a FUNC line, keeping what covers `rva`. */
async function readBody(context: LookupContext, funcLine: TextLine, rva: number, budget: ReadBudget): Promise<Body> {
  const { text } = context;
  let covering: LineRecord | null = null;
  const inlines: InlineRecord[] = [];
  let lastLevel = -1;
  let line = await text.lineAt(funcLine.next, text.size, budget);
  while (line !== null) {
    const head = readRecordHead(line.bytes, 0, line.bytes.length);
    if (head.kind !== 'line' && head.kind !== 'inline' && head.kind !== 'unknown') break;
    if (line.cut) {
      context.bad(line, 'a record longer than the line limit');
    } else if (head.kind === 'line') {
      if (covering === null && head.key <= rva) {
        const record = parseLineRecord(lineText(line));
        if (record === null) context.bad(line, 'a malformed line record');
        // The first record covering the address wins, as in Breakpad's range map; size 0 covers nothing.
        else if (rva >= record.address && rva - record.address < record.size) covering = record;
      }
    } else if (head.kind === 'inline') {
      const record = parseInlineRecord(lineText(line));
      if (record === null) {
        context.bad(line, 'a malformed INLINE record');
      } else if (record.nestLevel > lastLevel + 1) {
        // Its parent was refused: Breakpad drops it too.
        context.bad(line, 'an INLINE record nested deeper than its parent');
      } else {
        lastLevel = record.nestLevel;
        const covers = record.ranges.some(([start, size]) => rva >= start && rva - start < size);
        if (covers && inlines.length < MAX_INLINE_DEPTH) inlines.push(record);
      }
    } else {
      context.bad(line, 'an unrecognised line');
    }
    line = await text.lineAt(line.next, text.size, budget);
  }
  return { line: covering, inlines };
}

async function functionLevels(context: LookupContext, func: FuncRecord, funcLine: TextLine, rva: number, budget: ReadBudget): Promise<SymbolLevel[]> {
  const body = await readBody(context, funcLine, rva, budget);
  // Deepest nesting first; of two at one depth (malformed), the first in the file.
  const inlines = body.inlines
    .map((record, order) => ({ record, order }))
    .sort((a, b) => b.record.nestLevel - a.record.nestLevel || a.order - b.order)
    .map((entry) => entry.record);
  const here = body.line === null ? null : await source(context, body.line.fileId, body.line.line, budget);

  const levels: SymbolLevel[] = [];
  const origins: Array<InlineOriginRecord | null> = [];
  for (const inline of inlines) origins.push(await context.origins.get(inline.originId, budget));
  for (let i = 0; i < inlines.length; i++) {
    const inline = inlines[i]!;
    const origin = origins[i]!;
    if (origin === null) context.bad(null, `INLINE_ORIGIN ${inline.originId} is missing or malformed`);
    levels.push({
      // Breakpad's own words for an inline frame whose origin is missing.
      name: origin?.name ?? '<name omitted>',
      startRva: inline.ranges[0]![0],
      inlined: true,
      source: i === 0 ? here : await callSite(context, inlines[i - 1]!, inlines[i]!, origins[i] ?? null, budget),
    });
  }
  const outermost = inlines[inlines.length - 1];
  levels.push({
    name: func.name,
    startRva: func.address,
    inlined: false,
    source: outermost === undefined ? here : await callSite(context, outermost, null, null, budget),
  });
  return levels;
}

/**
 * Where `inlined` was called from, in its caller (`caller`, the next level out; null for the
 * FUNC itself). The current INLINE form names the call-site file; the older form does not, and
 * only an older-form INLINE_ORIGIN of the caller says which file the caller's code is in.
 */
async function callSite(
  context: LookupContext,
  inlined: InlineRecord,
  caller: InlineRecord | null,
  callerOrigin: InlineOriginRecord | null,
  budget: ReadBudget,
): Promise<SourceLine | null> {
  if (inlined.callSiteFileId !== null) return source(context, inlined.callSiteFileId, inlined.callSiteLine, budget);
  if (caller !== null && callerOrigin?.fileId !== null && callerOrigin?.fileId !== undefined) {
    return source(context, callerOrigin.fileId, inlined.callSiteLine, budget);
  }
  return null;
}

async function source(context: LookupContext, fileId: number, line: number, budget: ReadBudget): Promise<SourceLine | null> {
  // Line 0 is code with no line of its own (compiler-generated); -1 an artificial function.
  if (line < 1 || fileId < 0) return null;
  const file = await context.files.get(fileId, budget);
  if (file === null) {
    context.bad(null, `FILE ${fileId} is missing or malformed`);
    return null;
  }
  return { file: file.name, line };
}
