// The DBI stream (stream 3): the map from code to the module (object file) that contributed
// it, and where each module's symbols and line tables are. Its substreams, in order:
//   module infos | section contributions | section map | source info | type server map |
//   EC info | optional debug header (stream numbers of FPO, FRAMEDATA, section headers…)
// Only the 64-byte header and the short optional debug header are read when the file opens;
// module infos are scanned in bounded pieces up to the module a lookup needs, and section
// contributions — sorted by (section, offset) — are binary searched in place.
import type { MsfFile, MsfStream } from './msf.ts';
import { PdbError } from './pdb-error.ts';
import { RecordView } from './record-view.ts';
import { StreamWindow } from './stream-window.ts';

export const DBI_STREAM = 3;
const HEADER_BYTES = 64;
/** VersionSignature of every DBI since Visual C++ 4.1 ("new DBI"); older headers are another layout. */
const NEW_DBI_SIGNATURE = -1;
const SC_VERSION_60 = (0xeffe0000 + 19970605) >>> 0;
const SC_VERSION_2 = (0xeffe0000 + 20140516) >>> 0;
/** Module indexes are 16-bit in section contributions. */
export const MAX_MODULES = 65535;
/** A module or object file name longer than this is damage, not a path. */
const MAX_MODULE_NAME_BYTES = 4096;
/** Contributions to look back over for one that covers the address (zero-sized ones sit in between). */
const MAX_CONTRIBUTION_BACKTRACK = 64;
/** The optional debug header is a short array of stream numbers (11 are defined). */
const MAX_DEBUG_STREAMS = 256;
const NO_STREAM = 0xffff;

/** Indexes into the optional debug header's stream numbers. */
export const DebugStream = {
  fpo: 0,
  omapToSource: 3,
  omapFromSource: 4,
  sectionHeaders: 5,
  frameData: 9,
  originalSectionHeaders: 10,
} as const;

export interface DbiHeader {
  age: number;
  globalsStream: number;
  publicsStream: number;
  symbolRecordsStream: number;
  machine: number;
  /** Stream offsets of the substreams this reader uses. */
  modInfo: { offset: number; size: number };
  sectionContributions: { offset: number; size: number };
  /** Stream number per optional debug header slot, null where absent. */
  debugStreams: Array<number | null>;
}

export interface ModuleInfo {
  index: number;
  /** Stream holding the module's symbols and line tables; null when the module has none. */
  symbolStream: number | null;
  symbolBytes: number;
  c11Bytes: number;
  c13Bytes: number;
}

export async function readDbiHeader(msf: MsfFile): Promise<{ header: DbiHeader; stream: MsfStream }> {
  const stream = msf.openStream(DBI_STREAM, 'DBI stream');
  if (stream === null) throw new PdbError('corrupt', 'no DBI stream (the PDB has no debug information)');
  if (stream.size < HEADER_BYTES) throw new PdbError('corrupt', `the DBI stream has ${stream.size} bytes, fewer than its header`);
  const v = new RecordView(await stream.read(0, HEADER_BYTES), 'DBI header');
  if (v.i32(0) !== NEW_DBI_SIGNATURE) throw new PdbError('unsupported', 'a DBI stream of Visual C++ 4.0 or older');
  const sizes = [24, 28, 32, 36, 40, 52, 48].map((at) => v.i32(at));
  const [modInfoSize, scSize, secMapSize, srcInfoSize, tsMapSize, ecSize, dbgHeaderSize] = sizes as [number, number, number, number, number, number, number];
  if (sizes.some((s) => s < 0)) throw new PdbError('corrupt', 'the DBI header has a negative substream size');
  const total = HEADER_BYTES + sizes.reduce((a, b) => a + b, 0);
  if (total > stream.size) throw new PdbError('corrupt', `the DBI substreams need ${total} bytes but the stream has ${stream.size}`);
  const modInfoOffset = HEADER_BYTES;
  const scOffset = modInfoOffset + modInfoSize;
  const dbgOffset = scOffset + scSize + secMapSize + srcInfoSize + tsMapSize + ecSize;
  const debugCount = Math.min(Math.floor(dbgHeaderSize / 2), MAX_DEBUG_STREAMS);
  const dbg = new RecordView(await stream.read(dbgOffset, debugCount * 2), 'DBI optional debug header');
  const debugStreams: Array<number | null> = [];
  for (let i = 0; i < debugCount; i++) {
    const s = dbg.u16(i * 2);
    debugStreams.push(s === NO_STREAM ? null : s);
  }
  const header: DbiHeader = {
    age: v.u32(8),
    globalsStream: v.u16(12),
    publicsStream: v.u16(16),
    symbolRecordsStream: v.u16(20),
    machine: v.u16(58),
    modInfo: { offset: modInfoOffset, size: modInfoSize },
    sectionContributions: { offset: scOffset, size: scSize },
    debugStreams,
  };
  return { header, stream };
}

