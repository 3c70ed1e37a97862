// The postfix evaluator: the examples of Breakpad's docs, the quirks Breakpad's evaluator
// handles, every failure as a value, and the real thing — minidump2.dmp's stack walked frame
// by frame with test_app.sym's STACK WIN programs over the dump's own memory, giving the
// registers Breakpad's minidump2.stackwalk.out prints for each caller.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openBreakpadSym } from '../../../src/engine/breakpad-sym/open-breakpad-sym.ts';
import {
  evaluatePostfixExpression,
  MAX_POSTFIX_TOKENS,
  type PostfixMachine,
  recoverCallerRegisters,
  runPostfixProgram,
} from '../../../src/engine/breakpad-sym/postfix.ts';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { openMinidump } from '../../../src/engine/minidump/minidump.ts';

/** A machine over a few words of memory. */
function machine(bits: 32 | 64, words: Record<number, bigint> = {}): PostfixMachine & { reads: bigint[] } {
  const reads: bigint[] = [];
  return {
    bits,
    reads,
    readWord: async (address) => {
      reads.push(address);
      return words[Number(address)] ?? null;
    },
  };
}

const vars = (entries: Record<string, number | bigint>) => new Map(Object.entries(entries).map(([k, v]) => [k, BigInt(v)]));

describe('STACK WIN programs', () => {
  it("MSVC's FRAMEDATA program for a function with an EBP frame", async () => {
    const program = '$T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + =';
    const m = machine(32, { 0x1000: 0x2000n, 0x1004: 0x401234n });
    const result = await runPostfixProgram(program, vars({ $ebp: 0x1000, $esp: 0xff0 }), m);
    expect(result).toEqual({ ok: true, value: vars({ $T0: 0x1000, $eip: 0x401234, $ebp: 0x2000, $esp: 0x1008 }) });
  });

  it('an assignment glued to the next token (MSVC 2010, LTO), split as Breakpad splits it', async () => {
    const program = '$T0 $ebp 128 + =$eip $T0 4 + ^ =$ebp $T0 ^ =';
    const m = machine(32, { 0x1080: 0x2000n, 0x1084: 0x401234n });
    const result = await runPostfixProgram(program, vars({ $ebp: 0x1000 }), m);
    expect(result).toEqual({ ok: true, value: vars({ $T0: 0x1080, $eip: 0x401234, $ebp: 0x2000 }) });
  });

  it('a name is read when popped, so it sees an assignment made after it was pushed', async () => {
    // The second $T0 is pushed while $T0 is 1, popped by "+" after it became 5.
    const result = await runPostfixProgram('$T0 1 = $T2 $T0 $T0 5 = 10 + =', vars({}), machine(32));
    expect(result).toEqual({ ok: true, value: vars({ $T0: 5, $T2: 15 }) });
  });

  it('the .raSearch form and align (@)', async () => {
    const program = '$T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + = $T1 $esp 16 @ =';
    const m = machine(32, { 0x2000: 0x401000n });
    const result = await runPostfixProgram(program, vars({ '.raSearch': 0x2000 }), m);
    expect(result).toEqual({ ok: true, value: vars({ $T0: 0x2000, $eip: 0x401000, $esp: 0x2004, $T1: 0x2000 }) });
    expect((await evaluatePostfixExpression('27 8 @', vars({}), m))).toEqual({ ok: true, value: 24n });
  });

  it('arithmetic wraps at the frame width; negative literals are two’s complement', async () => {
    expect(await evaluatePostfixExpression('0 1 -', vars({}), machine(32))).toEqual({ ok: true, value: 0xffffffffn });
    expect(await evaluatePostfixExpression('0 1 -', vars({}), machine(64))).toEqual({ ok: true, value: 0xffffffffffffffffn });
    expect(await evaluatePostfixExpression('.cfa -8 +', vars({ '.cfa': 0x1000 }), machine(64))).toEqual({ ok: true, value: 0xff8n });
    expect(await evaluatePostfixExpression('7 2 / 7 2 % *', vars({}), machine(32))).toEqual({ ok: true, value: 3n });
  });
});

