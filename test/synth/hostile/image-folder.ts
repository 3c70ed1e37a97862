// An --images folder with more module files than a process may hold open (F7 of issue 15): the
// CLI opened every file before reading the dump, so past the descriptor limit (often 1,024) the
// dump was not analysed at all. Each file is the two bytes "MZ", a module file in name only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ImageFolderOptions {
  /** Files. Default 70,000 (the probe's). */
  files?: number;
  /** Bytes of each file. Default "MZ". */
  bytes?: Uint8Array;
}

/** Writes the files into `dir` (created if needed); returns their names. */
export function writeImageFolder(dir: string, options: ImageFolderOptions = {}): string[] {
  const files = options.files ?? 70_000;
  const bytes = options.bytes ?? Uint8Array.from([0x4d, 0x5a]);
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (let i = 0; i < files; i++) {
    const name = `m${i}.dll`;
    writeFileSync(join(dir, name), bytes);
    names.push(name);
  }
  return names;
}
