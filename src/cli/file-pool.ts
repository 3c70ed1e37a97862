// Files read through a bounded set of open handles, for the CLI's --images and --symbols: a file
// is opened on its first read, never up front, so a folder of 100,000 DLLs or a symbol store of
// thousands of files costs a listing, not a descriptor each (opening them all ran into EMFILE
// and lost the dump). At most `max` are open at once: the least recently used file nobody is
// reading is closed to open another, and when every open file is being read, a read waits for
// one to end. closeAll() closes them all (after each dump).
import { basename } from 'node:path';
import type { ByteSource } from '../engine/io/byte-source.ts';
import { closeFile, openFile, readFileRange } from '../engine/io/node-file-source.ts';
import { clampRange } from '../engine/io/uint8array-source.ts';
import { DumpError } from '../engine/core/errors.ts';
import { statSync } from './node-fs.ts';

/**
 * One file of the pool. Readers claim it (users) before they await its descriptor, and eviction
 * looks only at files nobody has claimed, deciding with no await in between: so a descriptor is
 * never closed under a read about to use it. A closed descriptor's number is soon another
 * file's, so that read would not fail: it would read the wrong file.
 */
interface OpenFile {
  /** The descriptor, once the file is open. */
  opening: Promise<number>;
  users: number;
  lastUse: number;
}

/** The open files of one process (each worker thread has its own pool), bounded in number. */
export class FilePool {
  readonly #max: number;
  readonly #open = new Map<string, OpenFile>();
  readonly #waiting: (() => void)[] = [];
  #clock = 0;

  constructor(max: number) {
    this.#max = Math.max(1, max);
  }

  /** A ByteSource for `path`, opened on its first read; its size stat'ed when first asked unless given. */
  source(path: string, size?: number): ByteSource {
    return new PooledFileSource(path, this, size);
  }

  /** One ByteSource per file. */
  sources(paths: readonly string[]): ByteSource[] {
    return paths.map((p) => this.source(p));
  }

  get openCount(): number {
    return this.#open.size;
  }

  async use<T>(path: string, fn: (fd: number) => Promise<T>): Promise<T> {
    const { file, fd } = await this.#acquire(path);
    try {
      return await fn(fd);
    } finally {
      file.users--;
      file.lastUse = ++this.#clock;
      this.#waiting.shift()?.();
    }
  }

  async #acquire(path: string): Promise<{ file: OpenFile; fd: number }> {
    for (;;) {
      let file = this.#open.get(path);
      const opener = file === undefined;
      if (file === undefined) {
        // Checked and taken with no await in between, so the bound holds however many read at once.
        if (this.#open.size >= this.#max) {
          // Every open file is being read right now: wait for one read to end.
          if (!(await this.#evictOne())) await new Promise<void>((r) => this.#waiting.push(r));
          continue;
        }
        file = { opening: openFile(path, 'r'), users: 0, lastUse: ++this.#clock };
        this.#open.set(path, file);
      }
      file.users++;
      try {
        return { file, fd: await file.opening };
      } catch (err) {
        file.users--;
        // A failed open must not stay in the pool: the next reader tries again.
        if (this.#open.get(path) === file) this.#open.delete(path);
        if (!opener) continue;
        throw new DumpError('io', `${basename(path)}: cannot open: ${oneLine(err)}`);
      }
    }
  }

  /** Closes the least recently used file nobody has claimed; false when every one is claimed. */
  async #evictOne(): Promise<boolean> {
    let victim: [string, OpenFile] | null = null;
    for (const entry of this.#open) {
      if (entry[1].users > 0) continue;
      if (!victim || entry[1].lastUse < victim[1].lastUse) victim = entry;
    }
    if (!victim) return false;
    this.#open.delete(victim[0]);
    await victim[1].opening.then(closeFile).catch(() => {});
    return true;
  }

  /** Closes every file. */
  async closeAll(): Promise<void> {
    const all = [...this.#open.values()];
    this.#open.clear();
    await Promise.all(all.map((f) => f.opening.then(closeFile).catch(() => {})));
  }
}

class PooledFileSource implements ByteSource {
  readonly name: string;
  readonly #path: string;
  readonly #pool: FilePool;
  #size: number | null;

  constructor(path: string, pool: FilePool, size?: number) {
    this.#path = path;
    this.name = basename(path);
    this.#pool = pool;
    this.#size = size ?? null;
  }

  /** Asked only of a file the engine wants (its name matched a module); a stat needs no descriptor. */
  get size(): number {
    if (this.#size === null) {
      try {
        this.#size = statSync(this.#path).size;
      } catch {
        this.#size = 0;
      }
    }
    return this.#size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const [start, end] = clampRange(offset, length, this.size);
    if (end === start) return new Uint8Array(0);
    return this.#pool.use(this.#path, (h) => readFileRange(h, this.name, start, new Uint8Array(end - start)));
  }
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
