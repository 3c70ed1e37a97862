// A module's symbol stream: CodeView symbol records (u16 length, u16 kind, fields), nested by
// scope. A procedure (S_GPROC32 / S_LPROC32 and their _ID and DPC forms) or a thunk opens a
// scope that its S_END / S_PROC_ID_END closes; inside, S_BLOCK32 and S_INLINESITE open nested
// scopes closed by S_END / S_INLINESITE_END. Every scope opener carries pEnd, the offset of its
// closing record, so a scan of a module's procedures reads only their first records and jumps
// over their bodies.
//
// Stream layout: u32 signature (4 = C13), symbol records to SymByteSize, then C11 lines (not
// read), then C13 line subsections (c13-lines.ts).
import type { ModuleInfo } from './dbi.ts';
import type { MsfFile, MsfStream } from './msf.ts';
import { decodeInlineRanges, inlineRangeAt, type InlineRange } from './binary-annotations.ts';
import { PdbError } from './pdb-error.ts';
import type { RecordView } from './record-view.ts';
import type { SectionTable } from './section-headers.ts';
import { StreamWindow } from './stream-window.ts';

const CV_SIGNATURE_C13 = 4;

const S_END = 0x0006;
const S_THUNK32 = 0x1102;
const S_BLOCK32 = 0x1103;
const S_WITH32 = 0x1104;
const S_LPROC32 = 0x110f;
const S_GPROC32 = 0x1110;
const S_GMANPROC = 0x112a;
const S_LMANPROC = 0x112b;
const S_SEPCODE = 0x1132;
const S_LPROC32_ID = 0x1146;
const S_GPROC32_ID = 0x1147;
const S_INLINESITE = 0x114d;
const S_INLINESITE_END = 0x114e;
const S_PROC_ID_END = 0x114f;
const S_LPROC32_DPC = 0x1155;
const S_LPROC32_DPC_ID = 0x1156;
const S_INLINESITE2 = 0x115d;

const PROC_KINDS = new Set([S_LPROC32, S_GPROC32, S_LPROC32_ID, S_GPROC32_ID, S_LPROC32_DPC, S_LPROC32_DPC_ID]);
const SCOPE_OPENERS = new Set([...PROC_KINDS, S_THUNK32, S_BLOCK32, S_WITH32, S_SEPCODE, S_GMANPROC, S_LMANPROC, S_INLINESITE, S_INLINESITE2]);
const SCOPE_CLOSERS = new Set([S_END, S_PROC_ID_END, S_INLINESITE_END]);

/** Nesting a scan follows when a pEnd cannot be trusted, and inline levels a lookup returns. */
export const MAX_SCOPE_DEPTH = 256;
/** Procedures held per module: each costs ~64 bytes plus its name. */
export const MAX_PROCEDURES_PER_MODULE = 1_000_000;

export interface ProcEntry {
  rva: number;
  size: number;
  name: string;
  /** Stream offset of the opening record and of its closing record. */
  record: number;
  end: number;
  /** Where the outermost procedure starts: annotation code offsets count from here. */
  procRva: number;
}

export interface InlineHit {
  /** IPI item id of the inlined function (LF_FUNC_ID / LF_MFUNC_ID). */
  inlinee: number;
  range: InlineRange;
  /** Offset (from the procedure's start) of the site's first range. */
  firstStart: number;
}

export function proceduresHeldBytes(procs: readonly ProcEntry[]): number {
  let n = 64;
  for (const p of procs) n += 64 + p.name.length * 2;
  return n;
}

export class ModuleSymbols {
  readonly info: ModuleInfo;
  readonly stream: MsfStream;
  readonly what: string;

  private constructor(info: ModuleInfo, stream: MsfStream) {
    this.info = info;
    this.stream = stream;
    this.what = `module ${info.index} symbols`;
  }

