import { describe, expect, it } from 'vitest';
import { recoverWow64Context } from '../../../src/engine/wow64/recover.ts';
import { locateTeb32 } from '../../../src/engine/wow64/teb.ts';
import { x86RegisterRecord } from '../../../src/engine/wow64/x86-context.ts';
import { contextAmd64, contextX86 } from '../../synth/context-writers.ts';
import { SyntheticAddressSpace } from '../../synth/memory-space.ts';
import { MinidumpBuilder } from '../../synth/minidump-builder.ts';
import { teb32Bytes, teb64Bytes, wow64CpuArea, wow64ThreadMemory } from '../../synth/wow64-writers.ts';
import type { Wow64ThreadMemorySpec } from '../../synth/wow64-writers.ts';

const WIN7 = { major: 6, minor: 1, build: 7601 };
const WIN10 = { major: 10, minor: 0, build: 19045 };
const SERVER_2003 = { major: 5, minor: 2, build: 3790 };

const TEB64 = 0x7efdb000n;
const x86 = { eip: 0x7d4e2366, esp: 0x12d930, ebp: 0x12d98c, eax: 0x12d934, ebx: 0, ecx: 0x7d4e2313, edx: 0x6d9, esi: 0x12d9c0, edi: 0x6d9, eflags: 0x246 };

function threadSpec(over: Partial<Wow64ThreadMemorySpec> = {}): Wow64ThreadMemorySpec {
  return {
    teb64: TEB64,
    pid: 0x2088,
    tid: 0x2fe4,
    peb64: 0x7efdf000n,
    peb32: 0x7efde000,
    stack64: { base: 0x170000n, limit: 0x16a000n },
    stack32: { base: 0x130000, limit: 0x12a000 },
    sehHead: 0x12fa90,
    context: contextX86(x86),
    ...over,
  };
}

/** A 64-bit dump holding one WOW64 thread, read back through its memory ranges. */
function wow64Dump(spec: Wow64ThreadMemorySpec, drop: ('teb64' | 'teb32' | 'area')[] = []): { space: SyntheticAddressSpace; cpuArea: bigint } {
  const mem = wow64ThreadMemory(spec);
  const b = new MinidumpBuilder().systemInfo({ arch: 'amd64', major: 6, minor: 1, build: 7601 });
  b.thread({ id: spec.tid, teb: spec.teb64, context: contextAmd64({ rip: 0x78b83c7dn, rsp: 0x16edf0n }) });
  const names = ['teb64', 'teb32', 'area'] as const;
  mem.ranges.forEach((r, i) => {
    if (!drop.includes(names[i]!)) b.memory(r.address, r.bytes);
  });
  return { space: new SyntheticAddressSpace(b.memoryRanges()), cpuArea: mem.cpuArea };
}

