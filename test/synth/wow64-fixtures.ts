// The synthetic dumps in fixtures/synth/, described in code (scripts/make-wow64-fixtures.ts
// writes them; tests rebuild them and compare). The main one mirrors the WOW64 process of the
// "Virtualized Process" article (Crash Dump Analysis Patterns, Part 26): a 64-bit userdump of a
// 32-bit App.exe on Windows Server 2003 x64 SP2, PID 0x2088, five threads whose native stacks
// end in the WOW64 layer and whose x86 stacks (after `.effmach x86`) are given below as WinDbg
// printed them. Module images carry export tables naming the functions at the addresses the
// article's symbols put them, so export-based naming reproduces its frames.
import { AMD64_CONTEXT_SIZE, contextAmd64, contextX86 } from './context-writers.ts';
import { MemoryImage } from './memory-image.ts';
import { MinidumpBuilder } from './minidump-builder.ts';
import type { ModuleSpec } from './minidump-builder.ts';
import { buildPe } from './pe-builder.ts';
import type { RuntimeFunctionSpec } from './pe-builder.ts';
import { wow64ThreadMemory } from './wow64-writers.ts';
import { fileNameOf } from '../../src/engine/names/module-names.ts';

// ---------------------------------------------------------------------------------------------
// Modules

interface ModuleDef {
  path: string;
  base: bigint;
  size: number;
  bits: 32 | 64;
  timestamp: number;
  checksum: number;
  version: [number, number, number, number];
  /** Whether the image's pages (headers, exports, code around return addresses) are in the dump. */
  image: boolean;
  exports: { name: string; address: bigint }[];
  /** 64-bit functions with a fixed frame: start, frame size including the return address. */
  frames: { start: bigint; frameSize: number; maxOffset: number }[];
  code: { address: bigint; bytes: Uint8Array }[];
}

function shortName(path: string): string {
  return fileNameOf(path).replace(/\.[^.]*$/, '').toLowerCase();
}

/** A deterministic GUID from a name, so the fixtures are byte-for-byte reproducible. */
function guidFor(name: string): string {
  let h = 0x811c9dc5;
  const words: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${name}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    words.push(h.toString(16).padStart(8, '0'));
  }
  const hex = words.join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

class ModuleSet {
  readonly defs: ModuleDef[] = [];

  add(path: string, base: bigint, size: number, bits: 32 | 64, opts: { image?: boolean; timestamp?: number; version?: [number, number, number, number] } = {}): this {
    this.defs.push({
      path,
      base,
      size,
      bits,
      timestamp: opts.timestamp ?? 0x45d70ad8,
      checksum: (size * 7 + Number(base & 0xffffn)) >>> 0,
      version: opts.version ?? [5, 2, 3790, 3959],
      image: opts.image ?? true,
      exports: [],
      frames: [],
      code: [],
    });
    return this;
  }

  at(address: bigint): ModuleDef | null {
    return this.defs.find((m) => address >= m.base && address < m.base + BigInt(m.size)) ?? null;
  }

  export(address: bigint, name: string): void {
    const m = this.at(address);
    if (!m) throw new Error(`no module holds ${name} at 0x${address.toString(16)}`);
    const same = m.exports.find((e) => e.address === address);
    if (same && same.name !== name) throw new Error(`0x${address.toString(16)} named both ${same.name} and ${name}`);
    if (!same && !m.exports.some((e) => e.name === name && e.address === address)) m.exports.push({ name, address });
  }

  code(address: bigint, bytes: Uint8Array): void {
    const m = this.at(address);
    if (m && m.image) m.code.push({ address, bytes });
  }

  /** A CALL rel32 ending at `ret`, so a return address there passes a call-site check. */
  call(ret: bigint, target: bigint): void {
    const caller = this.at(ret);
    const callee = this.at(target);
    if (!caller || !callee || caller.bits !== callee.bits) return;
    const b = new Uint8Array(5);
    b[0] = 0xe8;
    new DataView(b.buffer).setInt32(1, Number(BigInt.asIntN(32, target - ret)), true);
    this.code(ret - 5n, b);
  }

  frame(start: bigint, frameSize: number, offset: number): void {
    const m = this.at(start);
    if (!m) throw new Error(`no module at 0x${start.toString(16)}`);
    const f = m.frames.find((x) => x.start === start);
    if (f && f.frameSize !== frameSize) throw new Error(`function 0x${start.toString(16)} has frames of 0x${f.frameSize.toString(16)} and 0x${frameSize.toString(16)}`);
    if (f) f.maxOffset = Math.max(f.maxOffset, offset);
    else m.frames.push({ start, frameSize, maxOffset: offset });
  }

