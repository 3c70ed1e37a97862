// Opening corpus fixtures, and a ByteSource that counts what is read from it.
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import type { ByteSource } from '../../../../src/engine/io/byte-source.ts';
import { NodeFileSource } from '../../../../src/engine/io/node-file-source.ts';
import { Uint8ArraySource } from '../../../../src/engine/io/uint8array-source.ts';

export const CORPUS = fileURLToPath(new URL('../../../../fixtures/corpus/', import.meta.url));

export function corpusPath(rel: string): string {
  return `${CORPUS}${rel}`;
}

/** The fixture's bytes in memory (fixtures are small). */
export function corpusSource(rel: string): Uint8ArraySource {
  return new Uint8ArraySource(new Uint8Array(readFileSync(corpusPath(rel))), rel.split('/').pop());
}

export function corpusText(rel: string): string {
  return readFileSync(corpusPath(rel), 'utf8');
}

export function openCorpusFile(rel: string): Promise<NodeFileSource> {
  return NodeFileSource.open(corpusPath(rel));
}

export class CountingSource implements ByteSource {
  readonly inner: ByteSource;
  bytesRead = 0;
  reads = 0;
  constructor(inner: ByteSource) {
    this.inner = inner;
  }
  get size(): number {
    return this.inner.size;
  }
  get name(): string {
    return this.inner.name;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const out = await this.inner.read(offset, length);
    this.reads++;
    this.bytesRead += out.length;
    return out;
  }
}
