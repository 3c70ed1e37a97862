// Real Windows dumps from LLDB's, Breakpad's and Wine's hands, against the facts their authors'
// tests state and what LLDB and Breakpad print for them (fixtures/corpus/reference).
import { describe, expect, it } from 'vitest';
import { openMinidump } from '../../../src/engine/minidump/minidump.ts';
import type { X86Context } from '../../../src/engine/minidump/context-x86.ts';
import type { Amd64Context } from '../../../src/engine/minidump/context-amd64.ts';
import { corpusSource, corpusText } from './support/corpus.ts';

/** "[  0] 0F45B791-…-00000011 0x00150000 C:\…\fizzbuzz.exe" lines of LLDB's `image list`. */
function lldbImages(rel: string): Array<{ id: string; base: bigint; path: string }> {
  const out: Array<{ id: string; base: bigint; path: string }> = [];
  for (const line of corpusText(rel).split('\n')) {
    const m = /^\[\s*\d+\]\s+(\S+)\s+(0x[0-9a-f]+)\s+(.*?)\s*$/.exec(line);
    if (m) out.push({ id: m[1]!, base: BigInt(m[2]!), path: m[3]! });
  }
  return out;
}

/** LLDB prints a PDB70 id as GUID-AGE with the age as 8 hex digits. */
function lldbId(guid: string, age: number): string {
  return `${guid}-${age.toString(16).padStart(8, '0')}`.toUpperCase();
}

describe('lldb/fizzbuzz_no_heap.dmp (Visual Studio, 32-bit process)', () => {
  it('has one thread, PID 4440 and an access violation', async () => {
    const md = await openMinidump(corpusSource('lldb/fizzbuzz_no_heap.dmp'));
    const threads = (await md.threads())!;
    expect(threads.length).toBe(1);
    expect((await md.miscInfo())!.processId).toBe(4440);
    const ex = (await md.exception())!;
    expect(ex.code).toBe(0xc0000005);
    expect(ex.threadId).toBe(threads[0]!.id);
    expect(ex.address).toBe(0x164d14n);
    const ctx = (await md.threadContext(threads[0]!)) as X86Context;
    expect(ctx.arch).toBe('x86');
    expect(ctx.pc).toBe(0x164d14n); // frame #0 of LLDB's backtrace
    expect((await md.systemInfo())!.arch).toBe('x86');
    expect(md.warnings).toEqual([]);
  });

  it('lists the modules in order with LLDB’s CodeView ids', async () => {
    const md = await openMinidump(corpusSource('lldb/fizzbuzz_no_heap.dmp'));
    const modules = (await md.modules())!;
    const names = modules.map((m) => m.name.split('\\').pop());
    expect(names).toEqual(['fizzbuzz.exe', 'ntdll.dll', 'kernel32.dll', 'KERNELBASE.dll', 'MSVCP120D.dll', 'MSVCR120D.dll']);
    expect(modules[0]!.base).toBe(0x150000n);
    expect(modules.slice(1, 4).every((m) => m.name.startsWith('C:\\Windows\\SysWOW64\\'))).toBe(true);
    expect(modules.slice(4).every((m) => m.name.startsWith('C:\\Windows\\System32\\'))).toBe(true);
    const images = lldbImages('reference/lldb/fizzbuzz_no_heap.dmp.txt');
    expect(images.length).toBe(6);
    modules.forEach((m, i) => {
      const cv = m.codeView;
      if (cv?.kind !== 'pdb70') throw new Error(`module ${i} has no PDB70 record`);
      expect(lldbId(cv.guid, cv.age)).toBe(images[i]!.id);
      expect(m.base).toBe(images[i]!.base);
      expect(m.name).toBe(images[i]!.path);
    });
    expect(modules[1]!.version).toBe('6.1.7601.18939');
  });

  it('reads its thread info list', async () => {
    const md = await openMinidump(corpusSource('lldb/fizzbuzz_no_heap.dmp'));
    const info = (await md.threadInfo())!;
    expect(info.length).toBe(1);
    expect(info[0]!.threadId).toBe((await md.threads())![0]!.id);
    expect(info[0]!.startAddress).toBe(0x16133en);
    expect(info[0]!.exitStatus).toBe(259); // STILL_ACTIVE
  });
});

