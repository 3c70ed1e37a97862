// `--symbols` for the CLI: a list like _NT_SYMBOL_PATH (entries separated by ';', the option
// repeatable) of symbol files and folders. A file is given to the engine outright (it reads the
// file's identity and uses it for the module it belongs to); a folder is searched, plain or in
// symbol-store layout (src/engine/symbols/store-layout.ts), only for the modules a stack
// reaches and only at the paths those modules' identities name — nothing is listed or read in
// bulk. Symbol-server entries (`srv*C:\cache*https://…`) contribute their local folders; URLs
// are left out: the CLI reads local paths only.
//
// Files are opened when the engine first reads them, through a FilePool (file-pool.ts) of at
// most MAX_OPEN_HANDLES open files, so a store of thousands of files cannot exhaust the
// process's file descriptors.
import { stat } from './node-fs.ts';
import { join } from 'node:path';
import type { ByteSource } from '../engine/io/byte-source.ts';
import { FilePool } from './file-pool.ts';
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

/** The files and folders of `--symbols`: files for the engine to match, folders to search on demand. */
export class SymbolStore implements SymbolLocator {
  /** Symbol files named outright. */
  readonly files: ByteSource[] = [];
  /** Folders searched per module. */
  readonly folders: string[] = [];
  /** Entries that do not exist or cannot be read, for a one-line note each. */
  readonly missing: string[] = [];
  readonly #pool = new FilePool(MAX_OPEN_HANDLES);
  readonly #byPath = new Map<string, ByteSource>();

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

  /** File handles open now (at most MAX_OPEN_HANDLES). */
  get openHandles(): number {
    return this.#pool.openCount;
  }

  async close(): Promise<void> {
    await this.#pool.closeAll();
  }

  #source(path: string, size: number): ByteSource {
    let source = this.#byPath.get(path);
    if (!source) {
      source = this.#pool.source(path, size);
      this.#byPath.set(path, source);
    }
    return source;
  }
}
