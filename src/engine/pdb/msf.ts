// The MSF 7.0 container a PDB lives in: a superblock, a stream directory, and numbered streams
// whose bytes are scattered over fixed-size blocks. Nothing here reads a stream whole: a stream
// read maps (offset, length) to the blocks it covers, reads only those through a page cache,
// and coalesces blocks that lie next to each other in the file into one read.
//
// Layout (LLVM's "The MSF File Format" and Microsoft's microsoft-pdb msf.cpp describe the same):
//   superblock @0: magic[32], blockSize, freeBlockMapBlock, numBlocks, numDirectoryBytes,
//                  unknown, blockMapAddr
//   block blockMapAddr: the block numbers of the directory
//   directory: numStreams, streamSizes[numStreams], then each stream's block numbers in turn
import type { ByteSource } from '../io/byte-source.ts';
import { HeldCache } from './held-cache.ts';
import { PdbError } from './pdb-error.ts';
import { RecordView } from './record-view.ts';

const MSF7_MAGIC = 'Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0';
// The older format Visual C++ 6 and earlier wrote ("JG" PDBs, PDB 2.0): another container.
const MSF2_MAGIC = 'Microsoft C/C++ program database 2.00\r\n\x1aJG\0\0';
const SUPERBLOCK_BYTES = 56;
/** Streams a directory may list: real PDBs of large products have tens of thousands (one per module). */
export const MAX_STREAMS = 262_144;
/** A stream's block list is read whole when it has at most this many blocks; longer ones by the piece. */
const WHOLE_BLOCK_LIST = 4096;
/** A stream size of 0xFFFFFFFF marks a deleted ("nil") stream. */
const NIL_STREAM = 0xffffffff;

/** Bytes one lookup may still read; `readPages` throws PdbError('too-large') past it. */
export interface ReadMeter {
  used: number;
  limit: number;
}

