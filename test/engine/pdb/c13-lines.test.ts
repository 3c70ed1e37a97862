import { describe, expect, it } from 'vitest';
import { findInlinee, lineAt, type LineRange } from '../../../src/engine/pdb/c13-lines.ts';
import { PdbError } from '../../../src/engine/pdb/pdb-error.ts';
import { RecordView } from '../../../src/engine/pdb/record-view.ts';
import { ByteWriter } from '../../synth/byte-writer.ts';

/** A DEBUG_S_LINES body at section offset 0x500, one block per [file, [offset, line]...]. */
function lines(blocks: Array<[number, Array<[number, number]>]>, columns = false): { view: RecordView; range: LineRange } {
  const w = new ByteWriter();
  w.u32(0x500);
  w.u16(1);
  w.u16(columns ? 1 : 0);
  w.u32(0x40);
  for (const [file, entries] of blocks) {
    w.u32(file);
    w.u32(entries.length);
    w.u32(12 + entries.length * (columns ? 12 : 8));
    for (const [off, line] of entries) {
      w.u32(off);
      w.u32(line | 0x80000000);
    }
    if (columns) for (let i = 0; i < entries.length; i++) w.u32(0x00050001);
  }
  const bytes = w.toBytes();
  return { view: new RecordView(bytes, 'lines'), range: { at: 0, length: bytes.length, section: 1, offset: 0x500, codeSize: 0x40 } };
}

describe('line at an address', () => {
  it('is the entry with the greatest offset not past it', () => {
    const { view, range } = lines([[0, [[0, 11], [0x10, 13], [0x20, 14]]]]);
    expect(lineAt(view, range, 0x500)).toEqual({ fileId: 0, line: 11 });
    expect(lineAt(view, range, 0x50f)).toEqual({ fileId: 0, line: 11 });
    expect(lineAt(view, range, 0x510)).toEqual({ fileId: 0, line: 13 });
    expect(lineAt(view, range, 0x53f)).toEqual({ fileId: 0, line: 14 });
  });

  it('at an offset two entries share: the first when it is the address, else the last', () => {
    // clang writes "11 @0, 13 @0" for a function whose first statement has no code of its own.
    const { view, range } = lines([[0, [[0, 11], [0, 13], [0x20, 14]]]]);
    expect(lineAt(view, range, 0x500)).toEqual({ fileId: 0, line: 11 });
    expect(lineAt(view, range, 0x51e)).toEqual({ fileId: 0, line: 13 });
  });

  it('reads across file blocks and over column entries', () => {
    const { view, range } = lines([[0, [[0, 3]]], [8, [[1, 3], [0x10, 4], [0x1b, 3]]], [0, [[0x23, 6]]]], true);
    expect(lineAt(view, range, 0x500)).toEqual({ fileId: 0, line: 3 });
    expect(lineAt(view, range, 0x51a)).toEqual({ fileId: 8, line: 4 });
    expect(lineAt(view, range, 0x51b)).toEqual({ fileId: 8, line: 3 });
    expect(lineAt(view, range, 0x523)).toEqual({ fileId: 0, line: 6 });
  });

  it('before the first entry, the first line (as LLVM reads it)', () => {
    const { view, range } = lines([[0, [[4, 20]]]]);
    expect(lineAt(view, range, 0x501)).toEqual({ fileId: 0, line: 20 });
  });

  it('refuses a block whose entries do not fit', () => {
    const w = new ByteWriter();
    w.u32(0x500);
    w.u16(1);
    w.u16(0);
    w.u32(0x40);
    w.u32(0);
    w.u32(0x10000000);
    w.u32(20);
    expect(() => lineAt(new RecordView(w.toBytes(), 'lines'), { at: 0, length: 24, section: 1, offset: 0x500, codeSize: 0x40 }, 0x500)).toThrow(PdbError);
  });
});

describe('inlinee lines', () => {
  it('finds an inlined function in both layouts', () => {
    const plain = new ByteWriter();
    plain.u32(0);
    for (const [id, file, line] of [[0x1000, 0, 7], [0x1001, 8, 3]]) {
      plain.u32(id!);
      plain.u32(file!);
      plain.u32(line!);
    }
    expect(findInlinee(new RecordView(plain.toBytes(), 'inlinees'), 0x1001)).toEqual({ fileId: 8, line: 3 });
    expect(findInlinee(new RecordView(plain.toBytes(), 'inlinees'), 0x1002)).toBeNull();
    // Signature 1: each entry carries extra file ids.
    const ex = new ByteWriter();
    ex.u32(1);
    ex.u32(0x1000);
    ex.u32(0);
    ex.u32(7);
    ex.u32(2);
    ex.u32(8);
    ex.u32(16);
    ex.u32(0x1001);
    ex.u32(16);
    ex.u32(9);
    ex.u32(0);
    expect(findInlinee(new RecordView(ex.toBytes(), 'inlinees'), 0x1001)).toEqual({ fileId: 16, line: 9 });
  });
});