  /** Adds every module, and every image's mapped pages, to the dump. */
  emit(b: MinidumpBuilder, mem: MemoryImage): void {
    for (const m of this.defs) {
      const name = shortName(m.path);
      const pdb = `${m.bits === 32 && m.path.toLowerCase().includes('syswow64') ? 'w' : ''}${name}.pdb`;
      const spec: ModuleSpec = {
        name: m.path,
        base: m.base,
        size: m.size,
        checksum: m.checksum,
        timestamp: m.timestamp,
        version: { file: m.version, fileType: m.path.toLowerCase().endsWith('.exe') ? 1 : 2 },
        codeView: { pdb, guid: guidFor(m.path), age: 2 },
      };
      b.module(spec);
      if (!m.image) continue;
      const textSize = m.size - 0x3000;
      const rva = (a: bigint): number => Number(a - m.base);
      const pdata: RuntimeFunctionSpec[] = [];
      if (m.bits === 64) {
        const sorted = [...m.frames].sort((a, b) => (a.start < b.start ? -1 : 1));
        sorted.forEach((f, i) => {
          if (f.frameSize <= 8) return; // a leaf: return address at [RSP], no entry
          const next = sorted[i + 1];
          const end = Math.min(rva(f.start) + f.maxOffset + 0x40, next ? rva(next.start) : Number.MAX_SAFE_INTEGER);
          const alloc = f.frameSize - 8;
          pdata.push({
            begin: rva(f.start),
            end,
            unwind: { prologSize: 4, codes: [alloc <= 128 ? { op: 'alloc-small', at: 4, size: alloc } : { op: 'alloc-large', at: 4, size: alloc }] },
          });
        });
      }
      const pe = buildPe({
        machine: m.bits === 64 ? 'amd64' : 'x86',
        imageBase: m.base,
        timestamp: m.timestamp,
        checksum: m.checksum,
        dll: !m.path.toLowerCase().endsWith('.exe'),
        text: { size: textSize, chunks: m.code.map((c) => ({ offset: rva(c.address) - 0x1000, bytes: c.bytes })) },
        exports: m.exports.length > 0 ? { dllName: m.path.split('\\').pop()!, functions: m.exports.map((e) => ({ name: e.name, rva: rva(e.address) })) } : undefined,
        pdata,
        codeView: { pdb, guid: guidFor(m.path), age: 2 },
        sizeOfImage: m.size,
      });
      if (pe.sizeOfImage !== m.size) throw new Error(`${m.path}: image laid out as 0x${pe.sizeOfImage.toString(16)} bytes, module says 0x${m.size.toString(16)}`);
      for (const piece of pe.mapped) mem.write(m.base + BigInt(piece.rva), piece.bytes);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Stacks as WinDbg printed them

interface TextFrame {
  /** Child-SP (native) or ChildEBP (x86). */
  sp: bigint;
  ret: bigint;
  args?: [bigint, bigint, bigint];
  /** "wow64!Wow64NotifyDebugger+0x9", "ws2_32+0x43db", "kernel32!BaseThreadStartThunk". */
  symbol: string;
}

function parseFrames(text: string, withArgs: boolean): TextFrame[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const p = line.trim().split(/\s+/);
      const h = (s: string): bigint => BigInt(`0x${s.replace(/`/g, '')}`);
      if (withArgs) return { sp: h(p[0]!), ret: h(p[1]!), args: [h(p[2]!), h(p[3]!), h(p[4]!)] as [bigint, bigint, bigint], symbol: p[5]! };
      return { sp: h(p[0]!), ret: h(p[1]!), symbol: p[2]! };
    });
}

function splitSymbol(symbol: string): { module: string; name: string | null; offset: bigint } {
  const m = /^([^!+]+)(?:!([^+]+))?(?:\+0x([0-9a-f]+))?$/i.exec(symbol);
  if (!m) throw new Error(`cannot read symbol ${symbol}`);
  return { module: m[1]!, name: m[2] ?? null, offset: m[3] ? BigInt(`0x${m[3]}`) : 0n };
}

/** The IP of each frame: frame 0 from the context, the others from the previous RetAddr. */
function frameIps(frames: TextFrame[], ip0: bigint): bigint[] {
  return frames.map((f, i) => (i === 0 ? ip0 : frames[i - 1]!.ret));
}

/** Exports and call sites for a printed stack; returns the function start of each frame. */
function nameFrames(mods: ModuleSet, frames: TextFrame[], ips: bigint[]): (bigint | null)[] {
  return frames.map((f, i) => {
    const ip = ips[i]!;
    const sym = splitSymbol(f.symbol);
    const m = mods.at(ip);
    if (!m) throw new Error(`frame ${f.symbol} at 0x${ip.toString(16)} is in no module`);
    if (!sym.module.toLowerCase().startsWith(shortName(m.path))) throw new Error(`${f.symbol} is at 0x${ip.toString(16)}, inside ${m.path}`);
    if (sym.name === null) return null;
    const start = ip - sym.offset;
    mods.export(start, sym.name);
    return start;
  });
}

// Thread 0 after `.effmach x86`, from the article's `kb` (ChildEBP, RetAddr, three arguments).
const T0_X86_KB = `
0012d98c 7da4a631 000006d9 00000001 00000000 kernel32!RaiseException+0x53
0012d9a4 7da4a5f7 000006d9 0012ddc4 0012dda0 rpcrt4!RpcpRaiseException+0x24
0012d9b4 7dac0140 0012da00 00000018 0024a860 rpcrt4!NdrGetBuffer+0x46
0012dda0 5f2a2fba 5f2777b8 5f2771e2 0012ddc4 rpcrt4!NdrClientCall2+0x197
0012ddbc 5f29c6a6 0024a860 00000370 00000000 hnetcfg!FwOpenDynamicFwPort+0x1d
0012de68 7db4291f 0024a860 00000370 00000002 hnetcfg!IcfOpenDynamicFwPort+0x6a
0012df00 71c043db 00000370 0012df4c 00000010 mswsock!WSPBind+0x2e3
0012df24 76ed91c8 00000370 0012df4c 00000010 ws2_32+0x43db
0012df6c 76ed9128 00000370 00000002 00000000 rasapi32+0x491c8
0012df98 76ed997c 00000002 00000002 00000000 rasapi32+0x49128
0012dfc0 76ed8ac2 00000002 02c225f8 02c22688 rasapi32+0x4997c
0012dfd4 76ed89cd 02c225f8 02c22ce8 02c22f38 rasapi32+0x48ac2
0012dff0 76ed82e5 02c226b2 02c22f38 00000000 rasapi32+0x489cd
0012e010 76ed827f 02c225f8 02c22ce8 02c22f38 rasapi32+0x482e5
0012e044 76ed8bf0 02c225f8 00000000 00000000 rasapi32+0x4827f
0012e0c8 76ed844d 02c225f8 00000000 04000000 rasapi32+0x48bf0
0012e170 76ed74b5 04000000 0000232b 02c21f58 rasapi32+0x4844d
0012e200 76ed544f 02c21f58 00000000 02c21f58 rasapi32+0x474b5
0012e22c 76ed944d 00000001 00000000 02c21f58 rasapi32+0x4544f
0012e24c 76ed93a4 00000000 00000000 00000000 rasapi32+0x4944d
0012e298 76ed505f 02c22c9c 00000001 04000000 rasapi32+0x493a4
0012e2bc 7db442bf 02c22c9c 00000001 04000000 rasapi32+0x4505f
0012e2ec 7db4418b 02c22c9c 00000001 04000000 mswsock!SaBlob_Query+0x2d
0012e330 7db4407c 00000000 020243f0 020243d8 mswsock!Rnr_DoDnsLookup+0xf0
0012e5c8 71c06dc0 02c22c38 00000000 0012e680 mswsock!Dns_NSPLookupServiceNext+0x24b
0012e5e0 71c06da0 02024498 02c22c38 00000000 ws2_32+0x6dc0
0012e5fc 71c06d6a 02024560 00000000 0012e680 ws2_32+0x6da0
0012e628 71c06d08 020243f0 00000000 0012e680 ws2_32+0x6d6a
0012e648 71c08282 020243d8 00000000 0012e680 ws2_32+0x6d08
0012ef00 71c07f68 02024c98 00000002 0012ef74 ws2_32+0x8282
0012ef34 71c08433 02024c98 00000001 0012ef74 ws2_32+0x7f68
0012efa0 71c03236 02024c98 00000000 00000000 ws2_32+0x8433
0012f094 71c03340 02024c98 00000000 0012f148 ws2_32+0x3236
0012f0bc 7dab22fb 0012f0d4 00000000 0012f148 ws2_32+0x3340
0012f11c 7dab3a0e 0012f184 0026fff0 0026836c rpcrt4!IP_ADDRESS_RESOLVER::NextAddress+0x13e
0012f238 7dab3c11 0026836c 00272f38 00000402 rpcrt4!TCPOrHTTP_Open+0xdb
0012f270 7da44c85 0026836c 00271d38 00272f38 rpcrt4!TCP_Open+0x55
0012f2b8 7da44b53 00000000 00271d38 00272f38 rpcrt4!OSF_CCONNECTION::TransOpen+0x5e
0012f31c 7da447d7 0026fff0 000dbba0 00000000 rpcrt4!OSF_CCONNECTION::OpenConnectionAndBind+0xbe
0012f360 7da44720 00000000 0012f414 00000000 rpcrt4!OSF_CCALL::BindToServer+0xfa
0012f378 7da3a9df 00000000 00000000 00000000 rpcrt4!OSF_BINDING_HANDLE::InitCCallWithAssociation+0x63
0012f3f4 7da3a8dd 0012f414 0012f480 00270028 rpcrt4!OSF_BINDING_HANDLE::AllocateCCall+0x49d
0012f428 7da37a1c 0012f480 0012f4ac 00000001 rpcrt4!OSF_BINDING_HANDLE::NegotiateTransferSyntax+0x2e
0012f440 7da3642c 0012f480 00000000 0012f460 rpcrt4!I_RpcGetBufferWithObject+0x5b
0012f450 7da37bff 0012f480 0012f86c 0012f84c rpcrt4!I_RpcGetBuffer+0xf
0012f460 7dac0140 0012f4ac 0000006c 0026fff0 rpcrt4!NdrGetBuffer+0x2e
0012f84c 766f41f1 766f24e8 766f423a 0012f86c rpcrt4!NdrClientCall2+0x197
0012f864 766f40b8 0026fff0 0012f904 0012f8e4 ntdsapi!_IDL_DRSBind+0x1c
0012f930 7d8ecaa2 002788bc 00278908 00000000 ntdsapi!DsBindWithSpnExW+0x223
0012f9b0 7d8ed028 00000000 02264f90 00000000 secur32!SecpTranslateName+0x1f3
0012f9d0 00434aa0 02264f90 00000000 00000002 secur32!TranslateNameW+0x2d
0012fab4 00419a7f 022a85e4 0012fc94 afec94eb App+0x34aa0
0012fb0c 0041a61b afec9443 ffffffff 00463fb8 App+0x19a7f
0012fbc0 0045a293 ffffffff 0043682f 004188f3 App+0x1a61b
0012fbc8 0043682f 004188f3 afec93eb ffffffff App+0x5a293
`;

// Threads 1-4 after `.effmach x86` (`~*k`: ChildEBP, RetAddr).
const X86_K: Record<number, string> = {
  1: `
01fcfea4 7d63f501 ntdll_7d600000!NtWaitForMultipleObjects+0x15
01fcff48 7d63f988 ntdll_7d600000!EtwpWaitForMultipleObjectsEx+0xf7
01fcffb8 7d4dfe21 ntdll_7d600000!EtwpEventPump+0x27f
01fcffec 00000000 kernel32!BaseThreadStart+0x34`,
  2: `
026eff50 0042f13b user32!NtUserGetMessage+0x15
026effb8 7d4dfe21 App+0x2f13b
026effec 00000000 kernel32!BaseThreadStart+0x34`,
  3: `
0285ffa0 7d634d69 ntdll_7d600000!ZwDelayExecution+0x15
0285ffb8 7d4dfe21 ntdll_7d600000!RtlpTimerThread+0x47
0285ffec 00000000 kernel32!BaseThreadStart+0x34`,
  4: `
02daff80 7db4b6c6 ntdll_7d600000!NtRemoveIoCompletion+0x15
02daffb8 7d4dfe21 mswsock!SockAsyncThread+0x69
02daffec 00000000 kernel32!BaseThreadStart+0x34`,
};

// Native stacks (`~*k` before `.effmach`: Child-SP, RetAddr), down to the first zero RetAddr.
const NATIVE_K: Record<number, string> = {
  0: `
00000000\`0016e190 00000000\`6b0064f2 wow64!Wow64NotifyDebugger+0x9
00000000\`0016e1c0 00000000\`6b006866 wow64!Wow64KiRaiseException+0x172
00000000\`0016e530 00000000\`78b83c7d wow64!Wow64SystemServiceEx+0xd6
00000000\`0016edf0 00000000\`6b006a5a wow64cpu!ServiceNoTurbo+0x28
00000000\`0016ee80 00000000\`6b005e0d wow64!RunCpuSimulation+0xa
00000000\`0016eeb0 00000000\`77ed8030 wow64!Wow64LdrpInitialize+0x2ed
00000000\`0016f3f0 00000000\`77ed582f ntdll!LdrpInitializeProcess+0x1538
00000000\`0016f6f0 00000000\`77ef30a5 ntdll!LdrpInitialize+0x18f
00000000\`0016f7d0 00000000\`7d4d1510 ntdll!KiUserApcDispatcher+0x15
00000000\`0016fcc8 00000000\`00000000 kernel32!BaseProcessStartThunk`,
  1: `
00000000\`0200f0d8 00000000\`6b006a5a wow64cpu!WaitForMultipleObjects32+0x3a
00000000\`0200f180 00000000\`6b005e0d wow64!RunCpuSimulation+0xa
00000000\`0200f1b0 00000000\`77f109f0 wow64!Wow64LdrpInitialize+0x2ed
00000000\`0200f6f0 00000000\`77ef30a5 ntdll!LdrpInitialize+0x2aa
00000000\`0200f7d0 00000000\`7d4d1504 ntdll!KiUserApcDispatcher+0x15
00000000\`0200fcc8 00000000\`00000000 kernel32!BaseThreadStartThunk`,
  2: `
00000000\`0272e7c8 00000000\`6b29c464 wow64win!ZwUserGetMessage+0xa
00000000\`0272e7d0 00000000\`6b006866 wow64win!whNtUserGetMessage+0x34
00000000\`0272e830 00000000\`78b83c7d wow64!Wow64SystemServiceEx+0xd6
00000000\`0272f0f0 00000000\`6b006a5a wow64cpu!ServiceNoTurbo+0x28
00000000\`0272f180 00000000\`6b005e0d wow64!RunCpuSimulation+0xa
00000000\`0272f1b0 00000000\`77f109f0 wow64!Wow64LdrpInitialize+0x2ed
00000000\`0272f6f0 00000000\`77ef30a5 ntdll!LdrpInitialize+0x2aa
00000000\`0272f7d0 00000000\`7d4d1504 ntdll!KiUserApcDispatcher+0x15
00000000\`0272fcc8 00000000\`00000000 kernel32!BaseThreadStartThunk`,
  3: `
00000000\`0289f108 00000000\`78b84191 wow64cpu!CpupSyscallStub+0x9
00000000\`0289f110 00000000\`6b006a5a wow64cpu!Thunk2ArgNSpNSpReloadState+0x21
00000000\`0289f180 00000000\`6b005e0d wow64!RunCpuSimulation+0xa
00000000\`0289f1b0 00000000\`77f109f0 wow64!Wow64LdrpInitialize+0x2ed
00000000\`0289f6f0 00000000\`77ef30a5 ntdll!LdrpInitialize+0x2aa
00000000\`0289f7d0 00000000\`7d4d1504 ntdll!KiUserApcDispatcher+0x15
00000000\`0289fcc8 00000000\`00000000 kernel32!BaseThreadStartThunk`,
  4: `
00000000\`02def0a8 00000000\`6b006a5a wow64cpu!RemoveIoCompletionFault+0x41
00000000\`02def180 00000000\`6b005e0d wow64!RunCpuSimulation+0xa
00000000\`02def1b0 00000000\`77f109f0 wow64!Wow64LdrpInitialize+0x2ed
00000000\`02def6f0 00000000\`77ef30a5 ntdll!LdrpInitialize+0x2aa
00000000\`02def7d0 00000000\`7d4d1504 ntdll!KiUserApcDispatcher+0x15
00000000\`02defcc8 00000000\`00000000 kernel32!BaseThreadStartThunk`,
};

/** Where frame 0 of each thread stops (not printed by the article: only symbol+offset is). */
const X86_FRAME0_FUNCTION: Record<number, bigint> = {
  0: 0x7d4e2313n, // kernel32!RaiseException (+0x53 = 7d4e2366, the exception address)
  1: 0x7d61c960n, // ntdll32!NtWaitForMultipleObjects
  2: 0x7d93a2c0n, // user32!NtUserGetMessage
  3: 0x7d61d1a0n, // ntdll32!ZwDelayExecution
  4: 0x7d61d4e0n, // ntdll32!NtRemoveIoCompletion
};
const NATIVE_FRAME0_FUNCTION: Record<number, bigint> = {
  0: 0x6b006360n, // wow64!Wow64NotifyDebugger (+9 = 6b006369, the article's faulting IP)
  1: 0x78b82e10n, // wow64cpu!WaitForMultipleObjects32
  2: 0x6b281a50n, // wow64win!ZwUserGetMessage
  3: 0x78b82600n, // wow64cpu!CpupSyscallStub
  4: 0x78b82a30n, // wow64cpu!RemoveIoCompletionFault
};

export interface ExpectedThread {
  id: number;
  teb: bigint;
  /** Native frame 0. */
  rip: bigint;
  rsp: bigint;
  /** The x86 context in the CPU-reserved area. */
  eip: bigint;
  esp: bigint;
  ebp: bigint;
  contextFlags: number;
  stack32: { base: bigint; limit: bigint };
  /** IPs of the x86 EBP chain, frame 0 first, as written to stack memory. */
  x86Ips: bigint[];
  /** ChildEBP of each x86 frame. */
  x86Ebps: bigint[];
  /** The article's symbol for each x86 frame ("rpcrt4!RpcpRaiseException+0x24"). */
  x86Symbols: string[];
  /** IPs and Child-SPs of the native frames. */
  nativeIps: bigint[];
  nativeSps: bigint[];
  nativeSymbols: string[];
}

export interface SyntheticDump {
  builder: MinidumpBuilder;
  /** Facts a test can assert after reading the dump back. */
  expected: { pid: number; threads: ExpectedThread[]; modules: { path: string; base: bigint; size: number; x86: boolean }[]; exception: { threadId: number; code: number; address: bigint } | null };
}

/**
 * Lays out an x86 EBP chain: [EBP] = caller's EBP, [EBP+4] = return address, kb arguments at
 * EBP+8.. The chain ends at the first frame whose slots the article's later frames contradict
 * (WinDbg used FPO data there, which an EBP walk cannot reproduce); that frame becomes the
 * last, with a zero saved EBP and return address. Returns how many frames were kept.
 */
function layX86Chain(mem: MemoryImage, frames: TextFrame[]): number {
  const slots = new Map<bigint, bigint>();
  const set = (at: bigint, v: bigint): boolean => {
    const old = slots.get(at);
    if (old !== undefined && old !== v) return false;
    slots.set(at, v);
    return true;
  };
  let kept = frames.length;
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i]!;
    const next = frames[i + 1];
    const trial = new Map(slots);
    const ok =
      set(f.sp, next ? next.sp : 0n) &&
      set(f.sp + 4n, next ? f.ret : 0n) &&
      (f.args ? f.args.every((a, j) => set(f.sp + 8n + BigInt(j) * 4n, a)) : true);
    if (!ok || (next && next.sp <= f.sp)) {
      // Frame i cannot link on: make it the last one.
      slots.clear();
      for (const [k, v] of trial) slots.set(k, v);
      slots.set(f.sp, 0n);
      slots.set(f.sp + 4n, 0n);
      kept = i + 1;
      break;
    }
  }
  for (const [at, v] of slots) mem.u32(at, v);
  return kept;
}

