// Trouble met in one .sym file, each a one-line warning, each said once. A file full of garbage
// would otherwise say the same thing a million times: past MAX_WARNINGS one last warning says
// more were dropped.
import type { SymbolWarning } from '../symbols/symbol-file.ts';

export const MAX_WARNINGS = 50;

export class SymWarnings {
  readonly list: SymbolWarning[] = [];
  readonly #seen = new Set<string>();
  #dropped = false;

  add(kind: SymbolWarning['kind'], message: string): void {
    if (this.#seen.has(message)) return;
    if (this.list.length >= MAX_WARNINGS) {
      if (!this.#dropped) {
        this.#dropped = true;
        this.list.push({ kind: 'symbols-partial', message: `further warnings about this symbol file were dropped after ${MAX_WARNINGS}` });
      }
      return;
    }
    this.#seen.add(message);
    this.list.push({ kind, message });
  }
}