describe('lldb/sigsegv.dmp (x64 NULL write)', () => {
  it('has the exception context at rip 0x7ff7a13110d9 and the faulting instruction in memory', async () => {
    const md = await openMinidump(corpusSource('lldb/sigsegv.dmp'));
    expect((await md.threads())!.length).toBe(1);
    const ex = (await md.exception())!;
    expect(ex.code).toBe(0xc0000005);
    expect(ex.address).toBe(0x7ff7a13110d9n);
    const ctx = (await md.exceptionContext()) as Amd64Context;
    expect(ctx.arch).toBe('amd64');
    expect(ctx.regs.rip).toBe(0x7ff7a13110d9n);
    expect(ctx.valid.has('rip')).toBe(true);
    const mem = await md.memory();
    const region = mem.rangeAt(ctx.pc);
    expect(region?.base).toBe(0x7ff7a1311059n);
    expect(region?.size).toBe(0x100n);
    // movl $0x0, 0x0 — c7 04 25 <disp32 0> <imm32 0>
    const code = await mem.read(ctx.pc, 11);
    expect(Buffer.from(code!).toString('hex')).toBe('c704250000000000000000');
    const images = lldbImages('reference/lldb/sigsegv.dmp.txt');
    const modules = (await md.modules())!;
    expect(modules.map((m) => m.base)).toEqual(images.map((i) => i.base));
    const misc = (await md.miscInfo())!;
    expect(misc.version).toBe(5);
    expect(misc.buildString).toBe('16299.637.amd64fre.rs3_release_svc.180808-1748');
    expect(misc.timeZone?.standardName).toBe('Pacific Standard Time');
  });
});

describe('lldb/regions-memlist64.dmp (Memory64List only)', () => {
  it('reads the Memory64List and has no threads or modules', async () => {
    const md = await openMinidump(corpusSource('lldb/regions-memlist64.dmp'));
    expect(await md.threads()).toBeNull();
    expect(await md.modules()).toBeNull();
    expect((await md.systemInfo())!.arch).toBe('arm64');
    expect((await md.systemInfo())!.platform).toBe('macos');
    const list = (await md.memory64List())!;
    expect(list.ranges).toEqual([
      { base: 0x1000n, size: 0x10n, rva: 0xd4n },
      { base: 0x2000n, size: 0x20n, rva: 0xe4n },
    ]);
    const mem = await md.memory();
    expect(mem.ranges.length).toBe(2);
    expect((await mem.read(0x1000n, 0x10))?.length).toBe(0x10);
    expect(await mem.read(0x1008n, 0x10)).toBeNull(); // runs into the gap before 0x2000
    expect(await mem.read(0x3000n, 1)).toBeNull();
  });
});

describe('wine/nullptr.dmp (Wine dbghelp, x64)', () => {
  it('lists the private 0xfff0 stream and reads the others', async () => {
    const md = await openMinidump(corpusSource('wine/nullptr.dmp'));
    expect(md.streams.map((s) => s.type)).toEqual([7, 3, 4, 0xfff0, 5, 15, 6, 0]);
    expect(md.streams[3]!.name).toBe('Unknown(0xfff0)');
    expect(md.streams[3]!.size).toBe(868);
    const ex = (await md.exception())!;
    expect(ex.code).toBe(0xc0000005);
    expect(ex.parameters).toEqual([1n, 0n]); // a write to address 0
    const ctx = (await md.exceptionContext())!;
    expect(ctx.arch).toBe('amd64');
    expect(ctx.pc).toBe(ex.address);
    expect((await md.threads())!.length).toBe(1);
    const modules = (await md.modules())!;
    expect(modules[0]!.name.toLowerCase()).toContain('nullptr.exe');
    expect((await md.miscInfo())!.processId).not.toBeNull();
    // Wine leaves garbage in the x86 CPU vendor field of an x64 dump: dropped, not shown.
    expect((await md.systemInfo())!.cpu).toMatchObject({ kind: 'x86', vendor: '' });
    expect(md.warnings).toEqual([]);
  });
});

