// Damaged and hostile minidumps through analyze() with every detector: each must give a report
// holding what could be read, with warnings and `missing` saying what could not, or a DumpError
// with a one-line message. One bad stream or one bad thread never costs the rest.
import { describe, expect, it } from 'vitest';
import { MinidumpBuilder } from '../synth/minidump-builder.ts';
import { contextAmd64, contextX86 } from '../synth/context-writers.ts';
import { StreamType } from '../synth/minidump-format.ts';
import { dumpLayout } from '../../fuzz/minidump-layout.ts';
import { DumpError } from '../../src/engine/core/errors.ts';
import { Uint8ArraySource } from '../../src/engine/io/uint8array-source.ts';
import { MAX_TOTAL_FRAMES, MAX_WALKED_THREADS } from '../../src/engine/model/from-minidump.ts';
import { errorOf, fixture, reportOf, run } from './support.ts';

const APP = { name: 'C:\\app\\app.exe', base: 0x400000, size: 0x10000 };
const STACK = 0x12f000;

/** A 32-bit dump: two threads with stacks and contexts, a module, an access violation on thread 1. */
function x86Dump(stack1: Uint8Array = new Uint8Array(0x800), regs1 = { eip: 0x401000, esp: STACK + 0x10, ebp: STACK + 0x40 }): MinidumpBuilder {
  return new MinidumpBuilder()
    .systemInfo({ arch: 'x86', major: 10, minor: 0, build: 19045 })
    .module(APP)
    .thread({ id: 1, stack: { address: STACK, bytes: stack1 }, context: contextX86(regs1) })
    .thread({ id: 2, stack: { address: 0x22f000, bytes: new Uint8Array(0x100) }, context: contextX86({ eip: 0x401800, esp: 0x22f010 }) })
    .exception({ threadId: 1, code: 0xc0000005, address: regs1.eip, parameters: [0, 0], context: contextX86(regs1) });
}

/** Little-endian 32-bit words written into a stack image at word offsets. */
function words(size: number, at: Record<number, number>): Uint8Array {
  const bytes = new Uint8Array(size);
  const v = new DataView(bytes.buffer);
  for (const [i, value] of Object.entries(at)) v.setUint32(Number(i) * 4, value, true);
  return bytes;
}

/** A stack where every pair of words is a frame (saved EBP → next pair, return address into app.exe). */
function ladder(size: number, base: number): Uint8Array {
  const at: Record<number, number> = {};
  for (let i = 16; i + 3 < size / 4; i += 2) {
    at[i] = base + (i + 2) * 4;
    at[i + 1] = 0x401234;
  }
  return words(size, at);
}

