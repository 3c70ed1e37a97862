// The walkers on real dumps, through the minidump reader: the frames LLDB and Breakpad find
// (fixtures/corpus/reference/) are the yardstick.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { openMinidump, type Minidump } from '../../../src/engine/minidump/minidump.ts';
import { walkAmd64 } from '../../../src/engine/unwind/amd64.ts';
import { toModelFrames } from '../../../src/engine/unwind/model-frames.ts';
import { createModuleIndex } from '../../../src/engine/unwind/module-index.ts';
import type { UnwindEnv } from '../../../src/engine/unwind/types.ts';
import { walkX86 } from '../../../src/engine/unwind/x86.ts';
import type { ByteSource } from '../../../src/engine/io/byte-source.ts';

async function fixture(path: string): Promise<Uint8ArraySource> {
  const bytes = new Uint8Array(await readFile(new URL(`../../../fixtures/corpus/${path}`, import.meta.url)));
  return new Uint8ArraySource(bytes, path.split('/').pop()!);
}

async function environment(md: Minidump, files: ByteSource[] = []) {
  const memory = await md.memory();
  const modules = ((await md.modules()) ?? []).map((m) => ({ name: m.name, base: m.base, size: BigInt(m.size), timestamp: m.timestamp }));
  const index = createModuleIndex(modules, memory, files);
  const env: UnwindEnv = { memory, moduleAt: (a) => index.moduleAt(a) };
  return { env, index };
}

describe('real dumps', () => {
  it('walks nullptr.dmp (x64, Wine) by unwind info when nullptr.exe is supplied, as LLDB does', async () => {
    const md = await openMinidump(await fixture('wine/nullptr.dmp'));
    const { env, index } = await environment(md, [await fixture('wine/nullptr.exe')]);
    const ctx = await md.exceptionContext();
    expect(ctx?.arch).toBe('amd64');
    if (ctx?.arch !== 'amd64') return;
    const walk = await walkAmd64({ ...ctx.regs }, env);
    // reference/lldb/nullptr.dmp.with-exe.txt: write_field ← process ← main ← __tmainCRTStartup ← mainCRTStartup
    expect(walk.frames.slice(0, 5).map((f) => f.ip)).toEqual([0x140001683n, 0x1400016a4n, 0x1400016d5n, 0x1400013aen, 0x1400014e6n]);
    expect(walk.frames.slice(0, 5).map((f) => f.trust)).toEqual(['context', 'unwind-info', 'unwind-info', 'unwind-info', 'unwind-info']);
    // Breakpad's stack pointers for the same frames (reference/breakpad/nullptr.dmp.txt).
    expect(walk.frames.slice(0, 5).map((f) => f.sp)).toEqual([0x21fce0n, 0x21fcf0n, 0x21fd20n, 0x21fd50n, 0x21fe10n]);
    expect(index.warnings.filter((w) => w.kind === 'image-mismatch')).toEqual([]);
    const frames = await toModelFrames(walk, env);
    expect(frames[0]).toMatchObject({ module: 'nullptr', symbol: null, offset: '0x1683', retAddr: '0x1400016a4' });
    // mainCRTStartup's unwind info leads into kernel32 (Breakpad finds the same frame, by
    // scanning, at the same stack pointer); Wine's kernel32 has no code in this dump, so the
    // walk ends there rather than guess.
    expect(walk.frames[5]).toMatchObject({ ip: 0x7b627e49n, sp: 0x21fe40n, trust: 'unwind-info' });
    expect(walk.frames).toHaveLength(6);
    expect(walk.stop).toBe('no-caller-found');
  });

  it('without nullptr.exe, follows RBP where the dump kept the code bytes before the return addresses', async () => {
    const md = await openMinidump(await fixture('wine/nullptr.dmp'));
    const { env } = await environment(md);
    const ctx = await md.exceptionContext();
    if (ctx?.arch !== 'amd64') throw new Error('expected an amd64 context');
    const walk = await walkAmd64({ ...ctx.regs }, env);
    // Wine's dbghelp saves a few bytes of code around each return address it sees, so the
    // CALLs before 0x1400016a4 and 0x1400016d5 can be checked; mingw keeps RBP frames.
    expect(walk.frames.map((f) => [f.ip, f.sp, f.trust])).toEqual([
      [0x140001683n, 0x21fce0n, 'context'],
      [0x1400016a4n, 0x21fcf0n, 'frame-pointer'],
      [0x1400016d5n, 0x21fd20n, 'frame-pointer'],
    ]);
    expect(walk.stop).toBe('no-caller-found');
    // Breakpad's rule (module membership is enough) reaches its frames 3 and 4 by scanning.
    const loose = await walkAmd64({ ...ctx.regs }, env, { acceptUnverified: true, maxFrames: 5 });
    expect(loose.frames.map((f) => [f.ip, f.sp])).toEqual([
      [0x140001683n, 0x21fce0n],
      [0x1400016a4n, 0x21fcf0n],
      [0x1400016d5n, 0x21fd20n],
      [0x1400013aen, 0x21fd50n],
      [0x1400014e6n, 0x21fe10n],
    ]);
  });

  it('walks fizzbuzz_no_heap.dmp (x86) by the EBP chain to the frames LLDB and Breakpad find', async () => {
    const md = await openMinidump(await fixture('lldb/fizzbuzz_no_heap.dmp'));
    const { env } = await environment(md);
    const ctx = await md.exceptionContext();
    expect(ctx?.arch).toBe('x86');
    if (ctx?.arch !== 'x86') return;
    const walk = await walkX86({ ...ctx.regs }, env);
    expect(walk.frames.map((f) => f.ip)).toEqual([0x00164d14n, 0x00167c79n, 0x00167e6dn, 0x7510336an, 0x77759882n, 0x77759855n]);
    expect(walk.frames.map((f) => f.sp)).toEqual([0x31f6e8n, 0x31f7d4n, 0x31f824n, 0x31f82cn, 0x31f838n, 0x31f878n]);
    expect(walk.frames.slice(1).every((f) => f.trust === 'frame-pointer')).toBe(true);
    expect(walk.stop).toBe('end-of-stack');
    const frames = await toModelFrames(walk, env);
    expect(frames.map((f) => `${f.module}+${f.offset}`)).toEqual([
      'fizzbuzz+0x14d14',
      'fizzbuzz+0x17c79',
      'fizzbuzz+0x17e6d',
      'kernel32+0x1336a',
      'ntdll+0x39882',
      'ntdll+0x39855',
    ]);
  });
});
