// Writes a PDB 7.0 from a description, for tests, the fuzzer and the benchmark: the PDB info
// stream (GUID, age, the "/names" entry of the named stream map), TPI and IPI with their hash
// streams (hash values and the index offset buffer), DBI (module infos, sorted section
// contributions, section map, file info, EC names, optional debug header), per-module symbol
// streams (procedures, thunks, blocks, inline sites with binary annotations, S_END nesting) with
// C13 line information (file checksums, lines, inlinee lines), publics (GSI hash + address map)
// with their symbol records, section headers, FPO_DATA, FRAMEDATA and OMAP streams.
//
// The layouts follow LLVM's "The PDB File Format" documents and microsoft-pdb; files from this
// writer read back with `llvm-pdbutil-16 dump -all` and `llvm-symbolizer-16`
// (test/synth/pdb-builder.test.ts checks that when LLVM 16 is installed), so tests exercise
// real PDBs, not the reader's assumptions.
import { ByteWriter, utf8 } from './byte-writer.ts';
import { writeMsf, type MsfLayout } from './msf-writer.ts';

export interface PdbSection {
  name: string;
  rva: number;
  size: number;
  /** IMAGE_SCN_* flags; default code (0x60000020). */
  characteristics?: number;
}

/** A line-table entry: `offset` from the procedure's start, `file` an index into the module's files. */
export interface LineSpec {
  offset: number;
  line: number;
  file?: number;
}

export interface InlineRangeSpec {
  /** From the start of the outermost procedure. */
  start: number;
  length: number;
  /** The line of the inlined function this range is (absolute). */
  line: number;
  file?: number;
}

export interface InlineSpec {
  callee: string;
  /** A namespace: the IPI gets an LF_FUNC_ID whose scope is an LF_STRING_ID. */
  scope?: string;
  /** A member function: the IPI gets an LF_MFUNC_ID naming a TPI class of this name. */
  className?: string;
  /** The line the inlined function starts at (inlinee lines table). */
  startLine: number;
  file?: number;
  ranges: InlineRangeSpec[];
  inlines?: InlineSpec[];
  /** S_INLINESITE2 (with an invocation count) instead of S_INLINESITE. */
  site2?: boolean;
  /** Damage: these annotation bytes instead of the ranges' encoding. */
  annotations?: Uint8Array;
  /** Damage: this pEnd instead of the real one. */
  badEnd?: number;
}

export interface ProcSpec {
  name: string;
  section: number;
  offset: number;
  size: number;
  kind?: 'gproc' | 'lproc' | 'gproc-id' | 'lproc-id' | 'thunk';
  lines?: LineSpec[];
  inlines?: InlineSpec[];
  /** S_LOCAL records inside the procedure (real procedures have many: a scan must jump them). */
  locals?: number;
  /** Put the procedure's inline sites inside an S_BLOCK32. */
  block?: boolean;
  /** Damage: this pEnd instead of the real one. */
  badEnd?: number;
  /** Damage: raw bytes inside the procedure, after its locals. */
  rawBody?: Uint8Array;
}

export interface ModuleSpec {
  name: string;
  /** Source files; lines and inline sites refer to them by index. Default [`${name}.c`]. */
  files?: string[];
  procs?: ProcSpec[];
  /** A module without a symbol stream (an object built without debug information). */
  noSymbols?: boolean;
  /** Default: one contribution per procedure. */
  contributions?: Array<{ section: number; offset: number; size: number }>;
  /** Damage: raw bytes after the procedures (records with bad lengths, unclosed scopes). */
  rawSymbols?: Uint8Array;
  /** Damage: the symbol byte count the module info claims. */
  symbolBytes?: number;
}

export interface PublicSpec {
  name: string;
  section: number;
  offset: number;
  function?: boolean;
}

export interface FrameDataSpec {
  rva: number;
  codeSize: number;
  locals?: number;
  params?: number;
  maxStack?: number;
  prolog?: number;
  savedRegs?: number;
  program: string;
  functionStart?: boolean;
}

export interface FpoSpec {
  rva: number;
  codeSize: number;
  localsDwords?: number;
  paramsDwords?: number;
  prolog?: number;
  /** Number of saved registers (cbRegs). */
  savedRegs?: number;
  useBP?: boolean;
}

