// The synthetic WOW64 fixtures, read back through the engine: the minidump reader, dump
// memory, WOW64 detection and context recovery, and the x86/AMD64 walkers with export naming.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { openMinidump } from '../../../src/engine/minidump/minidump.ts';
import type { Minidump } from '../../../src/engine/minidump/minidump.ts';
import { walkAmd64 } from '../../../src/engine/unwind/amd64.ts';
import { createModuleIndex } from '../../../src/engine/unwind/module-index.ts';
import { frameText } from '../../../src/engine/core/frame-text.ts';
import { callSiteOf, nameAddress } from '../../../src/engine/unwind/symbolize.ts';
const formatAddressName = (n: Parameters<typeof callSiteOf>[0], ip: bigint): string => frameText(callSiteOf(n, ip));
import { walkX86 } from '../../../src/engine/unwind/x86.ts';
import { detectWow64 } from '../../../src/engine/wow64/detect.ts';
import { recoverWow64Context } from '../../../src/engine/wow64/recover.ts';
import { SYNTHETIC_FIXTURES, wow64Minimal, wow64SeedLike, x64Plain } from '../../synth/wow64-fixtures.ts';
import type { SyntheticDump } from '../../synth/wow64-fixtures.ts';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/synth');

async function open(file: string): Promise<Minidump> {
  const bytes = new Uint8Array(await readFile(join(FIXTURES, file)));
  return openMinidump(new Uint8ArraySource(bytes, file));
}

async function engineView(md: Minidump) {
  const sys = (await md.systemInfo())!;
  const modules = (await md.modules()) ?? [];
  const memory = await md.memory();
  const index = createModuleIndex(
    modules.map((m) => ({ name: m.name, base: m.base, size: BigInt(m.size), timestamp: m.timestamp })),
    memory,
  );
  const version = { major: sys.majorVersion, minor: sys.minorVersion, build: sys.buildNumber };
  return { sys, modules, memory, index, version };
}

describe('fixtures/synth are what the descriptions build', () => {
  for (const [file, make] of Object.entries(SYNTHETIC_FIXTURES)) {
    it(`${file} is up to date (run: node scripts/make-wow64-fixtures.ts)`, async () => {
      const onDisk = new Uint8Array(await readFile(join(FIXTURES, file)));
      const built = make().builder.build().bytes;
      expect(onDisk.length).toBe(built.length);
      expect(Buffer.compare(Buffer.from(onDisk), Buffer.from(built))).toBe(0);
      expect(onDisk.length).toBeLessThan(300 * 1024);
    });
  }
});