/** Native frames: return address of frame k at Child-SP(k+1) - 8; unwind info per function. */
function layNativeStack(mods: ModuleSet, mem: MemoryImage, frames: TextFrame[], ips: bigint[], starts: (bigint | null)[]): void {
  frames.forEach((f, i) => {
    const next = frames[i + 1];
    if (!next) {
      mem.u64(f.sp, 0n); // the last frame returns to 0: the walk ends
      return;
    }
    mem.u64(next.sp - 8n, f.ret);
    const start = starts[i];
    if (start !== null && start !== undefined) mods.frame(start, Number(next.sp - f.sp), Number(ips[i]! - start));
  });
}

function seedModules(): ModuleSet {
  const m = new ModuleSet();
  // 32-bit process image and system DLLs (SysWOW64), as the article's module names place them.
  m.add('C:\\Program Files (x86)\\App\\App.exe', 0x400000n, 0x70000, 32, { timestamp: 0x4589c0d2, version: [3, 1, 0, 412] });
  m.add('C:\\WINDOWS\\SysWOW64\\hnetcfg.dll', 0x5f270000n, 0x59000, 32);
  m.add('C:\\WINDOWS\\SysWOW64\\ws2_32.dll', 0x71c00000n, 0x17000, 32, { image: false });
  m.add('C:\\WINDOWS\\SysWOW64\\ntdsapi.dll', 0x766f0000n, 0x15000, 32);
  m.add('C:\\WINDOWS\\SysWOW64\\rasapi32.dll', 0x76e90000n, 0x60000, 32, { image: false });
  m.add('C:\\WINDOWS\\SysWOW64\\kernel32.dll', 0x7d4c0000n, 0xf0000, 32);
  m.add('C:\\WINDOWS\\SysWOW64\\ntdll.dll', 0x7d600000n, 0x130000, 32);
  m.add('C:\\WINDOWS\\SysWOW64\\secur32.dll', 0x7d8e0000n, 0x13000, 32);
  m.add('C:\\WINDOWS\\SysWOW64\\user32.dll', 0x7d930000n, 0xa0000, 32);
  m.add('C:\\WINDOWS\\SysWOW64\\rpcrt4.dll', 0x7da20000n, 0xb0000, 32);
  m.add('C:\\WINDOWS\\SysWOW64\\mswsock.dll', 0x7db30000n, 0x5e000, 32);
  // The native side: the WOW64 layer and 64-bit ntdll/kernel32 (System32).
  m.add('C:\\WINDOWS\\system32\\wow64.dll', 0x6b000000n, 0x3c000, 64);
  m.add('C:\\WINDOWS\\system32\\wow64win.dll', 0x6b280000n, 0x3f000, 64);
  m.add('C:\\WINDOWS\\system32\\kernel32.dll', 0x77d40000n, 0x17e000, 64);
  m.add('C:\\WINDOWS\\system32\\ntdll.dll', 0x77ec0000n, 0x13b000, 64);
  m.add('C:\\WINDOWS\\system32\\wow64cpu.dll', 0x78b80000n, 0xa000, 64);
  return m;
}

