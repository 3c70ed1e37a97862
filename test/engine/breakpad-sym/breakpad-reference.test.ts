// The reader against Breakpad's own answers. minidump2.stackwalk.machine_readable.out is what
// Breakpad's minidump_stackwalk printed for minidump2.dmp with the symbol files copied to
// fixtures/symbols/breakpad: every frame's function and file:line must come out of our reader
// for the same address. Breakpad looks up the instruction pointer of frame 0 and, for callers,
// the return address minus one (the call instruction), and so do we here.
//
// For the INLINE records of linux_inline.new.sym there is no Breakpad output in the corpus; the
// expected frames below were worked out by hand from the file, following Breakpad's resolver
// (basic_source_line_resolver.cc, ConstructInlineFrames): innermost first, the innermost at the
// address's own line record, each outer frame at the call site of the frame inlined into it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openBreakpadSym } from '../../../src/engine/breakpad-sym/open-breakpad-sym.ts';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';

const FIXTURES = new URL('../../../fixtures/', import.meta.url);

function fixture(path: string): string {
  return readFileSync(new URL(path, FIXTURES), 'utf8');
}

/** Symbol-store layout: test_app.pdb/<id>/test_app.sym, linux_inline/<id>/linux_inline.new.sym. */
function symPath(debugFile: string, debugId: string, file?: string): string {
  return `symbols/breakpad/${debugFile}/${debugId}/${file ?? `${debugFile.replace(/\.pdb$/i, '')}.sym`}`;
}

function openSym(path: string) {
  const bytes = new Uint8Array(readFileSync(new URL(path, FIXTURES)));
  return openBreakpadSym(new Uint8ArraySource(bytes, path.split('/').pop()));
}

describe("minidump2.dmp: every frame named as Breakpad's minidump_stackwalk names it", () => {
  const machine = fixture('corpus/breakpad/minidump2.stackwalk.machine_readable.out').split('\n');
  const human = fixture('corpus/breakpad/minidump2.stackwalk.out');
  const modules = new Map(
    machine
      .filter((l) => l.startsWith('Module|'))
      .map((l) => l.split('|'))
      .map((f) => [f[1]!, { debugFile: f[3]!, debugId: f[4]!, base: Number(f[5]) }]),
  );
  // "0|1|test_app.exe|main|c:\test_app.cc|65|0x5": thread|frame|module|function|file|line|offset.
  const frames = machine.filter((l) => /^0\|\d+\|/.test(l)).map((l) => l.split('|'));
  // The instruction pointers, from the human-readable listing ("eip = 0x0040429e").
  const eips = [...human.matchAll(/^ {4}eip = (0x[0-9a-f]+)/gm)].map((m) => Number(m[1]));

  it('has the four frames the listing shows', () => {
    expect(frames).toHaveLength(4);
    expect(eips).toHaveLength(4);
  });

  it.each([0, 1, 2, 3])('frame %i', async (n) => {
    const [, , moduleName, functionName, file, line, offset] = frames[n]!;
    const module = modules.get(moduleName!)!;
    const sym = await openSym(symPath(module.debugFile, module.debugId));
    expect(sym.identity).toEqual({ debugFile: module.debugFile, debugId: module.debugId });
    const rva = eips[n]! - module.base - (n === 0 ? 0 : 1);
    const found = await sym.lookup(rva);
    expect(found).not.toBeNull();
    expect(found!.levels).toHaveLength(1);
    const level = found!.levels[0]!;
    expect(level.name).toBe(functionName);
    if (file === '') {
      // A PUBLIC: Breakpad's offset is from the symbol's address.
      expect(found!.from).toBe('public');
      expect(level.source).toBeNull();
      expect(`0x${(eips[n]! - module.base - level.startRva).toString(16)}`).toBe(offset);
    } else {
      expect(found!.from).toBe('private');
      expect(level.source).toEqual({ file, line: Number(line) });
    }
    expect(sym.warnings).toEqual([]);
  });
});

