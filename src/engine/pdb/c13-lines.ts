// A module's C13 line information: a run of debug subsections after its symbols, each
// (kind u32, length u32, data, padded to 4). Three kinds matter for naming code:
//   DEBUG_S_LINES (0xF2)        one per function or code range: section:offset, code size, then
//                               blocks of (file, line entries [, column entries])
//   DEBUG_S_FILECHKSMS (0xF4)   the files those blocks name, as offsets into "/names"
//   DEBUG_S_INLINEELINES (0xF6) for each inlined function, the file and line it starts at
// The directory (where each subsection lies, and each line range's address) is read once per
// module; a line lookup then reads only the subsection covering the address.
import { PdbError } from './pdb-error.ts';
import type { RecordView } from './record-view.ts';
import type { StreamWindow } from './stream-window.ts';

const DEBUG_S_IGNORE = 0x80000000;
const DEBUG_S_LINES = 0xf2;
const DEBUG_S_FILECHKSMS = 0xf4;
const DEBUG_S_INLINEELINES = 0xf6;
const CV_LINES_HAVE_COLUMNS = 0x1;
/** Each line range costs ~32 bytes held; a module with more than this many is damage. */
export const MAX_LINE_SUBSECTIONS = 1_000_000;
const INLINEE_SIGNATURE_EX = 1;

export interface LineRange {
  /** Stream offset of the subsection's data. */
  at: number;
  length: number;
  section: number;
  offset: number;
  codeSize: number;
}

export interface C13Directory {
  lines: LineRange[];
  checksums: { at: number; length: number } | null;
  inlinees: Array<{ at: number; length: number }>;
}

export function c13HeldBytes(dir: C13Directory): number {
  return 64 + dir.lines.length * 48 + dir.inlinees.length * 24;
}

/** Lists the subsections in [start, start + size) of a module stream. */
export async function readC13Directory(window: StreamWindow, start: number, size: number, what: string): Promise<C13Directory> {
  const dir: C13Directory = { lines: [], checksums: null, inlinees: [] };
  const end = start + size;
  let at = start;
  while (at + 8 <= end) {
    const h = await window.view(at, 8, `${what} C13 subsection at ${at}`);
    const kind = h.u32(0);
    const length = h.u32(4);
    const data = at + 8;
    if (length > end - data) throw new PdbError('corrupt', `${what}: C13 subsection at ${at} runs past the line information (${length} bytes)`);
    if ((kind & DEBUG_S_IGNORE) === 0) {
      if (kind === DEBUG_S_LINES) {
        if (dir.lines.length >= MAX_LINE_SUBSECTIONS) throw new PdbError('too-large', `${what}: more than ${MAX_LINE_SUBSECTIONS} line tables`);
        const l = await window.view(data, 12, `${what} line table at ${data}`);
        if (length < 12) throw new PdbError('corrupt', `${what}: line table at ${data} is shorter than its header`);
        dir.lines.push({ at: data, length, offset: l.u32(0), section: l.u16(4), codeSize: l.u32(8) });
      } else if (kind === DEBUG_S_FILECHKSMS) {
        dir.checksums ??= { at: data, length };
      } else if (kind === DEBUG_S_INLINEELINES) {
        dir.inlinees.push({ at: data, length });
      }
    }
    at = data + ((length + 3) & ~3);
  }
  return dir;
}

/** The line range covering section:offset, or null. */
export function findLineRange(dir: C13Directory, section: number, offset: number): LineRange | null {
  for (const r of dir.lines) {
    if (r.section === section && offset >= r.offset && offset - r.offset < r.codeSize) return r;
  }
  return null;
}

export interface LineHit {
  /** Offset of the file's entry in the checksums subsection. */
  fileId: number;
  line: number;
}

/**
 * The line at section:offset inside `range`: the entry with the greatest code offset not past
 * the address. As LLVM's native PDB reader does: among entries at the same offset, the first
 * when it is the address itself, else the last; before the first entry, the first line.
 */
export function lineAt(v: RecordView, range: LineRange, offset: number): LineHit | null {
  const flags = v.u16(6);
  const target = offset - range.offset;
  const perLine = flags & CV_LINES_HAVE_COLUMNS ? 12 : 8;
  let best: { off: number; hit: LineHit } | null = null;
  let first: LineHit | null = null;
  let at = 12;
  while (at + 12 <= v.length) {
    const fileId = v.u32(at);
    const count = v.u32(at + 4);
    const blockSize = v.u32(at + 8);
    if (blockSize < 12 || blockSize > v.length - at || count > (blockSize - 12) / perLine) {
      throw new PdbError('corrupt', `${v.what}: a line block at ${at} does not fit (${count} lines in ${blockSize} bytes)`);
    }
    for (let i = 0; i < count; i++) {
      const e = at + 12 + i * 8;
      const off = v.u32(e);
      const line = v.u32(e + 4) & 0xffffff;
      if (first === null) first = { fileId, line };
      if (off > target) continue;
      if (best === null || (off < target ? off >= best.off : best.off !== target)) best = { off, hit: { fileId, line } };
    }
    at += blockSize;
  }
  return best?.hit ?? first;
}

/** The /names offset of the file at `fileId` of the checksums subsection. */
export function fileNameOffset(checksums: RecordView, fileId: number): number {
  // Entry: name offset u32, checksum size u8, checksum kind u8, checksum bytes.
  if (fileId + 6 > checksums.length) throw new PdbError('corrupt', `${checksums.what}: file id ${fileId} is past the file checksums`);
  return checksums.u32(fileId);
}

/** Where an inlined function starts: the first entry for `inlinee` in an inlinee-lines subsection. */
export function findInlinee(v: RecordView, inlinee: number): LineHit | null {
  const signature = v.u32(0);
  const extra = signature === INLINEE_SIGNATURE_EX;
  let at = 4;
  while (at + 12 <= v.length) {
    const id = v.u32(at);
    const fileId = v.u32(at + 4);
    const line = v.u32(at + 8);
    let next = at + 12;
    if (extra) {
      const files = v.u32(next);
      if (files > (v.length - next) / 4) throw new PdbError('corrupt', `${v.what}: ${files} extra files past the end`);
      next += 4 + files * 4;
    }
    if (id === inlinee) return { fileId, line };
    at = next;
  }
  return null;
}
