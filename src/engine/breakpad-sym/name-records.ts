// FILE and INLINE_ORIGIN records: numbered names other records refer to. A line record or an
// INLINE record says "file 12", "origin 40"; these give the path and the function name.
import { MAX_DECIMAL, parseDecimal, splitFields } from './fields.ts';

export interface FileRecord {
  id: number;
  /** The path as the compiler recorded it; may contain spaces. */
  name: string;
}

export interface InlineOriginRecord {
  id: number;
  /**
   * Old form only (`INLINE_ORIGIN <id> <file_id> <name>`, Breakpad 2021): the file the inlined
   * function is defined in; -1 for an artificial function. Null in the current form
   * (`INLINE_ORIGIN <id> <name>`), where INLINE records carry the call site's file instead.
   */
  fileId: number | null;
  name: string;
}

/** `FILE <id> <name>`, or null when malformed. */
export function parseFileRecord(text: string): FileRecord | null {
  const fields = splitFields(text, 3);
  if (fields.length < 3 || fields[0] !== 'FILE') return null;
  const id = parseDecimal(fields[1]!, 0, MAX_DECIMAL);
  const name = fields[2]!.trimEnd();
  return id === null || name === '' ? null : { id, name };
}

/**
 * `INLINE_ORIGIN <id> <name>` or the old `INLINE_ORIGIN <id> <file_id> <name>`. As Breakpad
 * decides, the old form is the one whose second field is a (possibly -1) decimal number: a C++
 * name never starts with a digit.
 */
export function parseInlineOriginRecord(text: string): InlineOriginRecord | null {
  const fields = splitFields(text, 3);
  if (fields.length < 3 || fields[0] !== 'INLINE_ORIGIN') return null;
  const id = parseDecimal(fields[1]!, 0, MAX_DECIMAL);
  if (id === null) return null;
  const rest = fields[2]!;
  const parts = splitFields(rest, 2);
  const fileId = parts.length === 2 ? parseDecimal(parts[0]!, -1, MAX_DECIMAL) : null;
  if (fileId !== null) {
    const name = parts[1]!.trimEnd();
    return name === '' ? null : { id, fileId, name };
  }
  const name = rest.trimEnd();
  return name === '' ? null : { id, fileId: null, name };
}
