// Module images given with --images: listed once, opened lazily. The engine matches a file to
// a loaded module by name and reads only the files of modules it needs, so each is read through
// a FilePool (file-pool.ts) of at most MAX_OPEN_IMAGES open files, opened on its first read and
// closed after each dump.
import { readdir, stat } from './node-fs.ts';
import { basename, join } from 'node:path';
import { DumpError } from '../engine/core/errors.ts';

/** Image files open at once, per process (each worker thread has its own FilePool). */
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

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
