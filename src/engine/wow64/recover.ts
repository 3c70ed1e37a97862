// Recovers the 32-bit state of a WOW64 thread from a 64-bit dump, as WinDbg does after
// `.load wow64exts; .effmach x86`. The thread record's CONTEXT is the native one (inside
// wow64cpu/wow64 code); the x86 registers were saved by the CPU simulator when the thread left
// 32-bit mode, in the area TEB64.TlsSlots[WOW64_TLS_CPURESERVED] points at.
//
//   TEB64 ──TlsSlots[1]──▶ CPU-reserved area ──(+4)──▶ WOW64_CONTEXT (716 bytes)
//   TEB64 + 0x2000 ───────▶ TEB32 (StackBase/StackLimit of the 32-bit stack, ClientId)
import { u16, u32 } from '../io/little-endian.ts';
import type { AddressSpace } from '../memory/address-space.ts';
import { hex } from '../core/hex.ts';
import type { Warning } from '../core/dump-model.ts';
import { cpuAreaLayouts, IMAGE_FILE_MACHINE_I386, looksLikeI386ContextFlags } from './cpu-area.ts';
import type { CpuAreaLayout } from './cpu-area.ts';
import { locateTeb32, readTeb64TlsSlot, WOW64_TLS_CPURESERVED } from './teb.ts';
import { decodeWow64Context, WOW64_CONTEXT_SIZE } from './x86-context.ts';
import type { X86Context } from './x86-context.ts';
import { isWindows10OrLater } from './windows-version.ts';
import type { WindowsVersion } from './windows-version.ts';

export type Wow64FailureKind =
  /** A structure on the path (TEB64 slot, CPU area) is not in the dump. */
  | 'memory-missing'
  /** The TLS slot is empty: no CPU area, so not a WOW64 thread (or not yet started). */
  | 'not-wow64-thread'
  /** The bytes are there but are not an x86 context. */
  | 'implausible';

export interface Wow64Recovered {
  ok: true;
  x86Context: X86Context;
  /** Address of the TEB32 (what 32-bit code sees in FS). */
  teb32: bigint;
  /** TEB32.NtTib.StackBase / StackLimit: the 32-bit stack; null when the TEB32 is not in the dump. */
  stackBase: bigint | null;
  stackLimit: bigint | null;
  /** TEB32.ClientId, when present. */
  clientId: { process: bigint; thread: bigint } | null;
  /** TEB64.TlsSlots[1] and where in it the context was read. */
  cpuArea: bigint;
  contextAddress: bigint;
  layout: CpuAreaLayout['name'];
  warnings: Warning[];
}

export interface Wow64Failed {
  ok: false;
  kind: Wow64FailureKind;
  /** One line for a user, naming the address that failed. */
  message: string;
  warnings: Warning[];
}

export type Wow64Recovery = Wow64Recovered | Wow64Failed;

/**
 * The x86 context of a WOW64 thread, or the reason it cannot be had. Never throws for
 * missing or odd memory; `version` is MINIDUMP_SYSTEM_INFO's (null when unknown).
 */
export async function recoverWow64Context(space: AddressSpace, teb64: bigint, version: WindowsVersion | null): Promise<Wow64Recovery> {
  const warnings: Warning[] = [];
  const fail = (kind: Wow64FailureKind, message: string): Wow64Failed => ({ ok: false, kind, message, warnings });

  if (teb64 === 0n) return fail('memory-missing', 'the thread has no TEB address');
  const cpuArea = await readTeb64TlsSlot(space, teb64, WOW64_TLS_CPURESERVED);
  if (cpuArea === null) return fail('memory-missing', `TEB64 at ${hex(teb64)} is not in the dump (TlsSlots[1] unreadable)`);
  if (cpuArea === 0n) return fail('not-wow64-thread', `TEB64 at ${hex(teb64)} has no WOW64 CPU area (TlsSlots[1] is 0)`);

  // Read the largest span any layout needs in one go, then pick the layout.
  const layouts = cpuAreaLayouts(version);
  const span = Math.max(...layouts.map((l) => l.contextOffset)) + WOW64_CONTEXT_SIZE;
  let area = await space.read(cpuArea, span);
  let headerKnown = true;
  if (!area) {
    // A dump may hold the context but not the header word before it: try +4 alone.
    const ctx = await space.read(cpuArea + 4n, WOW64_CONTEXT_SIZE);
    if (!ctx) return fail('memory-missing', `WOW64 CPU area at ${hex(cpuArea)} is not in the dump`);
    area = new Uint8Array(span);
    area.set(ctx, 4);
    headerKnown = false;
  }

  let chosen: CpuAreaLayout | null = null;
  for (const layout of layouts) {
    if (!headerKnown && layout.contextOffset !== 4) continue;
    if (looksLikeI386ContextFlags(u32(area, layout.contextOffset))) {
      chosen = layout;
      break;
    }
  }
  if (!chosen) {
    const first = layouts[0]!;
    return fail(
      'implausible',
      `no x86 context in the WOW64 CPU area at ${hex(cpuArea)} (ContextFlags 0x${u32(area, first.contextOffset).toString(16)} at +${first.contextOffset})`,
    );
  }
  if (chosen !== layouts[0]) {
    warnings.push({
      kind: 'wow64-layout-fallback',
      message: `x86 context found at CPU area ${chosen.name}, not the documented +${layouts[0]!.contextOffset}`,
    });
  }
  if (version && isWindows10OrLater(version) && chosen.contextOffset >= 4 && headerKnown) {
    const machine = u16(area, 2);
    if (machine !== IMAGE_FILE_MACHINE_I386) {
      warnings.push({ kind: 'wow64-machine', message: `WOW64_CPURESERVED.Machine is 0x${machine.toString(16)}, not i386 (0x14c)` });
    }
  }

  const contextAddress = cpuArea + BigInt(chosen.contextOffset);
  const x86Context = decodeWow64Context(area.subarray(chosen.contextOffset, chosen.contextOffset + WOW64_CONTEXT_SIZE));
  if (x86Context.eip === 0n && x86Context.esp === 0n) {
    return fail('implausible', `the x86 context at ${hex(contextAddress)} has EIP and ESP both 0`);
  }

  const loc = await locateTeb32(space, teb64, version);
  warnings.push(...loc.warnings);
  const teb32 = loc.teb32;
  if (teb32 && teb32.stackBase > teb32.stackLimit) {
    // ESP equal to StackBase is an empty stack; anything outside means the context or the TEB
    // is stale, which a reader should see rather than have hidden.
    if (x86Context.esp < teb32.stackLimit || x86Context.esp > teb32.stackBase) {
      warnings.push({
        kind: 'wow64-sp-outside-stack',
        message: `x86 ESP ${hex(x86Context.esp)} is outside the TEB32 stack ${hex(teb32.stackLimit)}..${hex(teb32.stackBase)}`,
      });
    }
  } else if (teb32) {
    warnings.push({ kind: 'wow64-teb32-stack', message: `TEB32 at ${hex(loc.address)} has an empty or inverted stack range` });
  }

  return {
    ok: true,
    x86Context,
    teb32: loc.address,
    stackBase: teb32 ? teb32.stackBase : null,
    stackLimit: teb32 ? teb32.stackLimit : null,
    clientId: teb32 ? teb32.clientId : null,
    cpuArea,
    contextAddress,
    layout: chosen.name,
    warnings,
  };
}