describe('failures are values', () => {
  const m = machine(32);
  it.each([
    ['$eip 4 +', 'unknown-name'],
    ['+', 'stack'],
    ['1 2 =', 'syntax'],
    ['.cfa 4 =', 'syntax'],
    ['1 0 /', 'arithmetic'],
    ['1 0 %', 'arithmetic'],
    ['4 ^', 'memory'],
    ['99999999999 1 +', 'syntax'],
  ])('%s → %s', async (program, kind) => {
    const result = await runPostfixProgram(program, vars({}), m);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe(kind);
  });

  it('a program that leaves values behind has failed; an expression must leave exactly one', async () => {
    expect(await runPostfixProgram('$T0 1 = 5', vars({}), m)).toMatchObject({ ok: false, error: { kind: 'syntax' } });
    expect(await evaluatePostfixExpression('1 2', vars({}), m)).toMatchObject({ ok: false, error: { kind: 'syntax' } });
  });

  it('is bounded: tokens, stack depth, memory reads, program length', async () => {
    expect(await runPostfixProgram('1 '.repeat(MAX_POSTFIX_TOKENS + 1), vars({}), m)).toMatchObject({ ok: false, error: { kind: 'limit' } });
    expect(await runPostfixProgram('1 '.repeat(300), vars({}), m)).toMatchObject({ ok: false, error: { kind: 'limit' } });
    const everywhere = { bits: 32 as const, readWord: async () => 0n };
    expect(await evaluatePostfixExpression(`0${' ^'.repeat(100)}`, vars({}), everywhere)).toMatchObject({ ok: false, error: { kind: 'limit' } });
    expect(await evaluatePostfixExpression('1 '.repeat(3000), vars({}), m)).toMatchObject({ ok: false, error: { kind: 'limit' } });
  });
});

describe('STACK CFI rules', () => {
  it("symbol_files.md's example function, at each of its rows", async () => {
    // .cfa: $sp; .ra: .cfa ^ at func+0; .cfa: $sp 16 + at func+1; $r0: .cfa 4 - ^ at func+2.
    const memory = { 0x7fe0: 0x1234n, 0x7ff0: 0xcafen };
    const atPlus2 = new Map([
      ['.cfa', '$sp 16 +'],
      ['.ra', '.cfa ^'],
      ['$r0', '.cfa 4 - ^'],
    ]);
    const result = await recoverCallerRegisters(atPlus2, vars({ $sp: 0x7fe0, $r0: 1 }), machine(32, { ...memory, 0x7fec: 77n }));
    expect(result).toEqual({ ok: true, value: { registers: vars({ $r0: 77, '.cfa': 0x7ff0, '.ra': 0xcafe }), failed: new Map() } });
  });

  it('needs .cfa and .ra; another register whose rule fails is left out and said so', async () => {
    expect(await recoverCallerRegisters(new Map([['.cfa', '$rsp 8 +']]), vars({ $rsp: 0 }), machine(64))).toMatchObject({ ok: false });
    const result = await recoverCallerRegisters(
      new Map([
        ['.cfa', '$rsp 8 +'],
        ['.ra', '.cfa -8 + ^'],
        ['$rbx', '.cfa -16 + ^'],
      ]),
      vars({ $rsp: 0x1000 }),
      machine(64, { 0x1000: 0x401000n }),
    );
    expect(result.ok && result.value.registers).toEqual(vars({ '.cfa': 0x1008, '.ra': 0x401000 }));
    expect(result.ok && [...result.value.failed.keys()]).toEqual(['$rbx']);
  });
});

describe("minidump2.dmp walked with test_app.sym's STACK WIN programs", () => {
  it('gives the caller registers of minidump2.stackwalk.out, frame after frame', async () => {
    const fixtures = new URL('../../../fixtures/', import.meta.url);
    const dump = await openMinidump(new Uint8ArraySource(new Uint8Array(readFileSync(new URL('corpus/breakpad/minidump2.dmp', fixtures))), 'minidump2.dmp'));
    const memory = await dump.memory();
    const m: PostfixMachine = { bits: 32, readWord: (address) => memory.readPointer(address, 4) };
    const symPath = 'symbols/breakpad/test_app.pdb/5A9832E5287241C1838ED98914E9B7FF1/test_app.sym';
    const sym = await openBreakpadSym(new Uint8ArraySource(new Uint8Array(readFileSync(new URL(symPath, fixtures))), 'test_app.sym'));

    // Frame 0 from the exception context, then what stackwalk.out prints for frames 1–3.
    const frames = [
      { eip: 0x0040429e, esp: 0x0012fe84, ebp: 0x0012fe88 },
      { eip: 0x00404200, esp: 0x0012fe90, ebp: 0x0012ff70 },
      { eip: 0x004053ec, esp: 0x0012ff78, ebp: 0x0012ffc0 },
      { eip: 0x7c816fd7, esp: 0x0012ffc8, ebp: 0x0012fff0 },
    ];
    for (let i = 0; i < 3; i++) {
      const callee = frames[i]!;
      const rva = callee.eip - 0x400000 - (i === 0 ? 0 : 1);
      const info = (await sym.x86FrameInfo(rva))!;
      expect(info.kind).toBe('framedata');
      const result = await runPostfixProgram(
        info.program!,
        vars({ $eip: callee.eip, $esp: callee.esp, $ebp: callee.ebp, '.cbParams': info.paramsSize, '.cbSavedRegs': info.savedRegsSize, '.cbLocals': info.localsSize }),
        m,
      );
      expect(result.ok).toBe(true);
      const caller = frames[i + 1]!;
      if (result.ok) {
        expect([result.value.get('$eip'), result.value.get('$esp'), result.value.get('$ebp')]).toEqual([BigInt(caller.eip), BigInt(caller.esp), BigInt(caller.ebp)]);
      }
    }
  });
});
