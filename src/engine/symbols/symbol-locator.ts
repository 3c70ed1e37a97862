// How the engine asks for a module's symbol files without knowing where files live: a shell
// implements this over what it can reach (the CLI: folders and symbol stores on disk, probed
// only for the modules a stack needs; the page: the files the reader dropped). The engine opens
// what it is given and checks the identity itself, so a locator may offer candidates freely.
import type { ByteSource } from '../io/byte-source.ts';
import type { SymbolRequest } from './store-layout.ts';

export interface SymbolLocator {
  /** Candidate files for one module, most likely first; [] when there is none. Never throws for a missing file. */
  find(request: SymbolRequest): Promise<ByteSource[]>;
}

export type { SymbolRequest } from './store-layout.ts';
