// A frame's call site as WinDbg prints it: "module!symbol+0x1c", "module+0x34aa0", or the bare
// address outside any module. The one formatter the text report, the page, the detectors'
// summaries and the unwinder's names share.
import type { Hex } from './hex.ts';

export interface CallSite {
  address: Hex;
  /** WinDbg's short module name, or null when no module holds the address. */
  module: string | null;
  symbol: string | null;
  /** From the symbol, else from the module base; null when unknown. */
  offset: Hex | null;
}

export function frameText(site: CallSite): string {
  // WinDbg prints no "+0x0" for an address at the very start of a symbol or module.
  const offset = site.offset && site.offset !== '0x0' ? `+${site.offset}` : '';
  if (site.module && site.symbol) return `${site.module}!${site.symbol}${offset}`;
  if (site.module) return `${site.module}${offset}`;
  return site.address;
}