function startsWith(bytes: Uint8Array, text: string): boolean {
  if (bytes.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

export class MsfFile {
  readonly source: ByteSource;
  readonly blockSize: number;
  readonly numBlocks: number;
  readonly streamCount: number;
  /** Every byte asked of the source since opening. */
  bytesRead = 0;
  /** Set by a lookup for its duration. */
  meter: ReadMeter | null = null;
  /** True when the file is shorter than numBlocks × blockSize says (a cut-short download). */
  readonly shorterThanHeader: boolean;
  readonly #pages: HeldCache<number, Uint8Array>;
  #sizes = new Uint32Array(0);
  #listOffsets = new Float64Array(0);
  #directory: MsfStream | null = null;

  private constructor(source: ByteSource, blockSize: number, numBlocks: number, pageCacheBytes: number) {
    this.source = source;
    this.blockSize = blockSize;
    this.numBlocks = numBlocks;
    this.#pages = new HeldCache(pageCacheBytes);
    this.shorterThanHeader = source.size < numBlocks * blockSize;
    this.streamCount = 0;
  }

  /** Reads the superblock and the stream directory's sizes; rejects with a PdbError. */
  static async open(source: ByteSource, pageCacheBytes: number): Promise<MsfFile> {
    let head: Uint8Array;
    try {
      head = await source.read(0, SUPERBLOCK_BYTES);
    } catch (err) {
      throw new PdbError('io', `cannot read the header: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (startsWith(head, MSF2_MAGIC.slice(0, head.length)) && head.length >= 32) {
      throw new PdbError('unsupported', 'an MSF 2.0 ("JG") program database of Visual C++ 6 or older, which is not read; only PDB 7.0 (MSF 7.0) files are');
    }
    if (!startsWith(head, MSF7_MAGIC)) {
      if (head.length < MSF7_MAGIC.length && startsWith(head, MSF7_MAGIC.slice(0, head.length)) && head.length > 0) {
        throw new PdbError('truncated', `the file ends inside its header (${head.length} bytes)`);
      }
      throw new PdbError('not-a-pdb', 'not a program database (no MSF 7.0 signature)');
    }
    if (head.length < SUPERBLOCK_BYTES) throw new PdbError('truncated', `the file ends inside its header (${head.length} bytes)`);
    const sb = new RecordView(head, 'MSF superblock');
    const blockSize = sb.u32(32);
    const numBlocks = sb.u32(40);
    const numDirectoryBytes = sb.u32(44);
    const blockMapAddr = sb.u32(52);
    // MSF 7.0 uses 512–4096; the "big MSF" of PDBs over 4 GB keeps the layout with larger pages.
    if (blockSize < 512 || blockSize > 32768 || (blockSize & (blockSize - 1)) !== 0) {
      throw new PdbError('corrupt', `block size ${blockSize} is not a power of two from 512 to 32768`);
    }
    if (numBlocks === 0) throw new PdbError('corrupt', 'the superblock says the file has no blocks');
    if (blockMapAddr === 0 || blockMapAddr >= numBlocks) throw new PdbError('corrupt', `directory block map at block ${blockMapAddr} is outside the file's ${numBlocks} blocks`);
    const directoryBlocks = Math.ceil(numDirectoryBytes / blockSize);
    // The directory's block numbers must fit in the one block the superblock points at.
    if (numDirectoryBytes < 4 || directoryBlocks > blockSize / 4) {
      throw new PdbError('corrupt', `stream directory size ${numDirectoryBytes} is impossible for ${blockSize}-byte blocks`);
    }
    const msf = new MsfFile(source, blockSize, numBlocks, pageCacheBytes);
    msf.bytesRead = head.length;
    const [mapPage] = await msf.readPages([blockMapAddr]);
    const map = new RecordView(mapPage!, 'directory block map');
    const dirBlocks = new Uint32Array(directoryBlocks);
    for (let i = 0; i < directoryBlocks; i++) dirBlocks[i] = map.u32(i * 4);
    const directory = new MsfStream(msf, 'stream directory', numDirectoryBytes, null, dirBlocks);
    msf.#directory = directory;
    const count = new RecordView(await directory.read(0, 4), 'stream directory').u32(0);
    if (count > MAX_STREAMS) throw new PdbError('too-large', `the directory lists ${count} streams (at most ${MAX_STREAMS} are read)`);
    if (4 + count * 4 > numDirectoryBytes) throw new PdbError('corrupt', `the directory lists ${count} streams but holds only ${numDirectoryBytes} bytes`);
    const sizesView = new RecordView(await directory.read(4, count * 4), 'stream sizes');
    const sizes = new Uint32Array(count);
    const listOffsets = new Float64Array(count);
    let at = 4 + count * 4;
    const fileBytes = numBlocks * blockSize;
    for (let i = 0; i < count; i++) {
      const size = sizesView.u32(i * 4);
      sizes[i] = size;
      listOffsets[i] = at;
      if (size === NIL_STREAM) continue;
      if (size > fileBytes) throw new PdbError('corrupt', `stream ${i} claims ${size} bytes, more than the file's ${fileBytes}`);
      at += Math.ceil(size / blockSize) * 4;
    }
    if (at > numDirectoryBytes) throw new PdbError('corrupt', `the stream sizes need ${at} directory bytes but the directory has ${numDirectoryBytes}`);
    msf.#sizes = sizes;
    msf.#listOffsets = listOffsets;
    (msf as { streamCount: number }).streamCount = count;
    return msf;
  }

  /** Size of stream `index`, or null when there is no such stream (absent or nil). */
  streamSize(index: number): number | null {
    if (!Number.isInteger(index) || index < 0 || index >= this.#sizes.length) return null;
    const size = this.#sizes[index]!;
    return size === NIL_STREAM ? null : size;
  }

  /** Stream `index`, or null when the directory has no such stream. */
  openStream(index: number, label: string): MsfStream | null {
    const size = this.streamSize(index);
    if (size === null) return null;
    return new MsfStream(this, label, size, this.#listOffsets[index]!, null);
  }

  /** The directory itself, where streams' block lists live. */
  get directory(): MsfStream {
    return this.#directory!;
  }

  /**
   * The bytes of each block in `blocks`, from the page cache or the file. Blocks that lie next to
   * each other in the file are read in one piece; pages are cached one by one.
   */
  async readPages(blocks: ArrayLike<number>): Promise<Uint8Array[]> {
    const bs = this.blockSize;
    const out: Array<Uint8Array | undefined> = new Array(blocks.length);
    const missing: number[] = [];
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i]!;
      if (b >= this.numBlocks) throw new PdbError('corrupt', `a stream points at block ${b}, past the file's ${this.numBlocks} blocks`);
      const page = this.#pages.get(b);
      if (page !== undefined) out[i] = page;
      else missing.push(b);
    }
    if (missing.length > 0) {
      const unique = [...new Set(missing)].sort((a, b) => a - b);
      const got = new Map<number, Uint8Array>();
      for (let r = 0; r < unique.length; ) {
        let end = r + 1;
        while (end < unique.length && unique[end] === unique[end - 1]! + 1) end++;
        const first = unique[r]!;
        const count = end - r;
        const bytes = await this.#readFile(first * bs, count * bs);
        for (let k = 0; k < count; k++) {
          if (bytes.length < (k + 1) * bs) {
            // The last block of a file may be short: that is only damage if a stream needs bytes there.
            if (bytes.length > k * bs && first + k === this.numBlocks - 1) {
              const page = new Uint8Array(bs);
              page.set(bytes.subarray(k * bs));
              got.set(first + k, page);
              continue;
            }
            throw new PdbError('truncated', `block ${first + k} lies past the end of the file (${this.source.size} bytes)`);
          }
          const page = count === 1 ? bytes : bytes.slice(k * bs, (k + 1) * bs);
          got.set(first + k, page);
          this.#pages.set(first + k, page, bs);
        }
        r = end;
      }
      for (let i = 0; i < blocks.length; i++) if (out[i] === undefined) out[i] = got.get(blocks[i]!)!;
    }
    return out as Uint8Array[];
  }

  async #readFile(offset: number, length: number): Promise<Uint8Array> {
    const meter = this.meter;
    if (meter !== null) {
      if (meter.used + length > meter.limit) {
        throw new PdbError('too-large', `the lookup would read more than ${meter.limit} bytes of the file`);
      }
      meter.used += length;
    }
    let bytes: Uint8Array;
    try {
      bytes = await this.source.read(offset, length);
    } catch (err) {
      throw new PdbError('io', `read of ${length} bytes at ${offset} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.bytesRead += bytes.length;
    return bytes;
  }
}

/** One stream: random-access reads that touch only the blocks they cover. */
export class MsfStream {
  readonly size: number;
  /** What the stream holds, for messages ("DBI stream", "module 12 symbols"). */
  readonly label: string;
  readonly #msf: MsfFile;
  /** Where this stream's block numbers start in the directory; null for the directory itself. */
  readonly #listOffset: number | null;
  #blocks: Uint32Array | null;

  constructor(msf: MsfFile, label: string, size: number, listOffset: number | null, blocks: Uint32Array | null) {
    this.#msf = msf;
    this.label = label;
    this.size = size;
    this.#listOffset = listOffset;
    this.#blocks = blocks;
  }

  get blockCount(): number {
    return Math.ceil(this.size / this.#msf.blockSize);
  }

  /** Exactly `length` bytes at `offset`; a range past the stream's end is damage. */
  async read(offset: number, length: number): Promise<Uint8Array> {
    if (!(offset >= 0 && length >= 0 && offset + length <= this.size)) {
      throw new PdbError('corrupt', `${this.label}: a record at ${offset} (+${length}) runs past the stream's ${this.size} bytes`);
    }
    if (length === 0) return new Uint8Array(0);
    const bs = this.#msf.blockSize;
    const first = Math.floor(offset / bs);
    const last = Math.floor((offset + length - 1) / bs);
    const blocks = await this.#blockNumbers(first, last - first + 1);
    const pages = await this.#msf.readPages(blocks);
    const start = offset - first * bs;
    if (pages.length === 1) return pages[0]!.subarray(start, start + length);
    const out = new Uint8Array(length);
    let done = 0;
    for (let i = 0; i < pages.length; i++) {
      const from = i === 0 ? start : 0;
      const take = Math.min(bs - from, length - done);
      out.set(pages[i]!.subarray(from, from + take), done);
      done += take;
    }
    return out;
  }

  async #blockNumbers(first: number, count: number): Promise<ArrayLike<number>> {
    if (this.#blocks !== null) return this.#blocks.subarray(first, first + count);
    const total = this.blockCount;
    const directory = this.#msf.directory;
    if (total <= WHOLE_BLOCK_LIST) {
      const list = new RecordView(await directory.read(this.#listOffset!, total * 4), `${this.label} block list`);
      const blocks = new Uint32Array(total);
      for (let i = 0; i < total; i++) blocks[i] = list.u32(i * 4);
      this.#blocks = blocks;
      return blocks.subarray(first, first + count);
    }
    // A large stream (the TPI of a big product is hundreds of MB): only the piece of its block
    // list this read needs; the directory's pages stay in the page cache.
    const list = new RecordView(await directory.read(this.#listOffset! + first * 4, count * 4), `${this.label} block list`);
    const blocks = new Uint32Array(count);
    for (let i = 0; i < count; i++) blocks[i] = list.u32(i * 4);
    return blocks;
  }
}
