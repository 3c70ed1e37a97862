// Opening corpus fixtures: their paths, bytes, text, or a file source over them.
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
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
