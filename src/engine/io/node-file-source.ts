// A ByteSource over a file on disk for the CLI and tests, and the read loop the CLI's pooled
// files share. The one engine file allowed to import `node:` modules: everything else must also
// run in a browser Web Worker.
import { basename } from 'node:path';
import type { ByteSource } from './byte-source.ts';
import { DumpError } from '../core/errors.ts';
import { clampRange } from './uint8array-source.ts';

// node:fs's callback API, promisified, and taken with getBuiltinModule rather than imported: an
// ES import of node:fs or node:util evaluates every lazy export they have (node:fs/promises with
// Node's streams and readline, node:util's worker_threads), ~13 ms of every CLI start here.
const { close, fstat, open, read } = process.getBuiltinModule('node:fs');
const { promisify } = process.getBuiltinModule('node:util');

/** Opening and closing a file descriptor, for the CLI's other readers of files. */
export const openFile = promisify(open);
export const closeFile = promisify(close);
const statFile = promisify(fstat);
const readFile = promisify(read);

export class NodeFileSource implements ByteSource {
  readonly size: number;
  readonly name: string;
  #fd: number | null;

  private constructor(fd: number, size: number, name: string) {
    this.#fd = fd;
    this.size = size;
    this.name = name;
  }

  /** Opens `path` read-only. Call close() when done; the handle is not closed by the GC. */
  static async open(path: string): Promise<NodeFileSource> {
    let fd: number;
    try {
      fd = await openFile(path, 'r');
    } catch (err) {
      throw new DumpError('io', `${basename(path)}: cannot open: ${oneLine(err)}`);
    }
    try {
      const stat = await statFile(fd);
      if (!stat.isFile()) throw new DumpError('io', `${basename(path)}: not a regular file`);
      return new NodeFileSource(fd, stat.size, basename(path));
    } catch (err) {
      await closeFile(fd);
      if (err instanceof DumpError) throw err;
      throw new DumpError('io', `${basename(path)}: cannot stat: ${oneLine(err)}`);
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const fd = this.#fd;
    if (fd === null) throw new DumpError('io', `${this.name}: read after close`);
    const [start, end] = clampRange(offset, length, this.size);
    return readFileRange(fd, this.name, start, new Uint8Array(end - start));
  }

  async close(): Promise<void> {
    const fd = this.#fd;
    this.#fd = null;
    if (fd !== null) await closeFile(fd);
  }
}

/**
 * Fills `out` from the file at `start` and returns it, or the part read when the file ends
 * early (it shrank since it was opened). read() may return fewer bytes than asked (pipes,
 * network file systems), so it loops until the range is filled.
 */
export async function readFileRange(fd: number, name: string, start: number, out: Uint8Array): Promise<Uint8Array> {
  let done = 0;
  try {
    while (done < out.length) {
      const { bytesRead } = await readFile(fd, out, done, out.length - done, start + done);
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