const SEED_THREADS = [
  { id: 0x2fe4, teb: 0x7efdb000n, contextFlags: 0x10007, stack32: { base: 0x130000n, limit: 0x128000n }, stack64: { base: 0x170000n, limit: 0x16a000n } },
  { id: 0x280c, teb: 0x7efd8000n, contextFlags: 0x1002f, stack32: { base: 0x1fd0000n, limit: 0x1fcc000n }, stack64: { base: 0x2010000n, limit: 0x200c000n } },
  { id: 0x1160, teb: 0x7efd5000n, contextFlags: 0x10003, stack32: { base: 0x26f0000n, limit: 0x26ec000n }, stack64: { base: 0x2730000n, limit: 0x272c000n } },
  { id: 0x2d04, teb: 0x7efad000n, contextFlags: 0x1002f, stack32: { base: 0x2860000n, limit: 0x285c000n }, stack64: { base: 0x28a0000n, limit: 0x289c000n } },
  { id: 0x15c4, teb: 0x7efa4000n, contextFlags: 0x1002f, stack32: { base: 0x2db0000n, limit: 0x2dac000n }, stack64: { base: 0x2df0000n, limit: 0x2dec000n } },
];

/** 2007-09-04 13:36:14 GMT+2, the article's debug session time. */
const SEED_DUMP_TIME = Date.UTC(2007, 8, 4, 11, 36, 14) / 1000;