  /** The module's symbol stream, or null when the module has none (no debug info). */
  static async open(msf: MsfFile, info: ModuleInfo): Promise<ModuleSymbols | null> {
    if (info.symbolStream === null) return null;
    const stream = msf.openStream(info.symbolStream, `module ${info.index} symbols`);
    if (stream === null) return null;
    const what = `module ${info.index} symbols`;
    if (info.symbolBytes < 4 || info.symbolBytes + info.c11Bytes + info.c13Bytes > stream.size) {
      throw new PdbError('corrupt', `${what}: sizes ${info.symbolBytes}+${info.c11Bytes}+${info.c13Bytes} do not fit its ${stream.size}-byte stream`);
    }
    const sig = new StreamWindow(stream, 16);
    const signature = (await sig.view(0, 4, what)).u32(0);
    if (signature !== CV_SIGNATURE_C13) throw new PdbError('corrupt', `${what}: signature ${signature}, not C13 (4)`);
    return new ModuleSymbols(info, stream);
  }

  get c13Start(): number {
    return this.info.symbolBytes + this.info.c11Bytes;
  }

  /** Every procedure and thunk at the top level of the module, sorted by RVA. */
  async procedures(sections: SectionTable): Promise<ProcEntry[]> {
    // One page at a time: the scan jumps over procedure bodies, whose bytes it need not read.
    const w = new StreamWindow(this.stream, 4096);
    const end = this.info.symbolBytes;
    const out: ProcEntry[] = [];
    let at = 4;
    while (at + 4 <= end) {
      const { kind, recEnd } = await this.#header(w, at, end);
      if (PROC_KINDS.has(kind) || kind === S_THUNK32 || kind === S_SEPCODE) {
        const rec = await w.view(at, recEnd - at, `${this.what}: record at ${at}`);
        const entry = await this.#entry(w, rec, kind, at, end, sections);
        if (entry !== null) {
          if (out.length >= MAX_PROCEDURES_PER_MODULE) throw new PdbError('too-large', `${this.what}: more than ${MAX_PROCEDURES_PER_MODULE} procedures`);
          out.push(entry);
        }
        at = await this.#skipScope(w, rec, at, recEnd, end);
      } else if (SCOPE_OPENERS.has(kind)) {
        const rec = await w.view(at, recEnd - at, `${this.what}: record at ${at}`);
        at = await this.#skipScope(w, rec, at, recEnd, end);
      } else {
        at = recEnd;
      }
    }
    out.sort((a, b) => a.rva - b.rva);
    return out;
  }