describe('one bad stream costs only itself', () => {
  it('a module list past the end of the file: threads and exception still read', async () => {
    const r = await reportOf(x86Dump().build({ directory: [{ type: StreamType.ModuleList, rva: 0x7fffffff }] }).bytes, 'mod.dmp');
    expect(r.warnings).toContainEqual({
      kind: 'stream-unreadable',
      message: 'module list: ModuleListStream: its 112 bytes at 0x7fffffff lie past the end of the file (5072 bytes)',
    });
    expect(r.missing).toContain('module list');
    expect(r.modules).toEqual([]);
    expect(r.threads.map((t) => t.id)).toEqual([1, 2]);
    expect(r.exception?.code).toBe('0xc0000005');
  });

  it('a thread count of 0xffffffff reads the threads the stream holds', async () => {
    const r = await reportOf(x86Dump().build({ counts: { [StreamType.ThreadList]: 0xffffffff } }).bytes, 'count.dmp');
    expect(r.warnings).toContainEqual({ kind: 'stream-count', message: 'ThreadListStream: claims 4294967295 threads but holds only 2' });
    expect(r.threads.map((t) => t.id)).toEqual([1, 2]);
  });

  it('a 4 GiB memory list is read up to the cap, and the claim is reported', async () => {
    const r = await reportOf(x86Dump().build({ directory: [{ type: StreamType.MemoryList, size: 0xffffffff }] }).bytes, 'huge.dmp');
    expect(r.warnings).toContainEqual({ kind: 'cap-size', message: 'MemoryListStream: 4294967295 bytes claimed, only the first 16777216 read' });
    expect(r.threads).toHaveLength(2);
  });

  it('a duplicated stream: the first is used, and the duplicate named', async () => {
    const r = await reportOf(x86Dump().build({ directory: [{ type: StreamType.ModuleList, newType: StreamType.ThreadList }] }).bytes, 'dup.dmp');
    expect(r.warnings).toContainEqual({ kind: 'stream-duplicate', message: 'dup.dmp: more than one ThreadListStream; the first is used' });
    expect(r.threads.map((t) => t.id)).toEqual([1, 2]);
  });

  it('overlapping memory ranges: the lower one wins, once said', async () => {
    const b = x86Dump().memory(0x500000, new Uint8Array(0x100).fill(1)).memory(0x500080, new Uint8Array(0x100).fill(2));
    const r = await reportOf(b.build().bytes, 'overlap.dmp');
    expect(r.warnings).toContainEqual({ kind: 'memory-overlap', message: "overlap.dmp: 1 memory range(s) overlap others; the lower range's bytes are used" });
  });

  it('a Memory64List range of 2^63 bytes is corrupt, not "8 EiB missing"', async () => {
    const built = new MinidumpBuilder({ memory: 'list64' })
      .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045 })
      .memory(0x1000, new Uint8Array(0x100))
      .memory(0x2000, new Uint8Array(0x100))
      .build();
    const list = built.streams.find((s) => s.type === StreamType.Memory64List)!;
    const bytes = built.bytes.slice();
    new DataView(bytes.buffer).setBigUint64(list.rva + 16 + 8, 1n << 63n, true); // first range's size
    const r = await reportOf(bytes, 'm64.dmp');
    expect(r.dump.truncatedBytes).toBeNull();
    expect(r.warnings).toContainEqual({
      kind: 'stream-corrupt',
      message: 'm64.dmp: a stream or memory range claims data 9223372036854775552 bytes past the end of the file; ignored',
    });
  });
});

