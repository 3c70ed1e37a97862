// FUNC records with the line and INLINE records that follow them, and PUBLIC records: what names
// the code at an address. Formats as in Breakpad's symbol_files.md and its resolver:
//   FUNC [m] <address> <size> <parameter_size> <name>
//   <address> <size> <line> <file_id>                         (a line record)
//   INLINE <nest_level> <call_site_line> <call_site_file_id> <origin_id> [<address> <size>]+
//   INLINE <nest_level> <call_site_line> <origin_id> [<address> <size>]+     (the older form)
//   PUBLIC [m] <address> <parameter_size> <name>
// 'm' marks code shared by several symbols (identical code folding); one name is written.
import { MAX_DECIMAL, parseDecimal, parseHex, splitFields } from './fields.ts';

export interface FuncRecord {
  address: number;
  size: number;
  parameterSize: number;
  multiple: boolean;
  name: string;
}

export interface LineRecord {
  address: number;
  size: number;
  /** 0 is allowed: code attributed to a file but no line (compiler-generated). */
  line: number;
  fileId: number;
}

export interface InlineRecord {
  nestLevel: number;
  callSiteLine: number;
  /** The file of the call site (current form); null in the older form, which has none. -1 = artificial. */
  callSiteFileId: number | null;
  originId: number;
  /** [address, size] pairs, in the record's order. */
  ranges: Array<[number, number]>;
}

export interface PublicRecord {
  address: number;
  parameterSize: number;
  multiple: boolean;
  name: string;
}

/** More ranges than this in one INLINE record is not code a compiler laid out; the record is refused. */
export const MAX_INLINE_RANGES = 4096;

export function parseFuncRecord(text: string): FuncRecord | null {
  const fields = fieldsAfterFlag(text, 'FUNC', 5);
  if (fields === null) return null;
  const multiple = fields[0] === 'm';
  const address = parseHex(fields[1]!);
  const size = parseHex(fields[2]!);
  const parameterSize = parseHex(fields[3]!);
  const name = fields[4]!.trimEnd();
  if (address === null || size === null || parameterSize === null || name === '') return null;
  return { address, size, parameterSize, multiple, name };
}

export function parseLineRecord(text: string): LineRecord | null {
  const fields = splitFields(text, 5);
  if (fields.length !== 4) return null;
  const address = parseHex(fields[0]!);
  const size = parseHex(fields[1]!);
  const line = parseDecimal(fields[2]!, 0, MAX_DECIMAL);
  const fileId = parseDecimal(fields[3]!, 0, MAX_DECIMAL);
  if (address === null || size === null || line === null || fileId === null) return null;
  return { address, size, line, fileId };
}

export function parseInlineRecord(text: string): InlineRecord | null {
  // Count fields first (cheaply) so a hostile record with millions of ranges is refused before
  // any array is built for it.
  const tokens = splitFields(text, 6 + 2 * MAX_INLINE_RANGES + 1);
  if (tokens[0] !== 'INLINE' || tokens.length > 5 + 2 * MAX_INLINE_RANGES) return null;
  const fields = tokens.slice(1);
  // As Breakpad decides: the current form has an even number of fields after INLINE.
  const withFile = fields.length % 2 === 0;
  if (fields.length < 5) return null;
  let i = 0;
  const nestLevel = parseDecimal(fields[i++]!, 0, MAX_DECIMAL);
  const callSiteLine = parseDecimal(fields[i++]!, 0, MAX_DECIMAL);
  const callSiteFileId = withFile ? parseDecimal(fields[i++]!, -1, MAX_DECIMAL) : null;
  const originId = parseDecimal(fields[i++]!, 0, MAX_DECIMAL);
  if (nestLevel === null || callSiteLine === null || originId === null) return null;
  if (withFile && callSiteFileId === null) return null;
  const ranges: Array<[number, number]> = [];
  while (i + 1 < fields.length) {
    const address = parseHex(fields[i++]!);
    const size = parseHex(fields[i++]!);
    if (address === null || size === null) return null;
    ranges.push([address, size]);
  }
  return ranges.length === 0 ? null : { nestLevel, callSiteLine, callSiteFileId, originId, ranges };
}

export function parsePublicRecord(text: string): PublicRecord | null {
  const fields = fieldsAfterFlag(text, 'PUBLIC', 4);
  if (fields === null) return null;
  const multiple = fields[0] === 'm';
  const address = parseHex(fields[1]!);
  const parameterSize = parseHex(fields[2]!);
  const name = fields[3]!.trimEnd();
  if (address === null || parameterSize === null || name === '') return null;
  return { address, parameterSize, multiple, name };
}

/**
 * Splits a record whose second field may be the 'm' flag: returns `count` fields with index 0
 * the flag ('m' or '') and the keyword dropped, or null when the keyword differs or fields lack.
 */
function fieldsAfterFlag(text: string, keyword: string, count: number): string[] | null {
  const plain = splitFields(text, count);
  if (plain[0] !== keyword) return null;
  if (plain[1] === 'm') {
    const flagged = splitFields(text, count + 1);
    return flagged.length === count + 1 ? flagged.slice(1) : null;
  }
  return plain.length === count ? ['', ...plain.slice(1)] : null;
}