export interface PdbSpec {
  /** 16 bytes as stored (Data1..Data3 little-endian). */
  guid?: Uint8Array;
  age?: number;
  /** The DBI stream's age; default `age`. */
  dbiAge?: number;
  machine?: number;
  sections: PdbSection[];
  modules: ModuleSpec[];
  publics?: PublicSpec[];
  frameData?: FrameDataSpec[];
  fpo?: FpoSpec[];
  /** LF_STRUCTURE records added to the TPI (a large PDB's types). */
  fillerTypes?: number;
  /** An OMAP-to-source stream, as an image rearranged after linking has. */
  omap?: boolean;
  omit?: { names?: boolean; sectionHeaders?: boolean; typeIndexOffsets?: boolean; publics?: boolean };
  layout?: MsfLayout;
}

export const DEFAULT_GUID = new Uint8Array([0xe5, 0x32, 0x98, 0x5a, 0x72, 0x28, 0xc1, 0x41, 0x83, 0x8e, 0xd9, 0x89, 0x14, 0xe9, 0xb7, 0xff]);
export const MACHINE_AMD64 = 0x8664;
export const MACHINE_I386 = 0x14c;

const S_END = 0x0006;
const S_OBJNAME = 0x1101;
const S_THUNK32 = 0x1102;
const S_BLOCK32 = 0x1103;
const S_PUB32 = 0x110e;
const S_LPROC32 = 0x110f;
const S_GPROC32 = 0x1110;
const S_LOCAL = 0x113e;
const S_LPROC32_ID = 0x1146;
const S_GPROC32_ID = 0x1147;
const S_INLINESITE = 0x114d;
const S_INLINESITE_END = 0x114e;
const S_PROC_ID_END = 0x114f;
const S_INLINESITE2 = 0x115d;
const LF_STRUCTURE = 0x1505;
const LF_CLASS = 0x1504;
const LF_FUNC_ID = 0x1601;
const LF_MFUNC_ID = 0x1602;
const LF_STRING_ID = 0x1605;
const DEBUG_S_LINES = 0xf2;
const DEBUG_S_FILECHKSMS = 0xf4;
const DEBUG_S_INLINEELINES = 0xf6;
const IPHR_HASH = 4096;

/** The PDB's string hash (LLVM hashStringV1, microsoft-pdb LHashPbCb). */
export function hashStringV1(text: string): number {
  const b = utf8(text);
  let result = 0;
  const longs = b.length >> 2;
  for (let i = 0; i < longs; i++) result ^= (b[i * 4]! | (b[i * 4 + 1]! << 8) | (b[i * 4 + 2]! << 16) | (b[i * 4 + 3]! << 24)) >>> 0;
  let at = longs * 4;
  let rem = b.length & 3;
  if (rem >= 2) {
    result ^= b[at]! | (b[at + 1]! << 8);
    at += 2;
    rem -= 2;
  }
  if (rem === 1) result ^= b[at]!;
  result = (result | 0x20202020) >>> 0;
  result = (result ^ (result >>> 11)) >>> 0;
  return (result ^ (result >>> 16)) >>> 0;
}

/** Appends a CodeView record to `w`: u16 length, u16 kind, the body, zero-padded to 4 bytes. */
function recordInto(w: ByteWriter, kind: number, body: (w: ByteWriter) => void): void {
  const start = w.length;
  w.u16(0);
  w.u16(kind);
  body(w);
  while ((w.length - start) % 4 !== 0) w.u8(0);
  w.patchU16(start, w.length - start - 2);
}

function record(kind: number, body: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter(64);
  recordInto(w, kind, body);
  return w.toBytes();
}

const ENCODER = new TextEncoder();
const SCRATCH = new Uint8Array(1 << 16);

/** `text` as UTF-8 and a NUL (through one scratch buffer: large PDBs have millions of names). */
function cstr(w: ByteWriter, text: string): void {
  if (text.length * 3 >= SCRATCH.length) {
    w.bytes(ENCODER.encode(text));
  } else {
    const { written } = ENCODER.encodeInto(text, SCRATCH);
    w.bytes(SCRATCH.subarray(0, written));
  }
  w.u8(0);
}

