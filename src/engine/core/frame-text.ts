// A frame's call site as WinDbg prints it: "module!symbol+0x1c", "module+0x34aa0", or the bare
// address outside any module; with a source line, "module!symbol+0x1c [C:\src\order.c @ 15]".
// The one formatter the text report, the page, the detectors' summaries and the unwinder's
// names share.
import type { Hex } from './hex.ts';

export interface CallSite {
  address: Hex;
  /** WinDbg's short module name, or null when no module holds the address. */
  module: string | null;
  symbol: string | null;
  /** From the symbol, else from the module base; null when unknown. */
  offset: Hex | null;
  /** The source line a symbol file gave, when it gave one. */
  source?: { file: string; line: number } | undefined;
}

export function frameText(site: CallSite): string {
  // WinDbg prints no "+0x0" for an address at the very start of a symbol or module.
  const offset = site.offset && site.offset !== '0x0' ? `+${site.offset}` : '';
  if (site.module && site.symbol) return `${site.module}!${site.symbol}${offset}`;
  if (site.module) return `${site.module}${offset}`;
  return site.address;
}

/** The call site and its source line as `kn` prints them with line numbers on: "… [file @ 15]". */
export function frameTextWithSource(site: CallSite): string {
  const text = frameText(site);
  return site.source ? `${text} [${site.source.file} @ ${site.source.line}]` : text;
}

/** "order.c:15": the file's last path element and the line, for a sentence or an evidence note. */
export function shortSourceText(source: { file: string; line: number }): string {
  const cut = Math.max(source.file.lastIndexOf('/'), source.file.lastIndexOf('\\'));
  return `${source.file.slice(cut + 1)}:${source.line}`;
}

/** "C:\src\order.c:15": the whole path and the line, the form editors open. */
export function sourceText(source: { file: string; line: number }): string {
  return `${source.file}:${source.line}`;
}