export function wow64SeedLike(): SyntheticDump {
  const mods = seedModules();
  const mem = new MemoryImage();
  const pid = 0x2088;
  const threads: ExpectedThread[] = [];
  const stacks64: { address: bigint; bytes: Uint8Array }[] = [];

  const b = new MinidumpBuilder({ memory: 'list64', flags: 0x2n, timestamp: SEED_DUMP_TIME });
  b.systemInfo({ arch: 'amd64', major: 5, minor: 2, build: 3790, csd: 'Service Pack 2', cpuCount: 4, productType: 3, suiteMask: 0x10, processorLevel: 15, processorRevision: 0x0403, vendorId: 'GenuineIntel' });
  b.commentA('Userdump generated complete user-mode minidump with Exception Monitor function on SERVER01');
  b.miscInfo({ processId: pid, processCreateTime: SEED_DUMP_TIME - 114, processUserTime: 3, processKernelTime: 2 });

  SEED_THREADS.forEach((t, index) => {
    // x86 side.
    const x86Frames = parseFrames(index === 0 ? T0_X86_KB : X86_K[index]!, index === 0);
    const x86Start = X86_FRAME0_FUNCTION[index]!;
    const x86Sym0 = splitSymbol(x86Frames[0]!.symbol);
    const eip = x86Start + x86Sym0.offset;
    const x86Ips = frameIps(x86Frames, eip);
    const x86Starts = nameFrames(mods, x86Frames, x86Ips);
    const kept = layX86Chain(mem, x86Frames);
    const ebp = x86Frames[0]!.sp;
    const esp = ebp - 0x58n;
    mem.u32(esp, x86Frames[0]!.ret); // a stale return address at ESP, as a syscall stub leaves
    mem.reserve(esp, Number(t.stack32.base - esp));
    for (let i = 1; i < kept; i++) {
      const target = x86Starts[i - 1] ?? x86Ips[i - 1]!;
      mods.call(x86Ips[i]!, target);
    }
    if (index === 0) mods.code(eip, new Uint8Array([0x5e])); // pop esi, as the article disassembles

    // Native side.
    const nFrames = parseFrames(NATIVE_K[index]!, false);
    const nSym0 = splitSymbol(nFrames[0]!.symbol);
    const rip = NATIVE_FRAME0_FUNCTION[index]! + nSym0.offset;
    const nIps = frameIps(nFrames, rip);
    const nStarts = nameFrames(mods, nFrames, nIps);
    const stack = new MemoryImage();
    const rsp = nFrames[0]!.sp;
    stack.reserve(rsp, Number(t.stack64.base - rsp));
    layNativeStack(mods, stack, nFrames, nIps, nStarts);
    for (let i = 1; i < nFrames.length; i++) mods.call(nIps[i]!, nStarts[i - 1] ?? nIps[i - 1]!);
    if (index === 0) mods.code(rip, new Uint8Array([0xb0, 0x01])); // mov al,1

    // TEB64, TEB32 and the CPU-reserved area; the area sits at the top of the 64-bit stack,
    // where the article's stack dump shows the saved ContextFlags (…fd04).
    const cpuArea = t.stack64.base - 0x300n;
    const ctx = contextX86({ contextFlags: t.contextFlags, eip, esp, ebp, eax: 0, ecx: esp + 4n, edx: 0, ebx: 0, esi: 0x6d9, edi: 0 });
    const w = wow64ThreadMemory({
      teb64: t.teb,
      pid,
      tid: t.id,
      peb64: 0x7efdf000n,
      peb32: 0x7efde000,
      stack64: t.stack64,
      stack32: { base: Number(t.stack32.base), limit: Number(t.stack32.limit) },
      sehHead: Number(t.stack32.base - 0x20n),
      cpuArea,
      context: ctx,
    });
    for (const r of w.ranges) (r.address === cpuArea ? stack : mem).write(r.address, r.bytes);
    const stackRanges = stack.ranges();
    if (stackRanges.length !== 1) throw new Error('native stack should be one range');
    stacks64.push(stackRanges[0]!);

    const native = contextAmd64({ rip, rsp, rbp: 0n, rax: 0n, rcx: BigInt(t.id), contextFlags: 0x10001f });
    b.thread({ id: t.id, suspendCount: 1, priorityClass: 0x20, priority: 0, teb: t.teb, stack: stackRanges[0]!, context: native });
    if (index === 0) b.exception({ threadId: t.id, code: 0x6d9, flags: 1, address: eip, context: contextAmd64({ rip, rsp, contextFlags: 0x10001f }) });

    threads.push({
      id: t.id,
      teb: t.teb,
      rip,
      rsp,
      eip,
      esp,
      ebp,
      contextFlags: t.contextFlags,
      stack32: t.stack32,
      x86Ips: x86Ips.slice(0, kept),
      x86Ebps: x86Frames.slice(0, kept).map((f) => f.sp),
      x86Symbols: x86Frames.slice(0, kept).map((f) => f.symbol),
      nativeIps: nIps,
      nativeSps: nFrames.map((f) => f.sp),
      nativeSymbols: nFrames.map((f) => f.symbol),
    });
  });

  b.handle({ handle: 0x4n, typeName: 'Key', objectName: '\\REGISTRY\\MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\Rpc' });
  b.handle({ handle: 0x370n, typeName: 'File', objectName: '\\Device\\Afd\\Endpoint' });
  b.handle({ handle: 0x3a8n, typeName: 'Event', objectName: null });

  mods.emit(b, mem);
  for (const r of mem.ranges()) b.memory(r.address, r.bytes);
  return {
    builder: b,
    expected: {
      pid,
      threads,
      modules: mods.defs.map((m) => ({ path: m.path, base: m.base, size: m.size, x86: m.bits === 32 })),
      exception: { threadId: 0x2fe4, code: 0x6d9, address: threads[0]!.eip },
    },
  };
}

