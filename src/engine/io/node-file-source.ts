// A ByteSource over a file on disk for the CLI and tests, and the read loop the CLI's pooled
// files share. The one engine file allowed to import `node:` modules: everything else must also
// run in a browser Web Worker.
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteSource } from './byte-source.ts';
import { DumpError } from '../core/errors.ts';
import { clampRange } from './uint8array-source.ts';

export class NodeFileSource implements ByteSource {
  readonly size: number;
  readonly name: string;
  #handle: FileHandle | null;

  private constructor(handle: FileHandle, size: number, name: string) {
    this.#handle = handle;
    this.size = size;
    this.name = name;
  }

  /** Opens `path` read-only. Call close() when done; the handle is not closed by the GC. */
  static async open(path: string): Promise<NodeFileSource> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      throw new DumpError('io', `${basename(path)}: cannot open: ${oneLine(err)}`);
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new DumpError('io', `${basename(path)}: not a regular file`);
      return new NodeFileSource(handle, stat.size, basename(path));
    } catch (err) {
      await handle.close();
      if (err instanceof DumpError) throw err;
      throw new DumpError('io', `${basename(path)}: cannot stat: ${oneLine(err)}`);
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const handle = this.#handle;
    if (handle === null) throw new DumpError('io', `${this.name}: read after close`);
    const [start, end] = clampRange(offset, length, this.size);
    return readFileRange(handle, this.name, start, new Uint8Array(end - start));
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    if (handle !== null) await handle.close();
  }
}

/**
 * Fills `out` from the file at `start` and returns it, or the part read when the file ends
 * early (it shrank since it was opened). read() may return fewer bytes than asked (pipes,
 * network file systems), so it loops until the range is filled.
 */
export async function readFileRange(handle: FileHandle, name: string, start: number, out: Uint8Array): Promise<Uint8Array> {
  let done = 0;
  try {
    while (done < out.length) {
      const { bytesRead } = await handle.read(out, done, out.length - done, start + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
  } catch (err) {
    throw new DumpError('io', `${name}: read failed at ${start + done}: ${oneLine(err)}`);
  }
  return done === out.length ? out : out.subarray(0, done);
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