  async #header(w: StreamWindow, at: number, end: number): Promise<{ kind: number; recEnd: number }> {
    const h = await w.view(at, 4, `${this.what}: record at ${at}`);
    const length = h.u16(0);
    const kind = h.u16(2);
    const recEnd = at + 2 + length;
    if (length < 2 || recEnd > end) throw new PdbError('corrupt', `${this.what}: record at ${at} (kind 0x${kind.toString(16)}, ${length} bytes) runs past its end`);
    return { kind, recEnd };
  }

  async #entry(w: StreamWindow, rec: RecordView, kind: number, at: number, end: number, sections: SectionTable): Promise<ProcEntry | null> {
    let offset: number;
    let section: number;
    let size: number;
    let name: string;
    let procRva: number | null = null;
    if (kind === S_THUNK32) {
      offset = rec.u32(16);
      section = rec.u16(20);
      size = rec.u16(22);
      name = rec.cString(25).text;
    } else if (kind === S_SEPCODE) {
      // Code the compiler moved away from its function (cold paths): named after the parent.
      size = rec.u32(12);
      offset = rec.u32(20);
      section = rec.u16(28);
      const parent = rec.u32(4);
      if (parent < 4 || parent >= at) return null;
      const { kind: parentKind, recEnd } = await this.#header(w, parent, end);
      if (!PROC_KINDS.has(parentKind)) return null;
      const parentRec = await w.view(parent, recEnd - parent, `${this.what}: record at ${parent}`);
      name = parentRec.cString(39).text;
      procRva = sections.toRva(parentRec.u16(36), parentRec.u32(32));
      if (procRva === null) return null;
    } else {
      size = rec.u32(16);
      offset = rec.u32(32);
      section = rec.u16(36);
      name = rec.cString(39).text;
    }
    const rva = sections.toRva(section, offset);
    if (rva === null || size === 0) return null;
    const pEnd = rec.u32(8);
    return { rva, size, name, record: at, end: pEnd, procRva: procRva ?? rva };
  }

  /**
   * Offset just past the scope opened by `rec`: its pEnd when that points at a closing record
   * inside the module, else by counting openers and closers (a pEnd the linker got wrong).
   */
  async #skipScope(w: StreamWindow, rec: RecordView, at: number, recEnd: number, end: number): Promise<number> {
    const pEnd = rec.u32(8);
    if (pEnd >= recEnd && pEnd + 4 <= end) {
      const closing = await this.#header(w, pEnd, end);
      if (SCOPE_CLOSERS.has(closing.kind)) return closing.recEnd;
    }
    let depth = 1;
    let p = recEnd;
    while (p + 4 <= end) {
      const { kind, recEnd: next } = await this.#header(w, p, end);
      if (SCOPE_OPENERS.has(kind)) {
        if (++depth > MAX_SCOPE_DEPTH) throw new PdbError('too-large', `${this.what}: scopes nested deeper than ${MAX_SCOPE_DEPTH} at ${p}`);
      } else if (SCOPE_CLOSERS.has(kind) && --depth === 0) {
        return next;
      }
      p = next;
    }
    throw new PdbError('corrupt', `${this.what}: the scope opened at ${at} is never closed`);
  }

  /**
   * The inline sites inside `proc` whose ranges hold `rva`, outermost first: at each level the
   * one child site that covers the address is entered and the others are jumped over.
   */
  async inlineChain(proc: ProcEntry, rva: number): Promise<InlineHit[]> {
    const w = new StreamWindow(this.stream, 4096);
    const codeOffset = rva - proc.procRva;
    const symEnd = this.info.symbolBytes;
    const first = await this.#header(w, proc.record, symEnd);
    let at = first.recEnd;
    let end = proc.end;
    if (!(end >= at && end <= symEnd)) throw new PdbError('corrupt', `${this.what}: procedure at ${proc.record} ends at ${end}, outside the module`);
    const chain: InlineHit[] = [];
    while (at + 4 <= end) {
      const { kind, recEnd } = await this.#header(w, at, symEnd);
      if (kind !== S_INLINESITE && kind !== S_INLINESITE2) {
        at = recEnd;
        continue;
      }
      const rec = await w.view(at, recEnd - at, `${this.what}: inline site at ${at}`);
      const pEnd = rec.u32(8);
      const inlinee = rec.u32(12);
      if (!(pEnd >= recEnd && pEnd < end)) throw new PdbError('corrupt', `${this.what}: inline site at ${at} ends at ${pEnd}, outside its parent`);
      const annotations = rec.bytes.subarray(kind === S_INLINESITE2 ? 20 : 16);
      let ranges: InlineRange[];
      try {
        ranges = decodeInlineRanges(annotations);
      } catch (err) {
        if (err instanceof PdbError) throw new PdbError(err.kind, `${this.what}: inline site at ${at}: ${err.message}`);
        throw err;
      }
      const range = inlineRangeAt(ranges, codeOffset);
      if (range !== null) {
        if (chain.length >= MAX_SCOPE_DEPTH) throw new PdbError('too-large', `${this.what}: inline calls nested deeper than ${MAX_SCOPE_DEPTH}`);
        chain.push({ inlinee, range, firstStart: ranges[0]!.start });
        at = recEnd;
        end = pEnd;
      } else {
        at = (await this.#header(w, pEnd, symEnd)).recEnd;
      }
    }
    return chain;
  }
}

/** The procedure whose range holds `rva` in a sorted list, or null. */
export function findProcedure(procs: readonly ProcEntry[], rva: number): ProcEntry | null {
  let lo = 0;
  let hi = procs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (procs[mid]!.rva <= rva) lo = mid + 1;
    else hi = mid;
  }
  // Procedures do not overlap at the top level; look back a little in case a linker made them.
  for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) {
    const p = procs[i]!;
    if (rva - p.rva < p.size) return p;
  }
  return null;
}
