// How to walk an x86 frame without a frame pointer: the FPO_DATA records (the old format, one
// per function) and FRAMEDATA records (the "new FPO" of Visual C++ 7+ and of lld for i686,
// several per function as the prolog pushes registers, each with a postfix program that
// recovers the caller's registers). Both live in DBI optional debug header streams as arrays
// sorted by start RVA; a lookup binary searches the array where it lies.
//
// FPO_DATA (16 bytes): ulOffStart, cbProcSize, cdwLocals, cdwParams u16, then a u16 of bit
//   fields: cbProlog:8, cbRegs:3, fHasSEH:1, fUseBP:1, reserved:1, cbFrame:2.
// FRAMEDATA (32 bytes): ulRvaStart, cbBlock, cbLocals, cbParams, cbStkMax, frameFunc (offset of
//   the program in "/names"), cbProlog u16, cbSavedRegs u16, flags (fHasSEH, fHasEH, fIsFunctionStart).
import type { X86FrameInfo } from '../symbols/symbol-file.ts';
import type { MsfFile } from './msf.ts';
import type { StringTable } from './string-table.ts';
import { PdbError } from './pdb-error.ts';
import type { RecordView } from './record-view.ts';
import { StreamWindow } from './stream-window.ts';

const FPO_BYTES = 16;
const FRAMEDATA_BYTES = 32;
/** Records to look back over for one that covers the address (a function has one per prolog step). */
const MAX_BACKTRACK = 32;

class SortedRecords {
  readonly window: StreamWindow;
  readonly first: number;
  readonly entryBytes: number;
  readonly count: number;
  readonly what: string;

  constructor(window: StreamWindow, first: number, entryBytes: number, count: number, what: string) {
    this.window = window;
    this.first = first;
    this.entryBytes = entryBytes;
    this.count = count;
    this.what = what;
  }

  at(i: number): Promise<RecordView> {
    return this.window.view(this.first + i * this.entryBytes, this.entryBytes, `${this.what} ${i}`);
  }

  /** The record nearest before `rva` whose [start, start + size) holds it (start at 0, size at 4). */
  async covering(rva: number): Promise<RecordView | null> {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((await this.at(mid)).u32(0) <= rva) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && i >= lo - MAX_BACKTRACK; i--) {
      const r = await this.at(i);
      const start = r.u32(0);
      if (rva - start < r.u32(4)) return r;
    }
    return null;
  }
}

export class FrameData {
  readonly #frameData: SortedRecords | null;
  readonly #fpo: SortedRecords | null;
  readonly #strings: () => Promise<StringTable | null>;

  private constructor(frameData: SortedRecords | null, fpo: SortedRecords | null, strings: () => Promise<StringTable | null>) {
    this.#frameData = frameData;
    this.#fpo = fpo;
    this.#strings = strings;
  }

  static open(msf: MsfFile, frameDataStream: number | null, fpoStream: number | null, strings: () => Promise<StringTable | null>): FrameData {
    let frameData: SortedRecords | null = null;
    const fd = frameDataStream === null ? null : msf.openStream(frameDataStream, 'FRAMEDATA stream');
    if (fd !== null) {
      // LLVM's writer may put a 4-byte relocation pointer before the records.
      const skip = fd.size % FRAMEDATA_BYTES === 4 ? 4 : 0;
      frameData = new SortedRecords(new StreamWindow(fd, 4096), skip, FRAMEDATA_BYTES, Math.floor((fd.size - skip) / FRAMEDATA_BYTES), 'FRAMEDATA');
    }
    let fpo: SortedRecords | null = null;
    const f = fpoStream === null ? null : msf.openStream(fpoStream, 'FPO stream');
    if (f !== null) fpo = new SortedRecords(new StreamWindow(f, 4096), 0, FPO_BYTES, Math.floor(f.size / FPO_BYTES), 'FPO_DATA');
    return new FrameData(frameData, fpo, strings);
  }

  get present(): boolean {
    return this.#frameData !== null || this.#fpo !== null;
  }

  /** FRAMEDATA covering `rva` if any (it carries a program), else FPO_DATA, else null. */
  async find(rva: number): Promise<X86FrameInfo | null> {
    const fd = this.#frameData === null ? null : await this.#frameData.covering(rva);
    if (fd !== null) {
      const strings = await this.#strings();
      if (strings === null) throw new PdbError('corrupt', 'FRAMEDATA names its program in "/names", but the PDB has no string table');
      const program = await strings.get(fd.u32(20));
      return {
        kind: 'framedata',
        startRva: fd.u32(0),
        codeSize: fd.u32(4),
        localsSize: fd.u32(8),
        paramsSize: fd.u32(12),
        maxStackSize: fd.u32(16),
        prologSize: fd.u16(24),
        savedRegsSize: fd.u16(26),
        // FRAMEDATA has no such flag: its program says how EBP is recovered.
        allocatesBasePointer: false,
        // As the PDB spells it, without the trailing blank compilers leave after the last '='.
        program: program.trim() === '' ? null : program.trim(),
      };
    }
    const fpo = this.#fpo === null ? null : await this.#fpo.covering(rva);
    if (fpo !== null) {
      const bits = fpo.u16(14);
      return {
        kind: 'fpo',
        startRva: fpo.u32(0),
        codeSize: fpo.u32(4),
        localsSize: fpo.u32(8) * 4,
        paramsSize: fpo.u16(12) * 4,
        maxStackSize: null,
        prologSize: bits & 0xff,
        savedRegsSize: ((bits >>> 8) & 0x7) * 4,
        allocatesBasePointer: ((bits >>> 12) & 1) === 1,
        program: null,
      };
    }
    return null;
  }
}