/**
 * LLDB's fizzbuzz_wow64.dmp as its test describes it: a 64-bit dump (Windows 7 SP1 x64) of the
 * 32-bit fizzbuzz.exe, one thread, PID 0x1e9c, no exception stream though the process died of
 * an access violation. The x86 stack is fizzbuzz_no_heap.dmp's (PCs 0x164d14 … 0x77759855).
 */
export function wow64Minimal(): SyntheticDump {
  const m = new ModuleSet();
  m.add('C:\\Users\\dev\\fizzbuzz.exe', 0x150000n, 0x1f000, 32, { timestamp: 0x55c8e27f, version: [0, 0, 0, 0] });
  m.add('C:\\Windows\\System32\\wow64cpu.dll', 0x74ec0000n, 0x8000, 64, { version: [6, 1, 7601, 17514] });
  m.add('C:\\Windows\\System32\\wow64win.dll', 0x74ed0000n, 0x5c000, 64, { version: [6, 1, 7601, 17514] });
  m.add('C:\\Windows\\System32\\wow64.dll', 0x74f30000n, 0x3f000, 64, { version: [6, 1, 7601, 17514] });
  m.add('C:\\Windows\\SysWOW64\\kernel32.dll', 0x750f0000n, 0x110000, 32, { version: [6, 1, 7601, 17514] });
  m.add('C:\\Windows\\SysWOW64\\KERNELBASE.dll', 0x75630000n, 0x47000, 32, { version: [6, 1, 7601, 17514] });
  m.add('C:\\Windows\\System32\\ntdll.dll', 0x77540000n, 0x1a9000, 64, { version: [6, 1, 7601, 17514] });
  m.add('C:\\Windows\\SysWOW64\\ntdll.dll', 0x77720000n, 0x180000, 32, { version: [6, 1, 7601, 17514] });
  const frames = parseFrames(
    `
0043f8a0 00167c79 fizzbuzz+0x14d14
0043f8f0 00167e6d fizzbuzz+0x17c79
0043f8fc 7510336a fizzbuzz+0x17e6d
0043f908 77759882 kernel32!BaseThreadInitThunk+0xe
0043f948 77759855 ntdll!__RtlUserThreadStart+0x22
0043f960 00000000 ntdll!_RtlUserThreadStart+0x1b`,
    false,
  );
  const mem = new MemoryImage();
  const eip = 0x164d14n;
  const ips = frameIps(frames, eip);
  const starts = nameFrames(m, frames, ips);
  const kept = layX86Chain(mem, frames);
  for (let i = 1; i < kept; i++) m.call(ips[i]!, starts[i - 1] ?? ips[i - 1]!);
  const ebp = frames[0]!.sp;
  const esp = ebp - 0x20n;
  const stack32 = { base: 0x440000n, limit: 0x43d000n };
  mem.reserve(esp, Number(stack32.base - esp));

  const teb = 0x7efdb000n;
  const stack64 = { base: 0x8fd20n, limit: 0x8a000n };
  const rip = 0x74ec2dd9n; // wow64cpu!CpupSyscallStub+0x9, where a suspended WOW64 thread sits
  const rsp = 0x8e7c8n;
  const cpuArea = 0x8fd20n - 0x2d0n - 0x30n;
  const stack = new MemoryImage();
  stack.reserve(rsp, Number(stack64.base - rsp));
  stack.u64(rsp, 0n);
  const ctx = contextX86({ contextFlags: 0x1002f, eip, esp, ebp });
  const w = wow64ThreadMemory({ teb64: teb, pid: 0x1e9c, tid: 0x1b28, peb64: 0x7efdf000n, peb32: 0x7efde000, stack64, stack32: { base: Number(stack32.base), limit: Number(stack32.limit) }, cpuArea, context: ctx });
  for (const r of w.ranges) (r.address === cpuArea ? stack : mem).write(r.address, r.bytes);
  m.export(0x74ec2dd0n, 'CpupSyscallStub');

  const b = new MinidumpBuilder({ timestamp: 0x55c8e2a0, flags: 0x1n });
  b.systemInfo({ arch: 'amd64', major: 6, minor: 1, build: 7601, csd: 'Service Pack 1', cpuCount: 4, productType: 1, vendorId: 'GenuineIntel' });
  b.miscInfo({ processId: 0x1e9c, processCreateTime: 0x55c8e29a, processUserTime: 0, processKernelTime: 0, processorMaxMhz: 3401, processorCurrentMhz: 3401 });
  const stackRange = stack.ranges()[0]!;
  b.thread({ id: 0x1b28, suspendCount: 1, teb, stack: stackRange, context: contextAmd64({ rip, rsp, contextFlags: 0x10001f }) });
  m.emit(b, mem);
  for (const r of mem.ranges()) b.memory(r.address, r.bytes);
  return {
    builder: b,
    expected: {
      pid: 0x1e9c,
      threads: [
        {
          id: 0x1b28,
          teb,
          rip,
          rsp,
          eip,
          esp,
          ebp,
          contextFlags: 0x1002f,
          stack32,
          x86Ips: ips.slice(0, kept),
          x86Ebps: frames.slice(0, kept).map((f) => f.sp),
          x86Symbols: frames.slice(0, kept).map((f) => f.symbol),
          nativeIps: [rip],
          nativeSps: [rsp],
          nativeSymbols: ['wow64cpu!CpupSyscallStub+0x9'],
        },
      ],
      modules: m.defs.map((d) => ({ path: d.path, base: d.base, size: d.size, x86: d.bits === 32 })),
      exception: null,
    },
  };
}