describe('recoverWow64Context', () => {
  it('recovers the x86 registers and the TEB32 of a Windows 7 WOW64 thread', async () => {
    const { space, cpuArea } = wow64Dump(threadSpec());
    const r = await recoverWow64Context(space, TEB64, WIN7);
    if (!r.ok) throw new Error(r.message);
    expect(r.x86Context.eip).toBe(0x7d4e2366n);
    expect(r.x86Context.esp).toBe(0x12d930n);
    expect(r.x86Context.ebp).toBe(0x12d98cn);
    expect(r.x86Context.ecx).toBe(0x7d4e2313n);
    expect(r.x86Context.edx).toBe(0x6d9n);
    expect(r.x86Context.esi).toBe(0x12d9c0n);
    expect(r.x86Context.eflags).toBe(0x246n);
    expect(r.x86Context.cs).toBe(0x23n);
    expect(r.x86Context.fs).toBe(0x53n);
    expect(r.teb32).toBe(0x7efdd000n);
    expect(r.stackBase).toBe(0x130000n);
    expect(r.stackLimit).toBe(0x12a000n);
    expect(r.clientId).toEqual({ process: 0x2088n, thread: 0x2fe4n });
    expect(r.cpuArea).toBe(cpuArea);
    expect(r.contextAddress).toBe(cpuArea + 4n);
    expect(r.layout).toBe('cpu-reserved+4');
    expect(r.warnings).toEqual([]);
    expect(x86RegisterRecord(r.x86Context)).toMatchObject({ eip: '0x7d4e2366', esp: '0x12d930', ebp: '0x12d98c' });
  });

  it('reads the Server 2003 x64 dump the same way (+4), where the article found the flags', async () => {
    // The CPU area at 0x16fd00: ContextFlags 0x10007 lands at 0x16fd04, as in the seed's stack dump.
    const { space } = wow64Dump(threadSpec({ cpuArea: 0x16fd00n, context: contextX86({ ...x86, contextFlags: 0x10007 }) }));
    const raw = await space.read(0x16fd04n, 4);
    expect(new DataView(raw!.buffer).getUint32(0, true)).toBe(0x10007);
    const r = await recoverWow64Context(space, TEB64, SERVER_2003);
    if (!r.ok) throw new Error(r.message);
    expect(r.contextAddress).toBe(0x16fd04n);
    expect(r.x86Context.contextFlags).toBe(0x10007n);
    expect(r.x86Context.eip).toBe(0x7d4e2366n);
  });

  it('checks WOW64_CPURESERVED.Machine and WowTebOffset on Windows 10', async () => {
    const good = wow64Dump(threadSpec({ wowTebOffset: true }));
    const r = await recoverWow64Context(good.space, TEB64, WIN10);
    if (!r.ok) throw new Error(r.message);
    expect(r.warnings).toEqual([]);

    // Same thread with an ARM (0x1c4) machine in the header: still read, but flagged.
    const spec = threadSpec({ wowTebOffset: true });
    const mem = wow64ThreadMemory(spec);
    const area = wow64CpuArea(spec.context, { machine: 0x1c4 });
    const space = new SyntheticAddressSpace([mem.ranges[0]!, mem.ranges[1]!, { address: mem.cpuArea, bytes: area }]);
    const r2 = await recoverWow64Context(space, TEB64, WIN10);
    if (!r2.ok) throw new Error(r2.message);
    expect(r2.warnings.map((w) => w.kind)).toEqual(['wow64-machine']);
  });

  it('falls back to a context at +0 and says so', async () => {
    const { space, cpuArea } = wow64Dump(threadSpec({ layout: '+0' }));
    const r = await recoverWow64Context(space, TEB64, SERVER_2003);
    if (!r.ok) throw new Error(r.message);
    expect(r.layout).toBe('cpu-reserved+0');
    expect(r.contextAddress).toBe(cpuArea);
    expect(r.x86Context.eip).toBe(0x7d4e2366n);
    expect(r.warnings.map((w) => w.kind)).toEqual(['wow64-layout-fallback']);
  });

  it('recovers the context when only the context (not the header word) is in the dump', async () => {
    const spec = threadSpec();
    const mem = wow64ThreadMemory(spec);
    const ctxOnly = { address: mem.cpuArea + 4n, bytes: mem.ranges[2]!.bytes.subarray(4, 4 + 716) };
    const space = new SyntheticAddressSpace([mem.ranges[0]!, mem.ranges[1]!, ctxOnly]);
    const r = await recoverWow64Context(space, TEB64, WIN7);
    if (!r.ok) throw new Error(r.message);
    expect(r.x86Context.ebp).toBe(0x12d98cn);
  });

  it('reports missing memory, an empty slot and implausible contexts as values', async () => {
    const noTeb = await recoverWow64Context(wow64Dump(threadSpec(), ['teb64']).space, TEB64, WIN7);
    expect(noTeb).toMatchObject({ ok: false, kind: 'memory-missing' });
    expect(noTeb.ok ? '' : noTeb.message).toContain('0x7efdb000');

    const noArea = await recoverWow64Context(wow64Dump(threadSpec(), ['area']).space, TEB64, WIN7);
    expect(noArea).toMatchObject({ ok: false, kind: 'memory-missing' });

    const native = new SyntheticAddressSpace([{ address: TEB64, bytes: teb64Bytes({ self: TEB64, stackBase: 0x170000n, stackLimit: 0x16a000n, pid: 1, tid: 2, peb: 0n }) }]);
    expect(await recoverWow64Context(native, TEB64, WIN7)).toMatchObject({ ok: false, kind: 'not-wow64-thread' });

    const junk = new Uint8Array(720).fill(0x41);
    const junkSpace = new SyntheticAddressSpace([
      { address: TEB64, bytes: teb64Bytes({ self: TEB64, stackBase: 0x170000n, stackLimit: 0x16a000n, pid: 1, tid: 2, peb: 0n, tlsSlots: { 1: 0x16fd00n } }) },
      { address: 0x16fd00n, bytes: junk },
    ]);
    expect(await recoverWow64Context(junkSpace, TEB64, WIN7)).toMatchObject({ ok: false, kind: 'implausible' });

    const zero = wow64Dump(threadSpec({ context: contextX86({ eip: 0, esp: 0 }) }));
    expect(await recoverWow64Context(zero.space, TEB64, WIN7)).toMatchObject({ ok: false, kind: 'implausible' });

    expect(await recoverWow64Context(zero.space, 0n, WIN7)).toMatchObject({ ok: false, kind: 'memory-missing' });
  });

  it('keeps the context when the TEB32 is missing, with a warning and no stack range', async () => {
    const r = await recoverWow64Context(wow64Dump(threadSpec(), ['teb32']).space, TEB64, WIN7);
    if (!r.ok) throw new Error(r.message);
    expect(r.teb32).toBe(0x7efdd000n);
    expect(r.stackBase).toBeNull();
    expect(r.clientId).toBeNull();
    expect(r.warnings.map((w) => w.kind)).toEqual(['wow64-teb32-missing']);
  });

  it('warns when ESP is outside the TEB32 stack', async () => {
    const { space } = wow64Dump(threadSpec({ context: contextX86({ ...x86, esp: 0x200000 }) }));
    const r = await recoverWow64Context(space, TEB64, WIN7);
    if (!r.ok) throw new Error(r.message);
    expect(r.warnings.map((w) => w.kind)).toEqual(['wow64-sp-outside-stack']);
    expect(r.warnings[0]!.message).toContain('0x200000');
  });
});

