// Naming an address the way WinDbg does without PDBs: "module!Export+0x1d" from the nearest
// preceding export when the module's image is known, else "module+0x34aa0". The module is
// WinDbg's short name (see names/module-names.ts).
import { shortModuleName } from '../names/module-names.ts';
import type { CallSite } from '../core/frame-text.ts';
import { hex } from '../core/hex.ts';
import type { ModuleLookup } from './types.ts';

export interface AddressName {
  /** WinDbg's short module name, or null when no module holds the address. */
  module: string | null;
  /** The export the address is named after, or null. */
  symbol: string | null;
  /** From the export when there is one, else from the module base; null without a module. */
  offset: bigint | null;
}

export async function nameAddress(address: bigint, modules: ModuleLookup): Promise<AddressName> {
  const module = modules.moduleAt(address);
  if (!module) return { module: null, symbol: null, offset: null };
  const name = shortModuleName(module.name);
  const rva = address - module.base;
  const image = await module.image();
  const found = image ? await image.exportFor(Number(rva)) : null;
  if (found) return { module: name, symbol: found.name, offset: BigInt(found.offset) };
  return { module: name, symbol: null, offset: rva };
}

/** The name as a call site, for the one formatter (core/frame-text.ts). */
export function callSiteOf(name: AddressName, address: bigint): CallSite {
  return { address: hex(address), module: name.module, symbol: name.symbol, offset: name.offset === null ? null : hex(name.offset) };
}