describe('one bad thread costs only itself', () => {
  function withThreadPatch(patch: (view: DataView, entry: number) => void): Uint8Array {
    const bytes = x86Dump().build().bytes.slice();
    const t = dumpLayout(bytes)!.threads.find((th) => th.id === 2)!;
    patch(new DataView(bytes.buffer), t.entry);
    return bytes;
  }

  it('a context past the end of the file', async () => {
    const r = await reportOf(withThreadPatch((v, at) => v.setUint32(at + 44, 0x7ffffff0, true)), 'ctx.dmp');
    const [one, two] = r.threads;
    expect(one!.frames.length).toBeGreaterThan(0);
    expect(two!.frames).toEqual([]);
    expect(two!.framesNote).toBe(
      "no stack: the thread's CPU context cannot be read (context of thread 2 (0x2): its 716 bytes at 0x7ffffff0 lie past the end of the file (5072 bytes))",
    );
  });

  it('an x86 context in an amd64 dump is refused for that thread, named', async () => {
    const b = new MinidumpBuilder()
      .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045 })
      .thread({ id: 7, stack: { address: 0x22f000, bytes: new Uint8Array(0x100) }, context: contextX86({ eip: 0x401000, esp: 0x22f010 }) })
      .thread({ id: 8, stack: { address: 0x32f000, bytes: new Uint8Array(0x100) }, context: contextAmd64({ rip: 0x140001000n, rsp: 0x32f010n }) });
    const r = await reportOf(b.build().bytes, 'arch.dmp');
    expect(r.threads[0]!.framesNote).toBe("no stack: the thread's CPU context cannot be read (context of thread 7 (0x7): an x86 CONTEXT (716 bytes) in an amd64 dump)");
    expect(r.threads[1]!.frames[0]).toMatchObject({ address: '0x140001000', trust: 'context' });
  });

  it('an amd64 context in an x86 dump likewise', async () => {
    const b = new MinidumpBuilder()
      .systemInfo({ arch: 'x86', major: 10, minor: 0, build: 19045 })
      .thread({ id: 7, stack: { address: 0x22f000, bytes: new Uint8Array(0x100) }, context: contextAmd64({ rip: 0x140001000n, rsp: 0x22f010n }) });
    const r = await reportOf(b.build().bytes, 'arch32.dmp');
    expect(r.threads[0]!.framesNote).toBe("no stack: the thread's CPU context cannot be read (context of thread 7 (0x7): an amd64 CONTEXT (1232 bytes) in an x86 dump)");
  });

  it('a byte source that fails inside one stack: that thread says so, the other is walked', async () => {
    const built = x86Dump(ladder(0x800, STACK)).build();
    const stack = built.memory.find((m) => m.address === BigInt(STACK))!;
    for (const [failure, kind] of [
      [() => new TypeError('boom'), 'thread-internal-error'],
      [() => new DumpError('io', 'disk gone'), 'thread-unreadable'],
    ] as const) {
      class Flaky extends Uint8ArraySource {
        override read(offset: number, length: number): Promise<Uint8Array> {
          if (offset + length > stack.rva + 0x100 && offset < stack.rva + stack.size) return Promise.reject(failure());
          return super.read(offset, length);
        }

        // Bytes that can fail to read are never held: every read goes through read().
        override peek(): undefined {
          return undefined;
        }
      }
      const { detectors, catalog } = await (await import('./support.ts')).detectorsAndCatalog();
      const { analyze } = await import('../../src/engine/analyze.ts');
      const r = await analyze(new Flaky(built.bytes, 'flaky.dmp'), { detectors, catalog });
      const message = failure().message;
      expect(r.warnings).toContainEqual({ kind, message: `thread 1 (0x1): ${message}` });
      expect(r.threads[0]).toMatchObject({ id: 1, frames: [], framesNote: `no stack: ${message}`, faulting: true });
      expect(r.threads[1]!.frames[0]).toMatchObject({ address: '0x401800' });
    }
  });
});