describe('locateTeb32', () => {
  it('confirms TEB64+0x2000 by the TEB32 self pointer and cross-checks ExceptionList', async () => {
    const { space } = wow64Dump(threadSpec());
    const loc = await locateTeb32(space, TEB64, WIN7);
    expect(loc).toMatchObject({ address: 0x7efdd000n, source: 'teb64+0x2000', warnings: [] });
    expect(loc.teb32?.exceptionList).toBe(0x12fa90n);
  });

  it('follows ExceptionList when TEB64+0x2000 is not a TEB32', async () => {
    const odd = 0x7ef00000n;
    const space = new SyntheticAddressSpace([
      { address: TEB64, bytes: teb64Bytes({ self: TEB64, exceptionList: odd, stackBase: 0x170000n, stackLimit: 0x16a000n, pid: 1, tid: 2, peb: 0n }) },
      { address: odd, bytes: teb32Bytes({ self: Number(odd), exceptionList: 0xffffffff, stackBase: 0x130000, stackLimit: 0x120000, pid: 1, tid: 2, peb: 0 }) },
    ]);
    const loc = await locateTeb32(space, TEB64, WIN7);
    expect(loc.address).toBe(odd);
    expect(loc.source).toBe('TEB64.NtTib.ExceptionList');
    expect(loc.warnings.map((w) => w.kind)).toEqual(['wow64-teb32-mismatch']);
  });

  it('flags a TEB32 that does not point at itself', async () => {
    const space = new SyntheticAddressSpace([
      { address: TEB64, bytes: teb64Bytes({ self: TEB64, stackBase: 0x170000n, stackLimit: 0x16a000n, pid: 1, tid: 2, peb: 0n }) },
      { address: TEB64 + 0x2000n, bytes: teb32Bytes({ self: 0x1234, exceptionList: 0, stackBase: 0x130000, stackLimit: 0x120000, pid: 1, tid: 2, peb: 0 }) },
    ]);
    const loc = await locateTeb32(space, TEB64, null);
    expect(loc.address).toBe(TEB64 + 0x2000n);
    expect(loc.warnings.map((w) => w.kind)).toEqual(['wow64-teb32-unconfirmed']);
  });
});