describe('wow64-seed-like.dmp', () => {
  const seed: SyntheticDump = wow64SeedLike();

  it('reads as the article’s Server 2003 x64 dump of PID 0x2088', async () => {
    const md = await open('wow64-seed-like.dmp');
    expect(md.warnings).toEqual([]);
    const { sys } = await engineView(md);
    expect(sys.arch).toBe('amd64');
    expect([sys.majorVersion, sys.minorVersion, sys.buildNumber]).toEqual([5, 2, 3790]);
    expect(sys.csdVersion).toBe('Service Pack 2');
    expect(sys.numberOfProcessors).toBe(4);
    expect((await md.miscInfo())?.processId).toBe(0x2088);
    expect(await md.comment()).toContain('Userdump generated complete user-mode minidump');
    const threads = (await md.threads())!;
    expect(threads.map((t) => t.id)).toEqual([0x2fe4, 0x280c, 0x1160, 0x2d04, 0x15c4]);
    expect(threads.map((t) => t.teb)).toEqual([0x7efdb000n, 0x7efd8000n, 0x7efd5000n, 0x7efad000n, 0x7efa4000n]);
    expect(threads.every((t) => t.suspendCount === 1)).toBe(true);
    const ex = (await md.exception())!;
    expect(ex).toMatchObject({ threadId: 0x2fe4, code: 0x6d9, flags: 1, address: 0x7d4e2366n, numberParameters: 0 });
    expect((await md.memory64List()) !== null).toBe(true);
    const handles = (await md.handles())!;
    expect(handles.length).toBe(3);
  });

  it('is detected as WOW64 from its modules', async () => {
    const md = await open('wow64-seed-like.dmp');
    const { modules } = await engineView(md);
    const d = detectWow64(modules, 'amd64');
    expect(d.wow64).toBe(true);
    expect(d.evidence.filter((e) => e.kind === 'wow64-layer-module').map((e) => e.module).sort()).toEqual(['wow64.dll', 'wow64cpu.dll', 'wow64win.dll']);
    const x86Names = modules.filter((_, i) => d.x86Modules[i]).map((m) => m.name.split('\\').pop());
    expect(x86Names).toEqual(seed.expected.modules.filter((m) => m.x86).map((m) => m.path.split('\\').pop()));
  });

  it('recovers every thread’s x86 context from the CPU-reserved area', async () => {
    const md = await open('wow64-seed-like.dmp');
    const { memory, version } = await engineView(md);
    const threads = (await md.threads())!;
    for (const [i, t] of threads.entries()) {
      const want = seed.expected.threads[i]!;
      const r = await recoverWow64Context(memory, t.teb, version);
      if (!r.ok) throw new Error(r.message);
      expect(r.x86Context.eip).toBe(want.eip);
      expect(r.x86Context.esp).toBe(want.esp);
      expect(r.x86Context.ebp).toBe(want.ebp);
      expect(Number(r.x86Context.contextFlags)).toBe(want.contextFlags);
      expect(r.teb32).toBe(t.teb + 0x2000n);
      expect(r.stackBase).toBe(want.stack32.base);
      expect(r.stackLimit).toBe(want.stack32.limit);
      expect(r.clientId).toEqual({ process: 0x2088n, thread: BigInt(t.id) });
      expect(r.contextAddress & 0xfffn).toBe(0xd04n); // the article's …fd04
      expect(r.warnings).toEqual([]);
    }
  });

  it('walks thread 0’s x86 stack by EBP chain and names it as the article does', async () => {
    const md = await open('wow64-seed-like.dmp');
    const { memory, index, version } = await engineView(md);
    const t0 = (await md.threads())![0]!;
    const r = await recoverWow64Context(memory, t0.teb, version);
    if (!r.ok) throw new Error(r.message);
    const walk = await walkX86({ eip: r.x86Context.eip, esp: r.x86Context.esp, ebp: r.x86Context.ebp }, { memory, moduleAt: (a) => index.moduleAt(a) });
    const want = seed.expected.threads[0]!;
    expect(walk.frames.length).toBeGreaterThanOrEqual(8);
    expect(walk.frames.map((f) => f.ip)).toEqual(want.x86Ips);
    const names = await Promise.all(walk.frames.map(async (f) => formatAddressName(await nameAddress(f.ip, index), f.ip)));
    expect(names.slice(0, 8)).toEqual([
      'kernel32!RaiseException+0x53',
      'rpcrt4!RpcpRaiseException+0x24',
      'rpcrt4!NdrGetBuffer+0x46',
      'rpcrt4!NdrClientCall2+0x197',
      'hnetcfg!FwOpenDynamicFwPort+0x1d',
      'hnetcfg!IcfOpenDynamicFwPort+0x6a',
      'mswsock!WSPBind+0x2e3',
      'ws2_32+0x43db',
    ]);
    // Export naming gives the nearest preceding export; where the article's PDB symbols put
    // two rpcrt4 functions' code interleaved, that is the other function.
    const mismatches = names.map((n, i) => [n, want.x86Symbols[i]!] as const).filter(([n, w]) => n !== w);
    expect(mismatches).toEqual([
      ['rpcrt4!OSF_CCALL::BindToServer+0x43', 'rpcrt4!OSF_BINDING_HANDLE::InitCCallWithAssociation+0x63'],
      ['rpcrt4!OSF_BINDING_HANDLE::NegotiateTransferSyntax+0x130', 'rpcrt4!OSF_BINDING_HANDLE::AllocateCCall+0x49d'],
    ]);
    expect(walk.frames.slice(1).every((f) => f.trust === 'frame-pointer')).toBe(true);
    expect(names[names.length - 1]).toBe('App+0x5a293');
  });

  it('walks threads 1-4 to kernel32!BaseThreadStart+0x34', async () => {
    const md = await open('wow64-seed-like.dmp');
    const { memory, index, version } = await engineView(md);
    const threads = (await md.threads())!;
    for (const i of [1, 2, 3, 4]) {
      const r = await recoverWow64Context(memory, threads[i]!.teb, version);
      if (!r.ok) throw new Error(r.message);
      const walk = await walkX86({ eip: r.x86Context.eip, esp: r.x86Context.esp, ebp: r.x86Context.ebp }, { memory, moduleAt: (a) => index.moduleAt(a) });
      const names = await Promise.all(walk.frames.map(async (f) => formatAddressName(await nameAddress(f.ip, index), f.ip)));
      expect(names).toEqual(seed.expected.threads[i]!.x86Symbols.map((s) => s.replace('ntdll_7d600000', 'ntdll')));
      expect(walk.stop).toBe('end-of-stack');
    }
  });

  it('walks the native stacks into the WOW64 layer by unwind info', async () => {
    const md = await open('wow64-seed-like.dmp');
    const { index, memory } = await engineView(md);
    const threads = (await md.threads())!;
    for (const [i, t] of threads.entries()) {
      const ctx = (await md.threadContext(t))!;
      expect(ctx.arch).toBe('amd64');
      const want = seed.expected.threads[i]!;
      expect(ctx.pc).toBe(want.rip);
      expect(ctx.sp).toBe(want.rsp);
      const walk = await walkAmd64({ rip: ctx.pc, rsp: ctx.sp }, { memory, moduleAt: (a) => index.moduleAt(a) });
      expect(walk.frames.map((f) => f.ip)).toEqual(want.nativeIps);
      const names = await Promise.all(walk.frames.map(async (f) => formatAddressName(await nameAddress(f.ip, index), f.ip)));
      expect(names[0]).toBe(want.nativeSymbols[0]);
      expect(names).toContain('wow64!RunCpuSimulation+0xa');
    }
  });
});

