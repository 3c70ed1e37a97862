// Naming an address the way WinDbg does. With a symbol file that matches the module (a PDB or
// a Breakpad .sym): the procedure that holds the address, with its source line, and one more
// name per call inlined there (WinDbg's inline frames); a public symbol when the file has no
// procedure there (a stripped PDB). Without one: the nearest preceding export when the module's
// image is known ("module!Export+0x1d"), else "module+0x34aa0". The module is WinDbg's short
// name (see names/module-names.ts).
//
// A return address is looked up at the byte before it, the call instruction, as debuggers and
// symbolizers do: a call that is the last instruction of a function, or of an inlined range,
// belongs to the code before it. The offset printed stays the return address's own. (The
// lookup itself is SymbolResolver.names, in the code loaded only when there are symbols.)
import { shortModuleName } from '../names/module-names.ts';
import type { CallSite } from '../core/frame-text.ts';
import { hex } from '../core/hex.ts';
import type { SourceLine } from '../symbols/symbol-file.ts';
import type { ModuleLookup } from './types.ts';

export interface AddressName {
  /** WinDbg's short module name, or null when no module holds the address. */
  module: string | null;
  /** The function (or export) the address is named after, or null. */
  symbol: string | null;
  /** From the symbol when there is one, else from the module base; null without a module, and for an inline level. */
  offset: bigint | null;
  /** The source line, when a symbol file gave one. */
  source: SourceLine | null;
  /** True for a call inlined into the next name of the list. */
  inline: boolean;
}

export interface NameOptions {
  /** The address is a return address: look it up at the byte before it. */
  returnAddress?: boolean;
  /** Polled before reading an image or a symbol file; true names by module and offset only (the time budget). */
  shouldStop?: (() => boolean) | undefined;
}

// Threads share return addresses (a pool's threads wait in the same calls, a crash's threads
// run the same loops): each address is named once per module index and kind of address. Names
// are only read by those who get them, never changed.
const namedAddresses = new WeakMap<ModuleLookup, { exact: Map<bigint, Promise<AddressName[]>>; returns: Map<bigint, Promise<AddressName[]>> }>();
const MAX_NAMED_ADDRESSES = 100_000;

/** Every name of the code at `address`, innermost first; the last is the real function. Never empty. */
export function nameFrames(address: bigint, modules: ModuleLookup, options: NameOptions = {}): Promise<AddressName[]> {
  // Out of time, a frame is named by module and offset only: such names are not kept.
  if (options.shouldStop?.()) return nameOnce(address, modules, options);
  let kinds = namedAddresses.get(modules);
  if (!kinds) namedAddresses.set(modules, (kinds = { exact: new Map(), returns: new Map() }));
  const known = options.returnAddress ? kinds.returns : kinds.exact;
  let names = known.get(address);
  if (!names) {
    names = nameOnce(address, modules, options);
    if (known.size < MAX_NAMED_ADDRESSES) known.set(address, names);
  }
  return names;
}

async function nameOnce(address: bigint, modules: ModuleLookup, options: NameOptions): Promise<AddressName[]> {
  const module = modules.moduleAt(address);
  if (!module) return [{ module: null, symbol: null, offset: null, source: null, inline: false }];
  const name = shortModuleName(module.name);
  const rva = address - module.base;
  const bare: AddressName = { module: name, symbol: null, offset: rva, source: null, inline: false };
  if (options.shouldStop?.()) return [bare];

  const named = module.symbolNames ? await module.symbolNames(rva, options.returnAddress ?? false) : null;
  if (named) return named.map((n) => ({ module: name, ...n }));

  const image = await module.image();
  const exported = image ? await image.exportFor(Number(rva)) : null;
  if (exported) return [{ ...bare, symbol: exported.name, offset: BigInt(exported.offset) }];
  return [bare];
}

/** The real function at `address` (the outermost level): the exception record's module!symbol. */
export async function nameAddress(address: bigint, modules: ModuleLookup, options: NameOptions = {}): Promise<AddressName> {
  const names = await nameFrames(address, modules, options);
  return names[names.length - 1]!;
}

/** The name as a call site, for the one formatter (core/frame-text.ts). */
export function callSiteOf(name: AddressName, address: bigint): CallSite {
  return {
    address: hex(address),
    module: name.module,
    symbol: name.symbol,
    offset: name.offset === null ? null : hex(name.offset),
    ...(name.source ? { source: name.source } : {}),
  };
}