describe('breakpad/thread_name_list.dmp (ThreadNamesStream)', () => {
  it('names three of its six threads', async () => {
    const md = await openMinidump(corpusSource('breakpad/thread_name_list.dmp'));
    const threads = (await md.threads())!;
    expect(threads.length).toBe(6);
    const names = (await md.threadNames())!;
    expect(names).toEqual([
      { threadId: 6564, name: 'main thread' },
      { threadId: 8820, name: 'sleep thread' },
      { threadId: 10976, name: 'overflow thread' },
    ]);
    const ids = new Set(threads.map((t) => t.id));
    expect(names.every((n) => ids.has(n.threadId))).toBe(true);
  });
});

describe('XSTATE / CET contexts', () => {
  it('x64: a 1407-byte context decodes to the registers Breakpad prints', async () => {
    const md = await openMinidump(corpusSource('breakpad/tiny-exe-with-cet-xsave.dmp'));
    const [thread] = (await md.threads())!;
    const ctx = (await md.threadContext(thread!)) as Amd64Context;
    expect(ctx.size).toBeGreaterThan(1232);
    expect(ctx.hasXState).toBe(true);
    expect(ctx.raw.length).toBe(1232);
    // reference/breakpad/tiny-exe-with-cet-xsave.dmp.txt, thread 0 frame 0
    expect(ctx.regs).toMatchObject({
      rax: 0x34n, rdx: 0xcbc82ff510n, rcx: 0n, rbx: 0xcbc82ff510n,
      rsi: 0xcbc80b9000n, rdi: 0n, rbp: 1n, rsp: 0xcbc82ff448n,
      r8: 0x1c9c380n, r9: 0x7ff9111d3283n, r10: 0x546c6148n, r11: 0xfffffffffd9c9cd3n,
      r12: 0n, r13: 0n, r14: 0xaaaaaaaaaaaaaaaan, r15: 0x6dc000844b0n, rip: 0x7ff9111e39e4n,
    });
    // The same dump carries unloaded modules, handles and memory info.
    expect((await md.unloadedModules())!.length).toBe(1);
    const handles = (await md.handles())!;
    expect(handles.length).toBe(147);
    expect(handles.some((h) => h.typeName === 'File')).toBe(true);
    expect((await md.memoryInfo())!.length).toBe(557);
    expect((await md.miscInfo())!.xstate?.features.length).toBeGreaterThan(0);
  });

  it('x86: 1147-byte contexts decode to the registers Breakpad prints', async () => {
    const md = await openMinidump(corpusSource('breakpad/tiny-exe-with-cet-xsave-x86.dmp'));
    const threads = (await md.threads())!;
    expect(threads.length).toBe(3);
    const ctx = (await md.threadContext(threads[0]!)) as X86Context;
    expect(ctx.size).toBe(1147);
    expect(ctx.hasXState).toBe(true);
    expect(ctx.regs).toMatchObject({
      eip: 0x7707768cn, esp: 0x012feb5cn, ebp: 0x012feb68n, ebx: 0n,
      esi: 0x756609a0n, edi: 0x013205e8n, eax: 1n, ecx: 0n, edx: 0n, eflags: 0x206n,
    });
    const second = (await md.threadContext(threads[1]!)) as X86Context;
    expect([second.pc, second.sp, second.fp]).toEqual([0x7707852cn, 0x0196f948n, 0x0196fb0cn]);
    expect(await md.exception()).toBeNull();
  });
});