/**
 * A plain 64-bit process (no WOW64): lldb's sigsegv.dmp situation, a NULL write at
 * sigsegv.exe+0x110d9, with a 64-bit DLL based below 4 GB that must not pass for x86.
 */
export function x64Plain(): SyntheticDump {
  const m = new ModuleSet();
  m.add('C:\\app\\legacy.dll', 0x10000000n, 0x20000, 64, { version: [1, 0, 0, 1] });
  m.add('C:\\app\\sigsegv.exe', 0x7ff7a1300000n, 0x26000, 64, { version: [0, 0, 0, 0] });
  m.add('C:\\Windows\\System32\\kernel32.dll', 0x7ffc5d470000n, 0xb2000, 64, { version: [10, 0, 19041, 1766] });
  m.add('C:\\Windows\\System32\\ntdll.dll', 0x7ffc5e5a0000n, 0x1f8000, 64, { version: [10, 0, 19041, 1766] });
  const frames = parseFrames(
    `
00000000\`005ffd98 00007ff7\`a1311139 sigsegv!crash+0x29
00000000\`005ffdc0 00007ffc\`5d487614 sigsegv!main+0x19
00000000\`005ffe00 00007ffc\`5e5c26a1 kernel32!BaseThreadInitThunk+0x14
00000000\`005ffe30 00000000\`00000000 ntdll!RtlUserThreadStart+0x21`,
    false,
  );
  const rip = 0x7ff7a13110d9n;
  const ips = frameIps(frames, rip);
  const starts = nameFrames(m, frames, ips);
  const stack = new MemoryImage();
  const rsp = frames[0]!.sp;
  const stackBase = 0x600000n;
  stack.reserve(rsp, Number(stackBase - rsp));
  layNativeStack(m, stack, frames, ips, starts);
  for (let i = 1; i < frames.length; i++) m.call(ips[i]!, starts[i - 1] ?? ips[i - 1]!);
  m.code(rip, new Uint8Array([0xc7, 0x04, 0x25, 0, 0, 0, 0, 0, 0, 0, 0])); // movl $0x0, 0x0

  const mem = new MemoryImage();
  const b = new MinidumpBuilder({ timestamp: 0x6400a1b2, flags: 0x0n });
  b.systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045, cpuCount: 8, productType: 1, vendorId: 'AuthenticAMD' });
  b.miscInfo({ processId: 0x1a2c, processCreateTime: 0x6400a1b0, buildString: '19041.1.amd64fre.vb_release.191206-1406' });
  const native = contextAmd64({ rip, rsp, rbp: 0n, contextFlags: 0x10001f });
  b.thread({ id: 0x1f30, teb: 0xc5e2d4000n, stack: stack.ranges()[0]!, context: native });
  b.exception({ threadId: 0x1f30, code: 0xc0000005, address: rip, parameters: [1n, 0n], context: native });
  m.emit(b, mem);
  for (const r of mem.ranges()) b.memory(r.address, r.bytes);
  if (native.length !== AMD64_CONTEXT_SIZE) throw new Error('context size');
  return {
    builder: b,
    expected: {
      pid: 0x1a2c,
      threads: [
        {
          id: 0x1f30,
          teb: 0xc5e2d4000n,
          rip,
          rsp,
          eip: 0n,
          esp: 0n,
          ebp: 0n,
          contextFlags: 0,
          stack32: { base: 0n, limit: 0n },
          x86Ips: [],
          x86Ebps: [],
          x86Symbols: [],
          nativeIps: ips,
          nativeSps: frames.map((f) => f.sp),
          nativeSymbols: frames.map((f) => f.symbol),
        },
      ],
      modules: m.defs.map((d) => ({ path: d.path, base: d.base, size: d.size, x86: false })),
      exception: { threadId: 0x1f30, code: 0xc0000005, address: rip },
    },
  };
}

/** The fixture files and how each is made. */
export const SYNTHETIC_FIXTURES = {
  'wow64-seed-like.dmp': wow64SeedLike,
  'wow64-minimal.dmp': wow64Minimal,
  'x64-plain.dmp': x64Plain,
} as const;
