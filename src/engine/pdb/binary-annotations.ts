// The binary annotations of an S_INLINESITE record: a compressed program that says which code
// ranges of the enclosing procedure belong to the inlined call and which line of the inlined
// function each range is. Code offsets count from the start of the outermost procedure; line
// offsets from the line the inlinee-lines table gives for the inlined function.
//
// Opcodes (cvinfo.h BinaryAnnotationOpcode): operands are compressed unsigned integers (1, 2 or
// 4 bytes by their top bits); line deltas are signed with the sign in bit 0. A range starts at
// each code-offset change and ends where the next starts or where a code length says.
import { PdbError } from './pdb-error.ts';

const OP_END = 0;
const OP_CODE_OFFSET = 1;
const OP_CHANGE_CODE_OFFSET_BASE = 2;
const OP_CHANGE_CODE_OFFSET = 3;
const OP_CHANGE_CODE_LENGTH = 4;
const OP_CHANGE_FILE = 5;
const OP_CHANGE_LINE_OFFSET = 6;
const OP_CHANGE_LINE_END_DELTA = 7;
const OP_CHANGE_RANGE_KIND = 8;
const OP_CHANGE_COLUMN_START = 9;
const OP_CHANGE_COLUMN_END_DELTA = 10;
const OP_CHANGE_CODE_OFFSET_AND_LINE_OFFSET = 11;
const OP_CHANGE_CODE_LENGTH_AND_CODE_OFFSET = 12;
const OP_CHANGE_COLUMN_END = 13;

export interface InlineRange {
  /** Offset from the start of the outermost procedure. */
  start: number;
  /** 0 when the annotations never closed the range (it then covers nothing). */
  length: number;
  /** Added to the inlinee's first line. */
  lineOffset: number;
  /** File (offset into the module's file checksums) when the annotations changed it, else null. */
  fileId: number | null;
}

function compressed(bytes: Uint8Array, at: { pos: number }): number {
  const b0 = bytes[at.pos];
  if (b0 === undefined) throw new PdbError('corrupt', 'inline site annotations end inside an operand');
  if ((b0 & 0x80) === 0) {
    at.pos += 1;
    return b0;
  }
  if ((b0 & 0xc0) === 0x80) {
    if (at.pos + 2 > bytes.length) throw new PdbError('corrupt', 'inline site annotations end inside an operand');
    const v = ((b0 & 0x3f) << 8) | bytes[at.pos + 1]!;
    at.pos += 2;
    return v;
  }
  if ((b0 & 0xe0) === 0xc0) {
    if (at.pos + 4 > bytes.length) throw new PdbError('corrupt', 'inline site annotations end inside an operand');
    const v = (((b0 & 0x1f) << 24) | (bytes[at.pos + 1]! << 16) | (bytes[at.pos + 2]! << 8) | bytes[at.pos + 3]!) >>> 0;
    at.pos += 4;
    return v;
  }
  throw new PdbError('corrupt', `inline site annotations hold an invalid compressed integer (0x${b0.toString(16)})`);
}

function signed(v: number): number {
  return v & 1 ? -(v >>> 1) : v >>> 1;
}

/** The code ranges an inline site's annotations describe, in order. */
export function decodeInlineRanges(bytes: Uint8Array): InlineRange[] {
  const ranges: InlineRange[] = [];
  const at = { pos: 0 };
  let codeOffset = 0;
  let lineOffset = 0;
  let fileId: number | null = null;
  const open = (length: number): void => {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last.length === 0 && codeOffset > last.start) last.length = codeOffset - last.start;
    ranges.push({ start: codeOffset, length, lineOffset, fileId });
  };
  while (at.pos < bytes.length) {
    const op = compressed(bytes, at);
    switch (op) {
      case OP_END:
        // The record is padded with zeros after its last annotation.
        return ranges;
      case OP_CODE_OFFSET:
      case OP_CHANGE_CODE_OFFSET:
        codeOffset += compressed(bytes, at);
        open(0);
        break;
      case OP_CHANGE_CODE_LENGTH: {
        const length = compressed(bytes, at);
        const last = ranges[ranges.length - 1];
        if (last !== undefined && last.length === 0) last.length = length;
        codeOffset += length;
        break;
      }
      case OP_CHANGE_FILE:
        fileId = compressed(bytes, at);
        break;
      case OP_CHANGE_LINE_OFFSET:
        lineOffset += signed(compressed(bytes, at));
        break;
      case OP_CHANGE_CODE_OFFSET_AND_LINE_OFFSET: {
        const v = compressed(bytes, at);
        codeOffset += v & 0xf;
        lineOffset += signed(v >>> 4);
        open(0);
        break;
      }
      case OP_CHANGE_CODE_LENGTH_AND_CODE_OFFSET: {
        const length = compressed(bytes, at);
        codeOffset += compressed(bytes, at);
        open(length);
        break;
      }
      case OP_CHANGE_LINE_END_DELTA:
      case OP_CHANGE_RANGE_KIND:
      case OP_CHANGE_COLUMN_START:
      case OP_CHANGE_COLUMN_END_DELTA:
      case OP_CHANGE_COLUMN_END:
        compressed(bytes, at);
        break;
      case OP_CHANGE_CODE_OFFSET_BASE:
        // No compiler we know emits it and its meaning is undocumented: do not guess ranges.
        throw new PdbError('corrupt', 'inline site annotations use ChangeCodeOffsetBase, which is not read');
      default:
        throw new PdbError('corrupt', `inline site annotations hold unknown opcode ${op}`);
    }
  }
  return ranges;
}

/** The range holding `codeOffset` (from the procedure's start), or null. */
export function inlineRangeAt(ranges: readonly InlineRange[], codeOffset: number): InlineRange | null {
  for (const r of ranges) if (codeOffset >= r.start && codeOffset - r.start < r.length) return r;
  return null;
}