describe('linux_inline.new.sym: INLINE records (hand-checked against the file)', () => {
  const path = symPath('linux_inline', 'BBA6FA10B8AAB33D00000000000000000', 'linux_inline.new.sym');

  it('identity and code id', async () => {
    const sym = await openSym(path);
    expect(sym.identity).toEqual({ debugFile: 'linux_inline', debugId: 'BBA6FA10B8AAB33D00000000000000000' });
    expect(sym.module).toMatchObject({ os: 'Linux', arch: 'x86_64', codeId: '10FAA6BBAAB83DB3', codeFile: null });
  });

  it('0x161b6, the crash address of linux_inline.dmp: three inline frames inside main', async () => {
    const sym = await openSym(path);
    // INLINE 0 42 1 1 15b45 6b1 (foo, called at a.cpp:42), INLINE 1 39 2 0 15b72 684 (bar, at
    // b.cpp:39), INLINE 2 32 3 2 15b83 673 (func, at c.cpp:32) all cover 0x161b6; the line
    // record "161b6 2 27 0" puts the address itself at linux_inline.cpp:27.
    expect(await sym.lookup(0x161b6)).toEqual({
      from: 'private',
      levels: [
        { name: 'func()', startRva: 0x15b83, inlined: true, source: { file: 'linux_inline.cpp', line: 27 } },
        { name: 'bar()', startRva: 0x15b72, inlined: true, source: { file: 'c.cpp', line: 32 } },
        { name: 'foo()', startRva: 0x15b45, inlined: true, source: { file: 'b.cpp', line: 39 } },
        { name: 'main', startRva: 0x15b30, inlined: false, source: { file: 'a.cpp', line: 42 } },
      ],
    });
  });

  it('one level of inlining, none, and a line-0 record', async () => {
    const sym = await openSym(path);
    // 0x15b50: only foo's range covers it; "15b45 11 36 0".
    expect((await sym.lookup(0x15b50))?.levels).toEqual([
      { name: 'foo()', startRva: 0x15b45, inlined: true, source: { file: 'linux_inline.cpp', line: 36 } },
      { name: 'main', startRva: 0x15b30, inlined: false, source: { file: 'a.cpp', line: 42 } },
    ]);
    // 0x15b30: main's prologue, no inline; "15b30 15 41 0".
    expect((await sym.lookup(0x15b30))?.levels).toEqual([{ name: 'main', startRva: 0x15b30, inlined: false, source: { file: 'linux_inline.cpp', line: 41 } }]);
    // 0x15b6b: "15b6b 7 0 0" is code of no line: no source for the innermost frame.
    expect((await sym.lookup(0x15b6b))?.levels[0]).toEqual({ name: 'foo()', startRva: 0x15b45, inlined: true, source: null });
    // Past main's end (0x15b30 + 0x6cf) nothing names the address.
    expect(await sym.lookup(0x15b30 + 0x6cf)).toBeNull();
    expect(sym.warnings).toEqual([]);
  });
});

describe('STACK records of the real files', () => {
  it("test_app.sym: the FRAMEDATA program Breakpad walks minidump2's frame 0 with", async () => {
    const sym = await openSym(symPath('test_app.pdb', '5A9832E5287241C1838ED98914E9B7FF1'));
    expect(await sym.x86FrameInfo(0x429e)).toEqual({
      kind: 'framedata',
      startRva: 0x4290,
      codeSize: 0x18,
      prologSize: 4,
      savedRegsSize: 0,
      localsSize: 4,
      paramsSize: 0,
      maxStackSize: 0,
      allocatesBasePointer: false,
      program: '$T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + = $L $T0 .cbSavedRegs - = $P $T0 8 + .cbParams + =',
    });
    // An FPO record from the run of type-0 records at the end of the file.
    expect(await sym.x86FrameInfo(0x1005)).toMatchObject({ kind: 'fpo', startRva: 0x1000, codeSize: 0x13, paramsSize: 4, maxStackSize: null, program: null });
    expect(await sym.cfiRules(0x429e)).toBeNull();
  });

  it('kernel32.sym: PUBLIC and STACK WIN records out of address order are still found', async () => {
    const sym = await openSym(symPath('kernel32.pdb', 'BCE8785C57B44245A669896B6A19B9542'));
    expect((await sym.lookup(0x9b47))?.levels[0]?.name).toBe('CloseHandle');
    expect((await sym.lookup(0xb5ae + 5))?.levels[0]?.name).toBe('BaseDllInitialize');
    expect((await sym.x86FrameInfo(0x16fd6))?.startRva).toBe(0x16fb4);
  });

  it('null_read_av.sym: STACK CFI INIT plus the deltas up to the address', async () => {
    const sym = await openSym(symPath('null_read_av', '7B7D1968FF0D47AE4366E9C3A7E1B6750'));
    expect(await sym.cfiRules(0x2180)).toEqual(new Map([['.cfa', '$rsp 8 +'], ['.ra', '.cfa -8 + ^']]));
    expect(await sym.cfiRules(0x21ae)).toEqual(new Map([['.cfa', '$rsp 16 +'], ['.ra', '.cfa -8 + ^'], ['$rbx', '.cfa -16 + ^']]));
    expect(await sym.cfiRules(0x2178)).toBeNull(); // between INIT 2170+8 and INIT 2180
    expect(await sym.x86FrameInfo(0x2180)).toBeNull(); // x86_64
    expect((await sym.lookup(0x2170))?.levels[0]?.name).toBe('crash()');
  });
});