function compressed(out: number[], v: number): void {
  if (v < 0x80) out.push(v);
  else if (v < 0x4000) out.push(0x80 | (v >>> 8), v & 0xff);
  else if (v < 0x20000000) out.push(0xc0 | (v >>> 24), (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  else throw new Error(`pdb-builder: ${v} does not fit a compressed annotation operand`);
}

function signedOperand(v: number): number {
  return v < 0 ? ((-v) << 1) | 1 : v << 1;
}

/** Binary annotations that describe `inline`'s ranges (see src/engine/pdb/binary-annotations.ts). */
export function encodeAnnotations(inline: InlineSpec, fileIds: readonly number[]): Uint8Array {
  const ops: number[] = [];
  let code = 0;
  let line = inline.startLine;
  let file = inline.file ?? 0;
  for (const r of [...inline.ranges].sort((a, b) => a.start - b.start)) {
    const rangeFile = r.file ?? inline.file ?? 0;
    if (rangeFile !== file) {
      compressed(ops, 5);
      compressed(ops, fileIds[rangeFile]!);
      file = rangeFile;
    }
    const codeDelta = r.start - code;
    const lineDelta = r.line - line;
    if (codeDelta < 0) throw new Error('pdb-builder: inline ranges overlap');
    if (codeDelta <= 0xf && signedOperand(lineDelta) < 0x1000000) {
      compressed(ops, 11);
      compressed(ops, (signedOperand(lineDelta) << 4) | codeDelta);
    } else {
      if (lineDelta !== 0) {
        compressed(ops, 6);
        compressed(ops, signedOperand(lineDelta));
      }
      compressed(ops, 3);
      compressed(ops, codeDelta);
    }
    compressed(ops, 4);
    compressed(ops, r.length);
    code = r.start + r.length;
    line = r.line;
  }
  return new Uint8Array(ops);
}

/** "/names" (and the DBI's EC names): header, strings, hash buckets, count. */
class StringTableWriter {
  readonly #buffer = new ByteWriter(256);
  readonly #offsets = new Map<string, number>();

  constructor() {
    this.#buffer.u8(0);
  }

  add(text: string): number {
    const known = this.#offsets.get(text);
    if (known !== undefined) return known;
    const at = this.#buffer.length;
    cstr(this.#buffer, text);
    this.#offsets.set(text, at);
    return at;
  }

  toBytes(): Uint8Array {
    const strings = this.#buffer.toBytes();
    const names = [...this.#offsets.keys()];
    const buckets = new Uint32Array(Math.max(1, Math.ceil((names.length * 4) / 3) + 1));
    for (const name of names) {
      let i = hashStringV1(name) % buckets.length;
      while (buckets[i] !== 0) i = (i + 1) % buckets.length;
      buckets[i] = this.#offsets.get(name)!;
    }
    const w = new ByteWriter(strings.length + 64);
    w.u32(0xeffeeffe);
    w.u32(1);
    w.u32(strings.length);
    w.bytes(strings);
    w.u32(buckets.length);
    for (const b of buckets) w.u32(b);
    w.u32(names.length);
    return w.toBytes();
  }
}

/** TPI or IPI records and their hash stream (hash values and an index offset every ~8 KB). */
class TypeStreamWriter {
  readonly #records = new ByteWriter(4096);
  readonly #offsets: Array<[number, number]> = [];
  #count = 0;
  #lastIndexed = -Infinity;

  add(kind: number, body: (w: ByteWriter) => void): number {
    const ti = 0x1000 + this.#count++;
    if (this.#records.length - this.#lastIndexed >= 8192) {
      this.#offsets.push([ti, this.#records.length]);
      this.#lastIndexed = this.#records.length;
    }
    recordInto(this.#records, kind, body);
    return ti;
  }

  /** [type stream, hash stream], the type stream's header pointing at `hashStream`. */
  toStreams(hashStream: number, withIndexOffsets: boolean): [Uint8Array, Uint8Array] {
    const hash = new ByteWriter(this.#count * 4 + this.#offsets.length * 8 + 16);
    for (let i = 0; i < this.#count; i++) hash.u32(0);
    const indexAt = hash.length;
    if (withIndexOffsets) {
      for (const [ti, off] of this.#offsets) {
        hash.u32(ti);
        hash.u32(off);
      }
    }
    const indexLength = hash.length - indexAt;
    const records = this.#records.toBytes();
    const w = new ByteWriter(records.length + 56);
    w.u32(20040203);
    w.u32(56);
    w.u32(0x1000);
    w.u32(0x1000 + this.#count);
    w.u32(records.length);
    w.u16(hashStream);
    w.u16(0xffff);
    w.u32(4);
    w.u32(0x3ffff);
    w.u32(0);
    w.u32(this.#count * 4);
    w.u32(indexAt);
    w.u32(indexLength);
    w.u32(indexAt + indexLength);
    w.u32(0);
    w.bytes(records);
    return [w.toBytes(), hash.toBytes()];
  }
}

/** A GSI hash table (globals, publics) over records at `offsets` of the symbol record stream. */
function gsiHash(entries: ReadonlyArray<{ name: string; offset: number }>): Uint8Array {
  const byBucket = entries
    .map((e) => ({ ...e, bucket: hashStringV1(e.name) % IPHR_HASH }))
    .sort((a, b) => a.bucket - b.bucket || a.offset - b.offset);
  const bitmap = new Uint32Array(Math.ceil((IPHR_HASH + 1) / 32));
  const buckets: number[] = [];
  byBucket.forEach((e, i) => {
    if (i === 0 || byBucket[i - 1]!.bucket !== e.bucket) {
      bitmap[e.bucket >>> 5]! |= 1 << (e.bucket & 31);
      // Bucket offsets count 12-byte in-memory hash records, as the format's writers do.
      buckets.push(i * 12);
    }
  });
  const w = new ByteWriter(16 + byBucket.length * 8 + bitmap.length * 4 + buckets.length * 4);
  w.u32(0xffffffff);
  w.u32(0xf12f091a);
  w.u32(byBucket.length * 8);
  w.u32(bitmap.length * 4 + buckets.length * 4);
  for (const e of byBucket) {
    w.u32(e.offset + 1);
    w.u32(1);
  }
  for (const word of bitmap) w.u32(word);
  for (const b of buckets) w.u32(b);
  return w.toBytes();
}

interface ModuleStream {
  bytes: Uint8Array;
  symbolBytes: number;
  c13Bytes: number;
}

/** Assigns IPI ids (and TPI classes) to inlined functions on first use. */
class InlineeIds {
  readonly #ids = new Map<string, number>();
  readonly #scopes = new Map<string, number>();
  readonly #classes = new Map<string, number>();
  readonly #ipi: TypeStreamWriter;
  readonly #tpi: TypeStreamWriter;

  constructor(ipi: TypeStreamWriter, tpi: TypeStreamWriter) {
    this.#ipi = ipi;
    this.#tpi = tpi;
  }

  id(inline: InlineSpec): number {
    const key = `${inline.className ?? ''}\0${inline.scope ?? ''}\0${inline.callee}`;
    const known = this.#ids.get(key);
    if (known !== undefined) return known;
    let id: number;
    if (inline.className !== undefined) {
      const cls = this.#classType(inline.className);
      id = this.#ipi.add(LF_MFUNC_ID, (w) => {
        w.u32(cls);
        w.u32(0);
        cstr(w, inline.callee);
      });
    } else {
      const scope = inline.scope === undefined ? 0 : this.#scope(inline.scope);
      id = this.#ipi.add(LF_FUNC_ID, (w) => {
        w.u32(scope);
        w.u32(0);
        cstr(w, inline.callee);
      });
    }
    this.#ids.set(key, id);
    return id;
  }

  #scope(name: string): number {
    let id = this.#scopes.get(name);
    if (id === undefined) {
      id = this.#ipi.add(LF_STRING_ID, (w) => {
        w.u32(0);
        cstr(w, name);
      });
      this.#scopes.set(name, id);
    }
    return id;
  }

  #classType(name: string): number {
    let ti = this.#classes.get(name);
    if (ti === undefined) {
      ti = this.#tpi.add(LF_CLASS, (w) => {
        w.u16(0);
        w.u16(0);
        w.u32(0);
        w.u32(0);
        w.u32(0);
        w.u16(8);
        cstr(w, name);
      });
      this.#classes.set(name, ti);
    }
    return ti;
  }
}