/**
 * Module infos, scanned on demand: records are variable-length (64 bytes, two names, padding to
 * 4), so module N is found by walking the N before it once; what was walked is kept as four
 * numbers per module (at most 65 535 modules: ~3 MB).
 */
export class ModuleList {
  readonly #window: StreamWindow;
  readonly #start: number;
  readonly #end: number;
  #next: number;
  readonly #found: ModuleInfo[] = [];
  #done = false;

  constructor(stream: MsfStream, header: DbiHeader) {
    this.#window = new StreamWindow(stream, 64 * 1024);
    this.#start = header.modInfo.offset;
    this.#end = header.modInfo.offset + header.modInfo.size;
    this.#next = this.#start;
  }

  /** Module `index`, or null when the list has fewer modules. */
  async get(index: number): Promise<ModuleInfo | null> {
    if (index < 0 || index >= MAX_MODULES) return null;
    while (this.#found.length <= index && !this.#done) await this.#readOne();
    return this.#found[index] ?? null;
  }

  async #readOne(): Promise<void> {
    const at = this.#next;
    if (at + 64 > this.#end || this.#found.length >= MAX_MODULES) {
      this.#done = true;
      return;
    }
    const index = this.#found.length;
    const length = Math.min(this.#end - at, 64 + 2 * (MAX_MODULE_NAME_BYTES + 1));
    const v = await this.#window.view(at, length, `module info ${index}`);
    const stream = v.u16(34);
    const info: ModuleInfo = {
      index,
      symbolStream: stream === NO_STREAM ? null : stream,
      symbolBytes: v.u32(36),
      c11Bytes: v.u32(40),
      c13Bytes: v.u32(44),
    };
    const moduleName = v.cString(64);
    const objName = v.cString(moduleName.end);
    this.#next = at + ((objName.end + 3) & ~3);
    this.#found.push(info);
  }
}

/** Where a module's code is: one section contribution. */
export interface Contribution {
  section: number;
  offset: number;
  size: number;
  module: number;
}

/** Section contributions, binary searched where they lie in the stream. */
export class SectionContributions {
  readonly #window: StreamWindow;
  readonly #first: number;
  readonly #entryBytes: number;
  readonly count: number;

  private constructor(window: StreamWindow, first: number, entryBytes: number, count: number) {
    this.#window = window;
    this.#first = first;
    this.#entryBytes = entryBytes;
    this.count = count;
  }

  static async open(stream: MsfStream, header: DbiHeader): Promise<SectionContributions | null> {
    const { offset, size } = header.sectionContributions;
    if (size < 4) return null;
    const window = new StreamWindow(stream, 4096);
    const version = (await window.view(offset, 4, 'section contributions')).u32(0);
    let entryBytes: number;
    if (version === SC_VERSION_60) entryBytes = 28;
    else if (version === SC_VERSION_2) entryBytes = 32;
    else throw new PdbError('corrupt', `section contributions of unknown version 0x${version.toString(16)}`);
    return new SectionContributions(window, offset + 4, entryBytes, Math.floor((size - 4) / entryBytes));
  }

  async at(i: number): Promise<Contribution> {
    const v = await this.#window.view(this.#first + i * this.#entryBytes, 28, `section contribution ${i}`);
    return { section: v.u16(0), offset: v.u32(4), size: v.i32(8), module: v.u16(16) };
  }

  /** The contribution covering section:offset, or null. */
  async find(section: number, offset: number): Promise<Contribution | null> {
    // Last entry at or before (section, offset): entries are sorted by section, then offset.
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = await this.at(mid);
      if (c.section < section || (c.section === section && c.offset <= offset)) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && i >= lo - MAX_CONTRIBUTION_BACKTRACK; i--) {
      const c = await this.at(i);
      if (c.section !== section) break;
      if (offset >= c.offset && offset - c.offset < c.size) return c;
    }
    return null;
  }
}
