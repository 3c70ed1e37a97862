// A stack as read → the model's frames. `k` prints each frame's return address, not its own
// instruction pointer, so frame N's address is frame N-1's return address; frame 0's must be
// recovered from elsewhere in the log: LAST_CONTROL_TRANSFER, the exception record, the event
// line, an instruction printed under a symbol label, lm's base plus the offset, or a register
// dump of the same context.
import { hex } from '../core/hex.ts';
import type { Frame } from '../core/dump-model.ts';
import { parseControlTransfer } from './analyze-v.ts';
import { chosenStop } from './event-stops.ts';
import { labelModuleSymbol } from './exception-line.ts';
import { parseCallSite } from './frame-line.ts';
import type { View } from './prompt.ts';
import type { ReaderState } from './reader-state.ts';
import { pcAndSp } from './registers.ts';
import type { StackLine } from './stack-line.ts';

/** "<Unloaded_PrintHook.dll>": WinDbg's name for code of a module that was unloaded. */
export const UNLOADED = /^<Unloaded_(.+)>$/;

function siteKey(module: string | null, symbol: string | null, offset: bigint | null): string | null {
  if (!module || offset === null) return null;
  return `${module}!${symbol ?? ''}+${offset.toString(16)}`.toLowerCase();
}

/** Known instruction pointers, keyed by "module!symbol+off", for frames whose IP k does not print. */
function knownIps(s: ReaderState): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const stop = chosenStop(s);
  if (stop && stop.record.address !== null && stop.record.site) {
    const k = siteKey(stop.record.site.module, stop.record.site.symbol, stop.record.site.offset);
    if (k) out.set(k, stop.record.address);
  }
  const ip = stop?.eventIp;
  if (ip?.label) {
    const off = /\+(0x[0-9a-f]+)$/i.exec(ip.label);
    const { module, symbol } = labelModuleSymbol(ip.label);
    const k = siteKey(module, symbol, off ? BigInt(off[1]!) : 0n);
    if (k) out.set(k, ip.address);
  }
  for (const [label, address] of s.exception.labelled) {
    const site = parseCallSite(label);
    const k = site ? siteKey(site.module, site.symbol, site.offset) : null;
    if (k && !out.has(k)) out.set(k, address);
  }
  return out;
}

export interface FrameContext {
  transfers: Array<{ from: bigint; to: bigint }>;
  ips: Map<string, bigint>;
  /** Module bases by WinDbg's module name (lower case), from lm. */
  bases: Map<string, bigint>;
  /** Unloaded modules' bases by file name (lower case), from lm's unloaded list. */
  unloadedBases: Map<string, bigint>;
  /** The thread's own registers in this view, when a register dump showed them. */
  regs: Map<string, bigint> | null;
}

/** What every thread's frames of one view recover addresses from; each thread adds its registers. */
export type SharedFrameContext = Omit<FrameContext, 'regs'>;

/**
 * The log-wide sources of frame-0 addresses, per view: a control transfer printed by an
 * analysis of the x86 view names an x86 frame, never a native one.
 */
export function sharedFrameContexts(s: ReaderState): Record<View, SharedFrameContext> {
  const ips = knownIps(s);
  const transfers = (view: View) =>
    s.analyze.blocks
      .filter((a) => a.view === view)
      .map((a) => (a.block.annotations['LAST_CONTROL_TRANSFER'] ? parseControlTransfer(a.block.annotations['LAST_CONTROL_TRANSFER']) : null))
      .filter((x): x is { from: bigint; to: bigint } => x !== null);
  const bases = new Map<string, bigint>();
  for (const r of s.modules.rows) if (!bases.has(r.name.toLowerCase())) bases.set(r.name.toLowerCase(), r.start);
  const unloadedBases = new Map<string, bigint>();
  for (const r of s.modules.unloaded) unloadedBases.set(r.name.toLowerCase(), r.start);
  return {
    native: { transfers: transfers('native'), ips, bases, unloadedBases },
    x86: { transfers: transfers('x86'), ips, bases, unloadedBases },
  };
}

export function toFrames(lines: StackLine[], ctx: FrameContext, layout: 'x64' | 'x86'): Frame[] {
  let lastRet: bigint | null = null;
  return lines.map((l, index) => {
    const f = l.frame;
    let cs = f.callSite;
    const notes: string[] = [];
    // Code of an unloaded module is in no module now: say which one it was, keep no module name.
    const unloaded = cs.module ? UNLOADED.exec(cs.module) : null;
    if (unloaded) {
      const base = ctx.unloadedBases.get(unloaded[1]!.toLowerCase());
      cs = { module: null, symbol: null, offset: cs.offset, address: base !== undefined && cs.offset !== null && cs.address === null && index === 0 ? base + cs.offset : cs.address };
      notes.push(`in the unloaded module ${unloaded[1]}`);
    }
    let address: bigint | null = cs.address ?? lastRet;
    if (address === null) {
      // Frame 0's own IP is not in k's columns. LAST_CONTROL_TRANSFER "from R to I" names it
      // when this frame returns to R; the exception record, the event line or a symbol label
      // name it by symbol; "module+0x1a46" with lm's base is exact.
      const t = f.retAddr !== null ? ctx.transfers.find((x) => x.from === f.retAddr) : undefined;
      address = t?.to ?? ctx.ips.get(siteKey(cs.module, cs.symbol, cs.offset) ?? '') ?? null;
      if (address === null && cs.module && cs.symbol === null && cs.offset !== null) {
        const base = ctx.bases.get(cs.module.toLowerCase());
        if (base !== undefined) address = base + cs.offset;
      }
      // A register dump of the same context: its stack pointer is frame 0's Child-SP (x64), its
      // frame pointer frame 0's ChildEBP (x86).
      if (address === null && index === 0 && ctx.regs && f.sp !== null) {
        const r = pcAndSp(ctx.regs);
        if (r.pc !== null && (layout === 'x86' ? r.fp : r.sp) === f.sp) address = r.pc;
      }
    }
    if (!f.inline && f.retAddr !== null) lastRet = f.retAddr;
    if (l.note) notes.unshift(l.note);
    if (f.inline) notes.push('inline frame');
    if (address === null) notes.push('instruction pointer not printed by the debugger');
    const frame: Frame = {
      index,
      address: hex(address ?? 0n),
      sp: f.sp !== null ? hex(f.sp) : null,
      retAddr: f.retAddr !== null ? hex(f.retAddr) : null,
      module: cs.module,
      symbol: cs.symbol,
      offset: cs.offset !== null ? hex(cs.offset) : null,
      trust: 'text',
    };
    if (f.args.length > 0) frame.args = f.args.map((a) => hex(a));
    if (notes.length > 0) frame.note = notes.join('; ');
    return frame;
  });
}