function procKind(kind: ProcSpec['kind']): number {
  switch (kind) {
    case 'lproc':
      return S_LPROC32;
    case 'gproc-id':
      return S_GPROC32_ID;
    case 'lproc-id':
      return S_LPROC32_ID;
    case 'thunk':
      return S_THUNK32;
    default:
      return S_GPROC32;
  }
}

function writeModuleStream(module: ModuleSpec, names: StringTableWriter, ids: InlineeIds): ModuleStream {
  const files = module.files ?? [`${module.name}.c`];
  // File checksum entries: name offset u32, checksum size u8 (0), kind u8 (0), padded to 8.
  const fileIds = files.map((_, i) => i * 8);
  const w = new ByteWriter(4096);
  w.u32(4);
  recordInto(w, S_OBJNAME, (r) => {
    r.u32(0);
    cstr(r, module.name);
  });
  const inlinees = new Map<number, { file: number; line: number }>();

  const writeInline = (inline: InlineSpec, parent: number): void => {
    const id = ids.id(inline);
    inlinees.set(id, { file: fileIds[inline.file ?? 0]!, line: inline.startLine });
    const at = w.length;
    const annotations = inline.annotations ?? encodeAnnotations(inline, fileIds);
    recordInto(w, inline.site2 ? S_INLINESITE2 : S_INLINESITE, (r) => {
      r.u32(parent);
      r.u32(0);
      r.u32(id);
      if (inline.site2) r.u32(1);
      r.bytes(annotations);
    });
    for (const child of inline.inlines ?? []) writeInline(child, at);
    w.patchU32(at + 8, inline.badEnd ?? w.length);
    recordInto(w, S_INLINESITE_END, () => {});
  };

  for (const proc of module.procs ?? []) {
    const kind = procKind(proc.kind);
    const at = w.length;
    if (kind === S_THUNK32) {
      recordInto(w, kind, (r) => {
        r.u32(0);
        r.u32(0);
        r.u32(0);
        r.u32(proc.offset);
        r.u16(proc.section);
        r.u16(proc.size);
        r.u8(0);
        cstr(r, proc.name);
      });
    } else {
      recordInto(w, kind, (r) => {
        r.u32(0);
        r.u32(0);
        r.u32(0);
        r.u32(proc.size);
        r.u32(0);
        r.u32(proc.size);
        r.u32(0);
        r.u32(proc.offset);
        r.u16(proc.section);
        r.u8(0);
        cstr(r, proc.name);
      });
    }
    for (let i = 0; i < (proc.locals ?? 0); i++) {
      recordInto(w, S_LOCAL, (r) => {
        r.u32(0x74);
        r.u16(0);
        cstr(r, `local_${i}`);
      });
    }
    if (proc.rawBody) w.bytes(proc.rawBody);
    let parent = at;
    let blockAt = -1;
    if (proc.block) {
      blockAt = w.length;
      recordInto(w, S_BLOCK32, (r) => {
        r.u32(at);
        r.u32(0);
        r.u32(proc.size);
        r.u32(proc.offset);
        r.u16(proc.section);
        cstr(r, '');
      });
      parent = blockAt;
    }
    for (const inline of proc.inlines ?? []) writeInline(inline, parent);
    if (blockAt >= 0) {
      w.patchU32(blockAt + 8, w.length);
      recordInto(w, S_END, () => {});
    }
    w.patchU32(at + 8, proc.badEnd ?? w.length);
    recordInto(w, kind === S_GPROC32_ID || kind === S_LPROC32_ID ? S_PROC_ID_END : S_END, () => {});
  }
  if (module.rawSymbols) w.bytes(module.rawSymbols);
  const symbolBytes = w.length;

  const c13Start = w.length;
  const subsection = (kind: number, body: (s: ByteWriter) => void): void => {
    const s = new ByteWriter(256);
    body(s);
    const bytes = s.toBytes();
    w.u32(kind);
    w.u32(bytes.length);
    w.bytes(bytes);
    w.align(4);
  };
  subsection(DEBUG_S_FILECHKSMS, (s) => {
    for (const f of files) {
      s.u32(names.add(f));
      s.u8(0);
      s.u8(0);
      s.align(4);
    }
  });
  for (const proc of module.procs ?? []) {
    if (!proc.lines || proc.lines.length === 0) continue;
    const lines = proc.lines;
    subsection(DEBUG_S_LINES, (s) => {
      s.u32(proc.offset);
      s.u16(proc.section);
      s.u16(0);
      s.u32(proc.size);
      // Consecutive entries of one file form a block, as compilers write them.
      for (let i = 0; i < lines.length; ) {
        const file = lines[i]!.file ?? 0;
        let j = i;
        while (j < lines.length && (lines[j]!.file ?? 0) === file) j++;
        s.u32(fileIds[file]!);
        s.u32(j - i);
        s.u32(12 + (j - i) * 8);
        for (let k = i; k < j; k++) {
          s.u32(lines[k]!.offset);
          s.u32((lines[k]!.line & 0xffffff) | 0x80000000);
        }
        i = j;
      }
    });
  }
  if (inlinees.size > 0) {
    subsection(DEBUG_S_INLINEELINES, (s) => {
      s.u32(0);
      for (const [id, start] of inlinees) {
        s.u32(id);
        s.u32(start.file);
        s.u32(start.line);
      }
    });
  }
  const c13Bytes = w.length - c13Start;
  // Global references: none.
  w.u32(0);
  return { bytes: w.toBytes(), symbolBytes, c13Bytes };
}