describe('stacks that would never end', () => {
  it('an EBP that points at itself stops after the frame it gives', async () => {
    const r = await reportOf(x86Dump(words(0x800, { 16: STACK + 0x40, 17: 0x401234 })).build().bytes, 'self.dmp');
    expect(r.threads[0]!.frames.map((f) => [f.address, f.trust])).toEqual([
      ['0x401000', 'context'],
      ['0x401234', 'frame-pointer'],
    ]);
    expect(r.threads[0]!.framesNote).toBe(
      'no caller found: the stack walk cannot continue past this frame; the dump holds no code for app.exe: add the module files beside the dump (--images, or drop them on the page) to unwind further',
    );
  });

  it('two frames pointing at each other stop on the way back down', async () => {
    const stack = words(0x800, { 16: STACK + 0x80, 17: 0x401234, 32: STACK + 0x40, 33: 0x401300 });
    const r = await reportOf(x86Dump(stack).build().bytes, 'pair.dmp');
    expect(r.threads[0]!.frames.map((f) => f.address)).toEqual(['0x401000', '0x401234', '0x401300']);
  });

  it('a ladder of plausible frames stops at the frame cap', async () => {
    const r = await reportOf(x86Dump(ladder(0x1000, STACK)).build().bytes, 'ladder.dmp');
    expect(r.threads[0]!.frames).toHaveLength(256);
    expect(r.threads[0]!.framesNote).toBe('stopped at the frame limit');
    expect(r.warnings).toContainEqual({ kind: 'cap-frames', message: 'stack walk stopped at 256 frames' });
  });

  it('a stack pointer outside every captured range gives frame 0 only', async () => {
    for (const esp of [0xfffffff0, 0, STACK - 4, STACK + 0x800]) {
      const r = await reportOf(x86Dump(new Uint8Array(0x800), { eip: 0x401000, esp, ebp: esp }).build().bytes, 'sp.dmp');
      expect(r.threads[0]!.frames.map((f) => f.address), `esp ${esp}`).toEqual(['0x401000']);
    }
  });

  it(`more than ${MAX_WALKED_THREADS} threads: the first are walked, and the faulting one is never cut`, async () => {
    const b = new MinidumpBuilder().systemInfo({ arch: 'x86', major: 10, minor: 0, build: 19045 }).module(APP);
    for (let i = 0; i < 2100; i++) b.thread({ id: 0x1000 + i, context: contextX86({ eip: 0x401000 + i, esp: 0 }) });
    b.exception({ threadId: 0x1000 + 2099, code: 0xc0000005, address: 0x401000, parameters: [0, 0] });
    const r = await reportOf(b.build().bytes, 'many.dmp');
    expect(r.threads).toHaveLength(MAX_WALKED_THREADS + 1);
    expect(r.threads.at(-1)).toMatchObject({ id: 0x1000 + 2099, faulting: true, ordinal: 2099 });
    expect(r.warnings).toContainEqual({ kind: 'cap-threads', message: 'only the first 2000 of 2100 threads were walked' });
    expect(r.missing).toContain('threads past the thread limit');
  });

  it(`${MAX_TOTAL_FRAMES} frames per dump: 400 ladders of 256 frames are cut, every thread keeps frame 0`, async () => {
    const b = new MinidumpBuilder().systemInfo({ arch: 'x86', major: 10, minor: 0, build: 19045 }).module(APP);
    for (let i = 0; i < 400; i++) {
      const base = 0x1000000 + i * 0x1000;
      b.thread({ id: 0x100 + i, stack: { address: base, bytes: ladder(0x1000, base) }, context: contextX86({ eip: 0x401000, esp: base + 0x10, ebp: base + 0x40 }) });
    }
    b.exception({ threadId: 0x100 + 399, code: 0xc0000005, address: 0x401000, parameters: [0, 0] });
    const r = await reportOf(b.build().bytes, 'frames.dmp');
    const counts = r.threads.map((t) => t.frames.length);
    // The faulting thread (the last) is walked first and keeps its whole stack.
    expect(counts.at(-1)).toBe(256);
    expect(counts.reduce((a, n) => a + n, 0)).toBe(MAX_TOTAL_FRAMES + 9);
    expect(counts.filter((n) => n === 1)).toHaveLength(9);
    expect(r.warnings).toContainEqual({ kind: 'cap-frames', message: `the dump's frame limit (${MAX_TOTAL_FRAMES}) was reached; 10 threads were walked short or to frame 0 only` });
  }, 30_000);
});

