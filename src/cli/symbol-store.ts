// `--symbols` for the CLI: a list like _NT_SYMBOL_PATH (entries separated by ';', the option
// repeatable) of symbol files and folders. A file is given to the engine outright (it reads the
// file's identity and uses it for the module it belongs to); a folder is searched, plain or in
// symbol-store layout (src/engine/symbols/store-layout.ts), only for the modules a stack
// reaches and only at the paths those modules' identities name — nothing is listed or read in
// bulk. Symbol-server entries (`srv*C:\cache*https://…`) contribute their local folders; URLs
// are left out: the CLI reads local paths only.
//
// Files are opened when the engine first reads them, and at most MAX_OPEN_HANDLES at once (the
// least recently used is closed and reopened on its next read), so a store of thousands of
// files cannot exhaust the process's file descriptors.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DumpError } from '../engine/core/errors.ts';
import type { ByteSource } from '../engine/io/byte-source.ts';
import type { SymbolLocator, SymbolRequest } from '../engine/symbols/symbol-locator.ts';
import { storeCandidates } from '../engine/symbols/store-layout.ts';

/** File handles held open at once, all symbol files together. */
export const MAX_OPEN_HANDLES = 32;

export interface SymbolPath {
  /** Local files and folders, in the order given. */
  entries: string[];
  /** Entries left out (URLs, a symbol server's DLL), to tell the user. */
  ignored: string[];
}

/** Splits `--symbols` values ("a;b", "srv*C:\\cache*https://…") into local paths. */
export function parseSymbolPath(values: readonly string[]): SymbolPath {
  const entries: string[] = [];
  const ignored: string[] = [];
  for (const value of values) {
    for (const raw of value.split(';')) {
      const entry = raw.trim();
      if (entry === '') continue;
      const parts = /^(srv|symsrv|cache)\*/i.test(entry) ? entry.split('*').slice(1) : [entry];
      for (const part of parts) {
        if (part === '') continue;
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(part) || /\.dll$/i.test(part)) ignored.push(part);
        else if (!entries.includes(part)) entries.push(part);
      }
    }
  }
  return { entries, ignored };
}

/** A file read through a handle that is opened on first read and may be closed between reads. */
class LazyFileSource implements ByteSource {
  readonly size: number;
  readonly name: string;
  readonly path: string;
  readonly #pool: HandlePool;
  handle: FileHandle | null = null;
  /** Reads in flight: a handle in use is never closed under them. */
  busy = 0;

  constructor(path: string, size: number, pool: HandlePool) {
    this.path = path;
    this.size = size;
    this.name = basename(path);
    this.#pool = pool;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const start = Math.max(0, Math.min(offset, this.size));
    const end = Math.max(start, Math.min(this.size, offset + Math.max(0, length)));
    const out = new Uint8Array(end - start);
    const handle = await this.#pool.acquire(this);
    this.busy++;
    let done = 0;
    try {
      while (done < out.length) {
        const { bytesRead } = await handle.read(out, done, out.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    } catch (err) {
      throw new DumpError('io', `${this.name}: read failed at ${start + done}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    } finally {
      this.busy--;
    }
    return done === out.length ? out : out.subarray(0, done);
  }
}

class HandlePool {
  readonly #open: LazyFileSource[] = [];

  get size(): number {
    return this.#open.length;
  }

  async acquire(file: LazyFileSource): Promise<FileHandle> {
    const at = this.#open.indexOf(file);
    if (at >= 0) {
      this.#open.splice(at, 1);
      this.#open.push(file);
      return file.handle!;
    }
    if (this.#open.length >= MAX_OPEN_HANDLES) {
      const idle = this.#open.findIndex((f) => f.busy === 0);
      if (idle >= 0) {
        const [oldest] = this.#open.splice(idle, 1);
        const handle = oldest!.handle;
        oldest!.handle = null;
        await handle?.close();
      }
    }
    try {
      file.handle = await open(file.path, 'r');
    } catch (err) {
      throw new DumpError('io', `${file.name}: cannot open: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
    this.#open.push(file);
    return file.handle;
  }

  async closeAll(): Promise<void> {
    const all = this.#open.splice(0);
    await Promise.all(all.map(async (f) => {
      const handle = f.handle;
      f.handle = null;
      await handle?.close();
    }));
  }
}

/** The files and folders of `--symbols`: files for the engine to match, folders to search on demand. */
export class SymbolStore implements SymbolLocator {
  /** Symbol files named outright. */
  readonly files: ByteSource[] = [];
  /** Folders searched per module. */
  readonly folders: string[] = [];
  /** Entries that do not exist or cannot be read, for a one-line note each. */
  readonly missing: string[] = [];
  readonly #pool = new HandlePool();
  readonly #byPath = new Map<string, LazyFileSource>();

  static async open(entries: readonly string[]): Promise<SymbolStore> {
    const store = new SymbolStore();
    for (const entry of entries) {
      const info = await stat(entry).catch(() => null);
      if (info?.isDirectory()) store.folders.push(entry);
      else if (info?.isFile()) store.files.push(store.#source(entry, info.size));
      else store.missing.push(entry);
    }
    return store;
  }

  async find(request: SymbolRequest): Promise<ByteSource[]> {
    const found: ByteSource[] = [];
    const names = storeCandidates(request);
    // Folder names written on Windows may differ in case from the PDB name the image records.
    const paths = [...names, ...names.map((n) => n.toLowerCase()).filter((n) => !names.includes(n))];
    for (const folder of this.folders) {
      for (const relative of paths) {
        const path = join(folder, ...relative.split('/'));
        const info = await stat(path).catch(() => null);
        if (info?.isFile()) found.push(this.#source(path, info.size));
      }
    }
    return found;
  }

  /** File handles open now (at most MAX_OPEN_HANDLES while no read is in flight). */
  get openHandles(): number {
    return this.#pool.size;
  }

  async close(): Promise<void> {
    await this.#pool.closeAll();
  }

  #source(path: string, size: number): LazyFileSource {
    let source = this.#byPath.get(path);
    if (!source) {
      source = new LazyFileSource(path, size, this.#pool);
      this.#byPath.set(path, source);
    }
    return source;
  }
}