/** The PDB's bytes. */
export function buildPdb(spec: PdbSpec): Uint8Array {
  const streams: Array<Uint8Array | null> = [];
  const reserve = (): number => streams.push(new Uint8Array(0)) - 1;
  const put = (bytes: Uint8Array): number => streams.push(bytes) - 1;
  // Fixed streams: 0 old directory, 1 PDB info, 2 TPI, 3 DBI, 4 IPI.
  for (let i = 0; i < 5; i++) reserve();

  const names = new StringTableWriter();
  const tpi = new TypeStreamWriter();
  const ipi = new TypeStreamWriter();
  const ids = new InlineeIds(ipi, tpi);
  for (let i = 0; i < (spec.fillerTypes ?? 0); i++) {
    tpi.add(LF_STRUCTURE, (w) => {
      w.u16(1);
      w.u16(0);
      w.u32(0);
      w.u32(0);
      w.u32(0);
      w.u16(4 + (i % 64) * 4);
      cstr(w, `filler::detail::Record${i}<int, filler::Allocator<${i % 97}>>`);
    });
  }

  const moduleStreams = spec.modules.map((m) => (m.noSymbols ? null : writeModuleStream(m, names, ids)));
  const frameDataPrograms = (spec.frameData ?? []).map((f) => names.add(f.program));

  const tpiHashIndex = reserve();
  const ipiHashIndex = reserve();
  const [tpiBytes, tpiHash] = tpi.toStreams(tpiHashIndex, !spec.omit?.typeIndexOffsets);
  const [ipiBytes, ipiHash] = ipi.toStreams(ipiHashIndex, !spec.omit?.typeIndexOffsets);
  streams[2] = tpiBytes;
  streams[4] = ipiBytes;
  streams[tpiHashIndex] = tpiHash;
  streams[ipiHashIndex] = ipiHash;

  // Publics: S_PUB32 records in the symbol record stream, a GSI hash and an address map.
  const symbols = new ByteWriter(4096);
  const pubEntries: Array<{ name: string; offset: number; section: number; sectionOffset: number }> = [];
  for (const p of spec.publics ?? []) {
    const offset = symbols.length;
    recordInto(symbols, S_PUB32, (r) => {
      r.u32(p.function ? 2 : 0);
      r.u32(p.offset);
      r.u16(p.section);
      cstr(r, p.name);
    });
    pubEntries.push({ name: p.name, offset, section: p.section, sectionOffset: p.offset });
  }
  const symbolRecords = put(symbols.toBytes());
  const globals = put(gsiHash([]));
  let publicsStream = 0xffff;
  if (!spec.omit?.publics) {
    const hash = gsiHash(pubEntries);
    const byAddress = [...pubEntries].sort((a, b) => a.section - b.section || a.sectionOffset - b.sectionOffset || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const psi = new ByteWriter(28 + hash.length + byAddress.length * 4);
    psi.u32(hash.length);
    psi.u32(byAddress.length * 4);
    psi.u32(0);
    psi.u32(0);
    psi.u16(0);
    psi.u16(0);
    psi.u32(0);
    psi.u32(0);
    psi.bytes(hash);
    for (const e of byAddress) psi.u32(e.offset);
    publicsStream = put(psi.toBytes());
  }

  const debugStreams = new Array<number>(11).fill(0xffff);
  if (!spec.omit?.sectionHeaders) {
    const sh = new ByteWriter(spec.sections.length * 40);
    for (const s of spec.sections) {
      const name = utf8(s.name).subarray(0, 8);
      sh.bytes(name);
      sh.zeros(8 - name.length);
      sh.u32(s.size);
      sh.u32(s.rva);
      sh.u32((s.size + 511) & ~511);
      sh.u32(0x400);
      sh.u32(0);
      sh.u32(0);
      sh.u16(0);
      sh.u16(0);
      sh.u32(s.characteristics ?? 0x60000020);
    }
    debugStreams[5] = put(sh.toBytes());
  }
  if (spec.fpo && spec.fpo.length > 0) {
    const f = new ByteWriter(spec.fpo.length * 16);
    for (const r of [...spec.fpo].sort((a, b) => a.rva - b.rva)) {
      f.u32(r.rva);
      f.u32(r.codeSize);
      f.u32(r.localsDwords ?? 0);
      f.u16(r.paramsDwords ?? 0);
      f.u16(((r.prolog ?? 0) & 0xff) | (((r.savedRegs ?? 0) & 7) << 8) | (r.useBP ? 1 << 12 : 0));
    }
    debugStreams[0] = put(f.toBytes());
  }
  if (spec.frameData && spec.frameData.length > 0) {
    const f = new ByteWriter(spec.frameData.length * 32);
    const sorted = spec.frameData.map((r, i) => ({ r, program: frameDataPrograms[i]! })).sort((a, b) => a.r.rva - b.r.rva);
    for (const { r, program } of sorted) {
      f.u32(r.rva);
      f.u32(r.codeSize);
      f.u32(r.locals ?? 0);
      f.u32(r.params ?? 0);
      f.u32(r.maxStack ?? 0);
      f.u32(program);
      f.u16(r.prolog ?? 0);
      f.u16(r.savedRegs ?? 0);
      f.u32(r.functionStart ? 4 : 0);
    }
    debugStreams[9] = put(f.toBytes());
  }
  if (spec.omap) {
    const o = new ByteWriter(16);
    o.u32(0x1000);
    o.u32(0x1000);
    debugStreams[3] = put(o.toBytes());
  }

  const moduleStreamIndexes = moduleStreams.map((m) => (m === null ? 0xffff : put(m.bytes)));
  const namesStream = spec.omit?.names ? null : put(names.toBytes());

  // DBI.
  const contributions = spec.modules
    .flatMap((m, module) => (m.contributions ?? (m.procs ?? []).map((p) => ({ section: p.section, offset: p.offset, size: p.size }))).map((c) => ({ ...c, module })))
    .sort((a, b) => a.section - b.section || a.offset - b.offset);
  const contributionBytes = (c: { section: number; offset: number; size: number; module: number } | undefined, w: ByteWriter): void => {
    w.u16(c?.section ?? 0xffff);
    w.u16(0);
    w.u32(c?.offset ?? 0);
    w.u32(c?.size ?? 0xffffffff);
    w.u32(c ? 0x60000020 : 0);
    w.u16(c?.module ?? 0xffff);
    w.u16(0);
    w.u32(0);
    w.u32(0);
  };
  const firstContribution = new Map<number, (typeof contributions)[number]>();
  for (const c of contributions) if (!firstContribution.has(c.module)) firstContribution.set(c.module, c);
  const modInfo = new ByteWriter(spec.modules.length * 128);
  spec.modules.forEach((m, i) => {
    const ms = moduleStreams[i];
    modInfo.u32(0);
    contributionBytes(firstContribution.get(i), modInfo);
    modInfo.u16(0);
    modInfo.u16(moduleStreamIndexes[i]!);
    modInfo.u32(m.symbolBytes ?? ms?.symbolBytes ?? 0);
    modInfo.u32(0);
    modInfo.u32(ms?.c13Bytes ?? 0);
    modInfo.u16(0);
    modInfo.u16(0);
    modInfo.u32(0);
    modInfo.u32(0);
    modInfo.u32(0);
    cstr(modInfo, m.name);
    cstr(modInfo, m.name);
    modInfo.align(4);
  });
  const sc = new ByteWriter(4 + contributions.length * 28);
  sc.u32((0xeffe0000 + 19970605) >>> 0);
  for (const c of contributions) contributionBytes(c, sc);
  const secMap = new ByteWriter(4 + spec.sections.length * 20);
  secMap.u16(spec.sections.length);
  secMap.u16(spec.sections.length);
  spec.sections.forEach((s, i) => {
    secMap.u16(0x010d);
    secMap.u16(0);
    secMap.u16(0);
    secMap.u16(i + 1);
    secMap.u16(0xffff);
    secMap.u16(0xffff);
    secMap.u32(0);
    secMap.u32(s.size);
  });
  const fileInfo = new ByteWriter(4 + spec.modules.length * 4);
  fileInfo.u16(spec.modules.length);
  fileInfo.u16(0);
  for (let i = 0; i < spec.modules.length; i++) fileInfo.u16(0);
  for (let i = 0; i < spec.modules.length; i++) fileInfo.u16(0);
  fileInfo.align(4);
  const ecNames = new StringTableWriter().toBytes();
  const dbgHeader = new ByteWriter(22);
  for (const s of debugStreams) dbgHeader.u16(s);

  const parts = [modInfo.toBytes(), sc.toBytes(), secMap.toBytes(), fileInfo.toBytes(), new Uint8Array(0), ecNames, dbgHeader.toBytes()];
  const dbi = new ByteWriter(64 + parts.reduce((n, p) => n + p.length, 0));
  dbi.u32(0xffffffff);
  dbi.u32(19990903);
  dbi.u32(spec.dbiAge ?? spec.age ?? 1);
  dbi.u16(globals);
  dbi.u16(0x8e00);
  dbi.u16(publicsStream);
  dbi.u16(0);
  dbi.u16(symbolRecords);
  dbi.u16(0);
  dbi.u32(parts[0]!.length);
  dbi.u32(parts[1]!.length);
  dbi.u32(parts[2]!.length);
  dbi.u32(parts[3]!.length);
  dbi.u32(0);
  dbi.u32(0);
  dbi.u32(parts[6]!.length);
  dbi.u32(parts[5]!.length);
  dbi.u16(0);
  dbi.u16(spec.machine ?? MACHINE_AMD64);
  dbi.u32(0);
  for (const p of parts) dbi.bytes(p);
  streams[3] = dbi.toBytes();

  // PDB info: version, signature, age, GUID, named stream map ("/names"), feature VC140.
  const info = new ByteWriter(128);
  info.u32(20000404);
  info.u32(0x5a983200);
  info.u32(spec.age ?? 1);
  info.bytes(spec.guid ?? DEFAULT_GUID);
  const named = namesStream === null ? [] : [['/names', namesStream] as const];
  const nameBuffer = new ByteWriter(16);
  const nameOffsets = named.map(([n]) => {
    const at = nameBuffer.length;
    cstr(nameBuffer, n);
    return at;
  });
  info.u32(nameBuffer.length);
  info.bytes(nameBuffer.toBytes());
  // A hash table keyed by the name's 16-bit hash, linear probing, as readers look names up.
  const capacity = Math.max(1, named.length * 2);
  const buckets = new Array<number>(capacity).fill(-1);
  named.forEach(([n], i) => {
    let b = (hashStringV1(n) & 0xffff) % capacity;
    while (buckets[b] !== -1) b = (b + 1) % capacity;
    buckets[b] = i;
  });
  info.u32(named.length);
  info.u32(capacity);
  info.u32(Math.ceil(capacity / 32));
  for (let word = 0; word < Math.ceil(capacity / 32); word++) {
    let bits = 0;
    for (let bit = 0; bit < 32; bit++) if ((buckets[word * 32 + bit] ?? -1) >= 0) bits |= 1 << bit;
    info.u32(bits >>> 0);
  }
  info.u32(0);
  for (const i of buckets) {
    if (i < 0) continue;
    info.u32(nameOffsets[i]!);
    info.u32(named[i]![1]);
  }
  info.u32(20140508);
  streams[1] = info.toBytes();

  return writeMsf(streams, spec.layout);
}

/** A CodeView record (u16 length, u16 kind, body, padding), for tests that craft raw ones. */
export { record as cvRecord };