describe('cut and garbled real dumps', () => {
  it('rust-minidump invalid-*.dmp: a report that says in its first warning why it is empty', async () => {
    const range = await reportOf(fixture('corpus/rust-minidump/invalid-range.dmp'), 'invalid-range.dmp');
    expect(range.warnings[0]).toEqual({
      kind: 'nothing-read',
      message: 'invalid-range.dmp: none of its 4 streams could be read (3 of unknown type, 3 pointing past the end of the file); the stream directory looks corrupt',
    });
    const count = await reportOf(fixture('corpus/rust-minidump/invalid-record-count.dmp'), 'invalid-record-count.dmp');
    expect(count.warnings[0]).toEqual({
      kind: 'nothing-read',
      message: 'invalid-record-count.dmp: none of its 15 streams could be read (13 of unknown type, 11 pointing past the end of the file); the stream directory looks corrupt',
    });
    const param = await reportOf(fixture('corpus/rust-minidump/invalid-parameter.dmp'), 'invalid-parameter.dmp');
    expect(param.exception?.name).toBe('STATUS_INVALID_PARAMETER');
    expect(param.threads).toHaveLength(6);
  });

  it('a dump cut right after its directory says what it lost', async () => {
    const built = x86Dump().build();
    const r = await reportOf(built.bytes.subarray(0, built.directoryRva + 12 * built.streams.length), 'cut.dmp');
    expect(r.warnings[0]).toEqual({ kind: 'nothing-read', message: 'cut.dmp: the file ends (at 92 bytes) before the data of 5 of its 5 streams; nothing could be read' });
    expect(r.missing).toEqual(expect.arrayContaining(['system info', 'module list', 'thread list']));
  });

  it('a header cut short, a directory past the end, no streams: one line each', async () => {
    const bytes = fixture('corpus/breakpad/minidump2.dmp');
    const short = await errorOf(bytes.subarray(0, 20), 'short.dmp');
    expect([short.kind, short.message]).toEqual(['truncated', 'short.dmp: minidump header cut short at 20 of 32 bytes']);
    const lost = bytes.slice();
    new DataView(lost.buffer).setUint32(12, 0xffff0000, true);
    const dir = await errorOf(lost, 'dir.dmp');
    expect([dir.kind, dir.message]).toEqual(['truncated', `dir.dmp: stream directory at 0xffff0000 lies past the end of the file (${bytes.length} bytes)`]);
    const none = bytes.slice();
    new DataView(none.buffer).setUint32(8, 0, true);
    expect((await reportOf(none, 'none.dmp')).warnings).toEqual([
      { kind: 'nothing-read', message: 'none.dmp: the stream directory lists no streams; there is nothing to analyse' },
    ]);
  });

  it('structure boundaries of three real dumps: a report or a one-line error, never anything else', async () => {
    let reports = 0;
    let errors = 0;
    for (const path of ['corpus/breakpad/minidump2.dmp', 'corpus/wine/nullptr.dmp', 'synth/x64-plain.dmp']) {
      const bytes = fixture(path);
      const all = dumpLayout(bytes)!.boundaries;
      // Wine lists thousands of memory ranges; 120 boundaries spread over the file are enough here
      // (the fuzzer cuts at all of them).
      const step = Math.max(1, Math.ceil(all.length / 120));
      const cuts = all.filter((_, i) => i % step === 0).flatMap((b) => [b - 1, b, b + 1]).filter((c) => c >= 0 && c < bytes.length);
      for (const cut of new Set(cuts)) {
        const o = await run(bytes.subarray(0, cut), `${path}@${cut}`);
        if (o.error) {
          expect(o.error.message, `${path} cut at ${cut}`).not.toMatch(/\n/);
          expect(['not-a-dump', 'truncated', 'corrupt']).toContain(o.error.kind);
          errors++;
        } else reports++;
      }
    }
    expect(errors).toBeGreaterThan(5);
    expect(reports).toBeGreaterThan(50);
  }, 30_000);
});

describe('strings', () => {
  it('5000 module names pointing at one 64 KiB string: cut after 16 MiB of strings, once said', async () => {
    const b = new MinidumpBuilder().systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045 });
    for (let i = 0; i < 5000; i++) b.module({ name: `m${i}.dll`, base: 0x10000000 + i * 0x10000, size: 0x1000 });
    const built = b.build();
    const list = built.streams.find((s) => s.type === StreamType.ModuleList)!;
    const chars = 32 * 1024 - 2;
    const str = new Uint8Array(4 + chars * 2);
    new DataView(str.buffer).setUint32(0, chars * 2, true);
    str.fill(0x41, 4);
    for (let i = 5; i < str.length; i += 2) str[i] = 0;
    const rva = built.bytes.length;
    const bytes = new Uint8Array(rva + str.length);
    bytes.set(built.bytes);
    bytes.set(str, rva);
    const v = new DataView(bytes.buffer);
    for (let i = 0; i < 5000; i++) v.setUint32(list.rva + 4 + i * 108 + 20, rva, true);
    const r = await reportOf(bytes, 'names.dmp');
    expect(r.modules).toHaveLength(5000);
    expect(r.warnings).toContainEqual({ kind: 'cap-strings', message: "strings beyond the first 16777216 bytes of the dump's strings are cut to 512 bytes each" });
    // 256 names of 64 KiB fit the 16 MiB; the rest are 256 characters.
    expect(r.modules.filter((m) => m.path!.length === chars)).toHaveLength(256);
    expect(r.modules.at(-1)!.path).toHaveLength(256);
    expect(JSON.stringify(r).length).toBeLessThan(80 * 1024 * 1024);
  });
});
