import { describe, expect, it } from 'vitest';
import { decodeInlineRanges, inlineRangeAt } from '../../../src/engine/pdb/binary-annotations.ts';
import { PdbError } from '../../../src/engine/pdb/pdb-error.ts';

describe('inline site binary annotations', () => {
  it('decodes what clang writes: line, code offset, code length', () => {
    // From inl.pdb's "twice": 0604 line +2, 031E code 0x1E, 0402 code end 0x20, then padding.
    expect(decodeInlineRanges(new Uint8Array([0x06, 0x04, 0x03, 0x1e, 0x04, 0x02, 0x00, 0x00]))).toEqual([{ start: 0x1e, length: 2, lineOffset: 2, fileId: null }]);
  });

  it('closes a range where the next one starts, and keeps line offsets cumulative', () => {
    // code+3 line+0 (0x0B 0x03), code+5 line-1 (0x0B (signed(-1)=3)<<4|5 = 0x35), length 4.
    const ranges = decodeInlineRanges(new Uint8Array([0x0b, 0x03, 0x0b, 0x35, 0x04, 0x04]));
    expect(ranges).toEqual([
      { start: 3, length: 5, lineOffset: 0, fileId: null },
      { start: 8, length: 4, lineOffset: -1, fileId: null },
    ]);
    expect(inlineRangeAt(ranges, 2)).toBeNull();
    expect(inlineRangeAt(ranges, 7)?.start).toBe(3);
    expect(inlineRangeAt(ranges, 8)?.lineOffset).toBe(-1);
    expect(inlineRangeAt(ranges, 12)).toBeNull();
  });

  it('reads 2- and 4-byte operands, file changes and ChangeCodeLengthAndCodeOffset', () => {
    const ranges = decodeInlineRanges(
      new Uint8Array([
        0x05, 0x18, // ChangeFile 0x18
        0x06, 0x81, 0x00, // ChangeLineOffset 0x100 → +128
        0x0c, 0x10, 0xc0, 0x01, 0x00, 0x00, // length 0x10 at code offset +0x10000
      ]),
    );
    expect(ranges).toEqual([{ start: 0x10000, length: 0x10, lineOffset: 128, fileId: 0x18 }]);
  });

  it('skips column and range-kind operands', () => {
    expect(decodeInlineRanges(new Uint8Array([0x09, 0x05, 0x0a, 0x02, 0x0d, 0x07, 0x08, 0x01, 0x07, 0x01, 0x03, 0x02, 0x04, 0x01]))).toEqual([{ start: 2, length: 1, lineOffset: 0, fileId: null }]);
  });

  it('a range the annotations never close covers nothing', () => {
    const ranges = decodeInlineRanges(new Uint8Array([0x03, 0x04]));
    expect(ranges).toEqual([{ start: 4, length: 0, lineOffset: 0, fileId: null }]);
    expect(inlineRangeAt(ranges, 4)).toBeNull();
  });

  it('refuses unknown opcodes, invalid integers and operands cut short', () => {
    for (const bytes of [[0x0e, 0x01], [0x03, 0xe0], [0x03, 0x80], [0x03, 0xc0, 0x00], [0x02, 0x01]]) {
      expect(() => decodeInlineRanges(new Uint8Array(bytes))).toThrow(PdbError);
    }
  });
});
