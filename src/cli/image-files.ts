// Module images given with --images: listed once, opened lazily. The engine matches a file to
// a loaded module by name and reads only the files of modules it needs, so a file is opened on
// its first read, never up front: a folder of 100,000 DLLs costs a directory listing, not
// 100,000 file descriptors (opening them all ran into EMFILE and lost the dump). At most
// MAX_OPEN_IMAGES are open at once (the least recently used is closed to open another), and
// all are closed after each dump.
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ByteSource } from '../engine/io/byte-source.ts';
import { DumpError } from '../engine/core/errors.ts';

/** Image files open at once, per process (each worker thread has its own pool). */
export const MAX_OPEN_IMAGES = 32;
/** Image files one run lists; more is a mistake (a whole system folder), not a program. */
export const MAX_IMAGE_FILES = 200_000;

const IMAGE_FILE = /\.(exe|dll|sys|ocx|drv|cpl|efi|scr)$/i;

/**
 * The files `--images` names, in order: a file as given, a folder's image files (not its
 * subfolders, like a symbol path's plain folders). When two have one name, the first wins, as
 * in a search path. A path that does not exist is an error: the user meant something else.
 */
export async function listImageFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const names = new Set<string>();
  const add = (path: string): void => {
    const key = basename(path).toLowerCase();
    if (names.has(key)) return;
    if (out.length >= MAX_IMAGE_FILES) throw new DumpError('io', `--images lists more than ${MAX_IMAGE_FILES} files; name the program's own folder`);
    names.add(key);
    out.push(path);
  };
  for (const p of paths) {
    let s;
    try {
      s = await stat(p);
    } catch (err) {
      throw new DumpError('io', `--images ${p}: cannot open: ${oneLine(err)}`);
    }
    if (s.isDirectory()) {
      let entries: string[];
      try {
        entries = await readdir(p);
      } catch (err) {
        throw new DumpError('io', `--images ${p}: cannot list: ${oneLine(err)}`);
      }
      for (const n of entries.filter((e) => IMAGE_FILE.test(e)).sort()) add(join(p, n));
    } else add(p);
  }
  return out;
}

interface OpenFile {
  handle: FileHandle;
  users: number;
  lastUse: number;
}

/** The open image files of one process, bounded in number. */
export class ImageFilePool {
  readonly #max: number;
  readonly #open = new Map<string, Promise<OpenFile>>();
  readonly #waiting: (() => void)[] = [];
  #clock = 0;

  constructor(max = MAX_OPEN_IMAGES) {
    this.#max = Math.max(1, max);
  }

  /** One ByteSource per file, opened on first read. */
  sources(paths: readonly string[]): ByteSource[] {
    return paths.map((p) => new LazyImageSource(p, this));
  }

  get openCount(): number {
    return this.#open.size;
  }

  async use<T>(path: string, fn: (h: FileHandle) => Promise<T>): Promise<T> {
    const file = await this.#acquire(path);
    try {
      return await fn(file.handle);
    } finally {
      file.users--;
      file.lastUse = ++this.#clock;
      this.#waiting.shift()?.();
    }
  }

  async #acquire(path: string): Promise<OpenFile> {
    for (;;) {
      const existing = this.#open.get(path);
      if (existing) {
        const f = await existing.catch(() => null);
        if (!f) continue;
        f.users++;
        return f;
      }
      // Checked and taken with no await in between, so the bound holds however many read at once.
      if (this.#open.size < this.#max) break;
      // Every open file is being read right now: wait for one read to end.
      if (!(await this.#evictOne())) await new Promise<void>((r) => this.#waiting.push(r));
    }
    const opening = open(path, 'r').then((handle) => ({ handle, users: 0, lastUse: ++this.#clock }));
    this.#open.set(path, opening);
    try {
      const f = await opening;
      f.users++;
      return f;
    } catch (err) {
      this.#open.delete(path);
      throw new DumpError('io', `${basename(path)}: cannot open: ${oneLine(err)}`);
    }
  }

  /** Closes the least recently used file nobody is reading; false when all are in use. */
  async #evictOne(): Promise<boolean> {
    let victim: [string, OpenFile] | null = null;
    for (const [path, p] of this.#open) {
      const f = await p.catch(() => null);
      if (!f || f.users > 0) continue;
      if (!victim || f.lastUse < victim[1].lastUse) victim = [path, f];
    }
    if (!victim) return false;
    this.#open.delete(victim[0]);
    await victim[1].handle.close().catch(() => {});
    return true;
  }

  /** Closes every file (after each dump). */
  async closeAll(): Promise<void> {
    const all = [...this.#open.values()];
    this.#open.clear();
    await Promise.all(all.map((p) => p.then((f) => f.handle.close()).catch(() => {})));
  }
}

class LazyImageSource implements ByteSource {
  readonly name: string;
  readonly #path: string;
  readonly #pool: ImageFilePool;
  #size: number | null = null;

  constructor(path: string, pool: ImageFilePool) {
    this.#path = path;
    this.name = basename(path);
    this.#pool = pool;
  }

  /** Asked only of a file whose name matched a module; a stat needs no descriptor. */
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
    const size = this.size;
    const start = Math.max(0, Math.min(offset, size));
    const end = Math.max(start, Math.min(size, offset + Math.max(0, length)));
    const out = new Uint8Array(end - start);
    if (out.length === 0) return out;
    return this.#pool.use(this.#path, async (h) => {
      let done = 0;
      try {
        while (done < out.length) {
          const { bytesRead } = await h.read(out, done, out.length - done, start + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
      } catch (err) {
        throw new DumpError('io', `${this.name}: read failed at ${start + done}: ${oneLine(err)}`);
      }
      return done === out.length ? out : out.subarray(0, done);
    });
  }
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
