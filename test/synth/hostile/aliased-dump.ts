// Minidumps whose structures point at shared bytes, the trick behind the hostile shapes: many
// MemoryList descriptors over one copy of a PE image (a module table of aliases), many handle
// descriptors naming one MINIDUMP_STRING. A real writer never does this, so MinidumpBuilder
// writes each range and string once per use; this wraps it. The shared bytes go into one
// extra stream (retyped UnusedStream, which readers skip), the aliasing streams are written
// as private raw streams of the right size and retyped afterwards, and their RVAs are filled
// in once the builder has laid the file out.
import { MinidumpBuilder } from '../minidump-builder.ts';
import type { Address, BuilderOptions, BuiltMinidump, ThreadSpec } from '../minidump-builder.ts';
import { HANDLE_DESCRIPTOR_2_SIZE, MEMORY_DESCRIPTOR_SIZE, StreamType, THREAD_SIZE } from '../minidump-format.ts';

// Private stream types, only ever seen by this module: the directory is retyped before use.
const BLOB_STREAM = 0x7f00;
const MEMORY_STREAM = 0x7f01;
const HANDLE_STREAM = 0x7f02;
// Offset of MINIDUMP_THREAD.Stack (after ThreadId, SuspendCount, PriorityClass, Priority, Teb).
const THREAD_STACK_AT = 24;

/** One copy of some bytes in the file; descriptors refer to it by this handle. */
export type BlobId = number;

interface Mapping {
  address: bigint;
  blob: BlobId;
}

interface SharedHandle {
  handle: bigint;
  typeName: BlobId | null;
  objectName: BlobId | null;
}

export interface AliasedBuild {
  bytes: Uint8Array;
  /** File offset of each blob, by id. */
  blobRvas: number[];
  built: BuiltMinidump;
}

const align = (v: number, a: number): number => Math.ceil(v / a) * a;

/** MINIDUMP_STRING bytes (length, UTF-16LE text, terminator) for a blob. */
export function minidumpString(text: string, byteLength?: number): Uint8Array {
  const n = byteLength ?? text.length * 2;
  const out = new Uint8Array(4 + n + 2);
  const view = new DataView(out.buffer);
  view.setUint32(0, n, true);
  for (let i = 0; i < n / 2 && i < text.length; i++) view.setUint16(4 + i * 2, text.charCodeAt(i), true);
  return out;
}

export class AliasedDump {
  /** Add the ordinary parts (system info, modules, exception, threads without stacks) here. */
  readonly builder: MinidumpBuilder;
  readonly #blobs: Uint8Array[] = [];
  readonly #mappings: Mapping[] = [];
  readonly #stacks: { threadIndex: number; address: bigint; blob: BlobId }[] = [];
  readonly #handles: SharedHandle[] = [];
  #threads = 0;

  constructor(options: Omit<BuilderOptions, 'memory' | 'stacksInMemoryList'> = {}) {
    this.builder = new MinidumpBuilder({ ...options, memory: 'list' });
  }

  /** Bytes written once; any number of descriptors may point at them. */
  blob(bytes: Uint8Array): BlobId {
    this.#blobs.push(bytes);
    return this.#blobs.length - 1;
  }

  /** A MemoryList descriptor: `address` maps the whole blob. */
  map(address: Address, blob: BlobId): this {
    this.#mappings.push({ address: BigInt(address), blob });
    return this;
  }

  /**
   * A thread, through this class so its Stack descriptor can point at a blob (also mapped in
   * the MemoryList, as dbghelp lists stacks there too).
   */
  thread(spec: Omit<ThreadSpec, 'stack'>, stack?: { address: Address; bytes: Uint8Array }): this {
    const index = this.#threads++;
    this.builder.thread(spec);
    if (stack) {
      const blob = this.blob(stack.bytes);
      this.map(stack.address, blob);
      this.#stacks.push({ threadIndex: index, address: BigInt(stack.address), blob });
    }
    return this;
  }

  /** A handle descriptor whose names are blobs (MINIDUMP_STRINGs, see minidumpString). */
  handle(handle: Address, typeName: BlobId | null, objectName: BlobId | null): this {
    this.#handles.push({ handle: BigInt(handle), typeName, objectName });
    return this;
  }

  build(): AliasedBuild {
    // The blob container, each blob 16-aligned inside it.
    const offsets: number[] = [];
    let size = 0;
    for (const b of this.#blobs) {
      size = align(size, 16);
      offsets.push(size);
      size += b.length;
    }
    const container = new Uint8Array(Math.max(size, 16));
    this.#blobs.forEach((b, i) => container.set(b, offsets[i]!));
    const b = this.builder;
    b.rawStream(BLOB_STREAM, container);
    const memorySize = 4 + MEMORY_DESCRIPTOR_SIZE * this.#mappings.length;
    if (this.#mappings.length > 0) b.rawStream(MEMORY_STREAM, new Uint8Array(memorySize));
    const handleSize = 16 + HANDLE_DESCRIPTOR_2_SIZE * this.#handles.length;
    if (this.#handles.length > 0) b.rawStream(HANDLE_STREAM, new Uint8Array(handleSize));

    const directory: { type: number; newType: number }[] = [{ type: BLOB_STREAM, newType: StreamType.Unused }];
    if (this.#mappings.length > 0) directory.push({ type: MEMORY_STREAM, newType: StreamType.MemoryList });
    if (this.#handles.length > 0) directory.push({ type: HANDLE_STREAM, newType: StreamType.HandleData });
    const built = b.build({ directory });
    const bytes = built.bytes;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const rvaOf = (type: number): number => {
      const s = built.streams.find((x) => x.type === type);
      if (!s) throw new Error(`stream ${type} was not written`);
      return s.rva;
    };
    const containerRva = rvaOf(BLOB_STREAM);
    const blobRvas = offsets.map((o) => containerRva + o);

    if (this.#mappings.length > 0) {
      let at = rvaOf(MEMORY_STREAM);
      view.setUint32(at, this.#mappings.length, true);
      at += 4;
      for (const m of this.#mappings) {
        view.setBigUint64(at, m.address, true);
        view.setUint32(at + 8, this.#blobs[m.blob]!.length, true);
        view.setUint32(at + 12, blobRvas[m.blob]!, true);
        at += MEMORY_DESCRIPTOR_SIZE;
      }
    }
    if (this.#stacks.length > 0) {
      const list = rvaOf(StreamType.ThreadList);
      for (const s of this.#stacks) {
        const at = list + 4 + s.threadIndex * THREAD_SIZE + THREAD_STACK_AT;
        view.setBigUint64(at, s.address, true);
        view.setUint32(at + 8, this.#blobs[s.blob]!.length, true);
        view.setUint32(at + 12, blobRvas[s.blob]!, true);
      }
    }
    if (this.#handles.length > 0) {
      let at = rvaOf(HANDLE_STREAM);
      view.setUint32(at, 16, true);
      view.setUint32(at + 4, HANDLE_DESCRIPTOR_2_SIZE, true);
      view.setUint32(at + 8, this.#handles.length, true);
      at += 16;
      for (const h of this.#handles) {
        view.setBigUint64(at, h.handle, true);
        view.setUint32(at + 8, h.typeName === null ? 0 : blobRvas[h.typeName]!, true);
        view.setUint32(at + 12, h.objectName === null ? 0 : blobRvas[h.objectName]!, true);
        view.setUint32(at + 24, 1, true); // HandleCount
        view.setUint32(at + 28, 1, true); // PointerCount
        at += HANDLE_DESCRIPTOR_2_SIZE;
      }
    }
    return { bytes, blobRvas, built };
  }
}