describe('wow64-minimal.dmp', () => {
  it('has one thread, no exception, and gives fizzbuzz’s six x86 PCs', async () => {
    const md = await open('wow64-minimal.dmp');
    expect(md.warnings).toEqual([]);
    expect(await md.exception()).toBeNull();
    expect((await md.miscInfo())?.processId).toBe(0x1e9c);
    const { memory, index, version, modules } = await engineView(md);
    expect(version).toEqual({ major: 6, minor: 1, build: 7601 });
    expect(detectWow64(modules, 'amd64').wow64).toBe(true);
    const threads = (await md.threads())!;
    expect(threads.length).toBe(1);
    const r = await recoverWow64Context(memory, threads[0]!.teb, version);
    if (!r.ok) throw new Error(r.message);
    expect(r.layout).toBe('cpu-reserved+4');
    const walk = await walkX86({ eip: r.x86Context.eip, esp: r.x86Context.esp, ebp: r.x86Context.ebp }, { memory, moduleAt: (a) => index.moduleAt(a) });
    expect(walk.frames.map((f) => f.ip)).toEqual([0x164d14n, 0x167c79n, 0x167e6dn, 0x7510336an, 0x77759882n, 0x77759855n]);
    expect(wow64Minimal().expected.threads[0]!.x86Ips.length).toBe(6);
  });
});

describe('x64-plain.dmp', () => {
  it('is not WOW64 and has no CPU area to recover', async () => {
    const md = await open('x64-plain.dmp');
    expect(md.warnings).toEqual([]);
    const { memory, version, modules, index } = await engineView(md);
    const d = detectWow64(modules, 'amd64');
    expect(d.wow64).toBe(false);
    expect(d.x86Modules.every((x) => !x)).toBe(true);
    const t = (await md.threads())![0]!;
    const r = await recoverWow64Context(memory, t.teb, version);
    expect(r.ok).toBe(false);
    const ex = (await md.exception())!;
    expect(ex.code).toBe(0xc0000005);
    expect(ex.parameters).toEqual([1n, 0n]);
    const ctx = (await md.threadContext(t))!;
    const walk = await walkAmd64({ rip: ctx.pc, rsp: ctx.sp }, { memory, moduleAt: (a) => index.moduleAt(a) });
    expect(walk.frames.map((f) => f.ip)).toEqual(x64Plain().expected.threads[0]!.nativeIps);
    const names = await Promise.all(walk.frames.map(async (f) => formatAddressName(await nameAddress(f.ip, index), f.ip)));
    expect(names).toEqual(['sigsegv!crash+0x29', 'sigsegv!main+0x19', 'kernel32!BaseThreadInitThunk+0x14', 'ntdll!RtlUserThreadStart+0x21']);
  });
});
