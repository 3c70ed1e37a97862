// The record parsers, one format at a time, with the examples of Breakpad's symbol_files.md and
// lines from the real files in fixtures/symbols/breakpad.
import { describe, expect, it } from 'vitest';
import { parseHex, splitFields } from '../../../src/engine/breakpad-sym/fields.ts';
import { parseFuncRecord, parseInlineRecord, parseLineRecord, parsePublicRecord } from '../../../src/engine/breakpad-sym/function-records.ts';
import { parseCodeIdRecord, parseModuleRecord } from '../../../src/engine/breakpad-sym/module-record.ts';
import { parseFileRecord, parseInlineOriginRecord } from '../../../src/engine/breakpad-sym/name-records.ts';
import { readRecordHead } from '../../../src/engine/breakpad-sym/record-head.ts';
import { parseCfiDeltaRecord, parseCfiInitRecord, parseCfiRuleSet, parseStackWinRecord } from '../../../src/engine/breakpad-sym/stack-records.ts';

const head = (line: string) => {
  const bytes = new TextEncoder().encode(line);
  return readRecordHead(bytes, 0, bytes.length);
};

describe('fields', () => {
  it('splits at runs of spaces, the last field keeping the rest', () => {
    expect(splitFields('FUNC  c184 30 0 nsQueryInterfaceWithError::operator()(nsID const&, void**) const', 5)).toEqual([
      'FUNC',
      'c184',
      '30',
      '0',
      'nsQueryInterfaceWithError::operator()(nsID const&, void**) const',
    ]);
    expect(splitFields('  a  ', 3)).toEqual(['a']);
  });
  it('hex: bare digits of either case, no prefix, no more than 2^53', () => {
    expect(parseHex('c184')).toBe(0xc184);
    expect(parseHex('C184')).toBe(0xc184);
    expect(parseHex('0x10')).toBeNull();
    expect(parseHex('')).toBeNull();
    expect(parseHex('ffffffffffffffff')).toBeNull();
  });
});

describe('record heads (the cheap classification)', () => {
  it('tells every kind apart and reads its key', () => {
    expect(head('MODULE Linux x86 D3096ED481217FD4C16B29CD9BC208BA0 firefox-bin')).toMatchObject({ kind: 'module' });
    expect(head('FILE 2 /home/jimb/mc/in/browser/app/nsBrowserApp.cpp')).toMatchObject({ kind: 'file', key: 2 });
    expect(head('INLINE_ORIGIN 1 foo()')).toMatchObject({ kind: 'inline-origin', key: 1 });
    expect(head('FUNC m c184 30 0 f')).toMatchObject({ kind: 'func', key: 0xc184, size: 0x30 });
    expect(head('c184 7 59 4')).toMatchObject({ kind: 'line', key: 0xc184 });
    expect(head('INLINE 0 42 1 1 15b45 6b1')).toMatchObject({ kind: 'inline' });
    expect(head('PUBLIC m 2160 0 Public2_1')).toMatchObject({ kind: 'public', key: 0x2160 });
    expect(head('STACK WIN 4 2170 14 1 0 0 0 0 0 1 $eip 4 + ^ =')).toMatchObject({ kind: 'stack-win', key: 0x2170, size: 0x14, winType: 4 });
    expect(head('STACK CFI INIT 804c4b0 40 .cfa: $esp 4 + $eip: .cfa 4 - ^')).toMatchObject({ kind: 'stack-cfi-init', key: 0x804c4b0, size: 0x40 });
    expect(head('STACK CFI 804c4b1 .cfa: $esp 8 + $ebp: .cfa 8 - ^')).toMatchObject({ kind: 'stack-cfi', key: 0x804c4b1 });
  });
  it('calls garbage unknown', () => {
    for (const line of ['', 'FUNC zz 10 0 f', 'hello world', 'STACK FOO 1', 'FILE x name', '\u00ff\u00fe']) expect(head(line).kind).toBe('unknown');
  });
});

describe('MODULE and INFO', () => {
  it("reads test_app.sym's MODULE line", () => {
    expect(parseModuleRecord('MODULE windows x86 5A9832E5287241C1838ED98914E9B7FF1 test_app.pdb')).toEqual({
      os: 'windows',
      arch: 'x86',
      debugId: '5A9832E5287241C1838ED98914E9B7FF1',
      debugFile: 'test_app.pdb',
    });
  });
  it('keeps spaces in the name and upper-cases the id', () => {
    expect(parseModuleRecord('MODULE mac x86_64 d3096ed481217fd4c16b29cd9bc208ba0 My App')).toMatchObject({ debugId: 'D3096ED481217FD4C16B29CD9BC208BA0', debugFile: 'My App' });
  });
  it('says why a line is not a MODULE line', () => {
    expect(parseModuleRecord('FILE 1 x')).toEqual({ error: 'it does not start with a MODULE line' });
    expect(parseModuleRecord('MODULE windows x86 5A98')).toMatchObject({ error: expect.stringContaining('fewer than the five fields') });
    expect(parseModuleRecord('MODULE windows x86 not-hex test.pdb')).toMatchObject({ error: expect.stringContaining('not a hexadecimal') });
  });
  it('INFO CODE_ID with and without a file name', () => {
    expect(parseCodeIdRecord('INFO CODE_ID 10FAA6BBAAB83DB3')).toEqual({ codeId: '10FAA6BBAAB83DB3', codeFile: null });
    expect(parseCodeIdRecord('INFO CODE_ID 45e5bd4c2d000 test_app.exe')).toEqual({ codeId: '45E5BD4C2D000', codeFile: 'test_app.exe' });
    expect(parseCodeIdRecord('INFO GENERATOR mozilla/dump_syms 2.3.4')).toBeNull();
  });
});

describe('FILE and INLINE_ORIGIN', () => {
  it('FILE with a path holding spaces', () => {
    expect(parseFileRecord('FILE 2 C:\\Program Files\\x.cc')).toEqual({ id: 2, name: 'C:\\Program Files\\x.cc' });
    expect(parseFileRecord('FILE -1 x')).toBeNull();
    expect(parseFileRecord('FILE 3')).toBeNull();
  });
  it('INLINE_ORIGIN in the current and the older form (with a file id, -1 allowed)', () => {
    expect(parseInlineOriginRecord('INLINE_ORIGIN 0 bar()')).toEqual({ id: 0, fileId: null, name: 'bar()' });
    expect(parseInlineOriginRecord('INLINE_ORIGIN 1 2 foo(int, int)')).toEqual({ id: 1, fileId: 2, name: 'foo(int, int)' });
    expect(parseInlineOriginRecord('INLINE_ORIGIN 1 -1 artificial')).toEqual({ id: 1, fileId: -1, name: 'artificial' });
    expect(parseInlineOriginRecord('INLINE_ORIGIN x foo')).toBeNull();
  });
});

describe('FUNC, line, INLINE, PUBLIC', () => {
  it("FUNC with and without 'm'", () => {
    expect(parseFuncRecord('FUNC m c184 30 0 nsQueryInterfaceWithError::operator()(nsID const&, void**) const')).toEqual({
      address: 0xc184,
      size: 0x30,
      parameterSize: 0,
      multiple: true,
      name: 'nsQueryInterfaceWithError::operator()(nsID const&, void**) const',
    });
    expect(parseFuncRecord("FUNC 4290 18 0 `anonymous namespace'::CrashFunction")).toMatchObject({ multiple: false, name: "`anonymous namespace'::CrashFunction" });
    expect(parseFuncRecord('FUNC 4290 18 0')).toBeNull();
    expect(parseFuncRecord('FUNC m 4290 18 0')).toBeNull();
  });
  it('line records', () => {
    expect(parseLineRecord('c184 7 59 4')).toEqual({ address: 0xc184, size: 7, line: 59, fileId: 4 });
    expect(parseLineRecord('15b6b 7 0 0')).toEqual({ address: 0x15b6b, size: 7, line: 0, fileId: 0 });
    expect(parseLineRecord('c184 7 59')).toBeNull();
    expect(parseLineRecord('c184 7 -59 4')).toBeNull();
  });
  it('INLINE in both forms, told apart by the count of fields as Breakpad does', () => {
    expect(parseInlineRecord('INLINE 0 42 1 1 15b45 6b1')).toEqual({ nestLevel: 0, callSiteLine: 42, callSiteFileId: 1, originId: 1, ranges: [[0x15b45, 0x6b1]] });
    expect(parseInlineRecord('INLINE 1 39 0 15b72 684 16000 10')).toEqual({
      nestLevel: 1,
      callSiteLine: 39,
      callSiteFileId: null,
      originId: 0,
      ranges: [
        [0x15b72, 0x684],
        [0x16000, 0x10],
      ],
    });
    expect(parseInlineRecord('INLINE 0 42 1')).toBeNull();
    expect(parseInlineRecord(`INLINE 0 1 0 ${'10 1 '.repeat(5000)}`)).toBeNull(); // too many ranges
  });
  it("PUBLIC with and without 'm'", () => {
    expect(parsePublicRecord('PUBLIC m 2160 0 Public2_1')).toEqual({ address: 0x2160, parameterSize: 0, multiple: true, name: 'Public2_1' });
    expect(parsePublicRecord('PUBLIC 9b47 4 CloseHandle')).toEqual({ address: 0x9b47, parameterSize: 4, multiple: false, name: 'CloseHandle' });
    expect(parsePublicRecord('PUBLIC 9b47 4')).toBeNull();
  });
});

describe('STACK WIN and STACK CFI', () => {
  it('STACK WIN type 4 with a program (test_app.sym)', () => {
    expect(parseStackWinRecord('STACK WIN 4 4290 18 4 0 0 0 4 0 1 $T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + =')).toEqual({
      type: 4,
      rva: 0x4290,
      codeSize: 0x18,
      prologSize: 4,
      epilogSize: 0,
      parameterSize: 0,
      savedRegisterSize: 0,
      localSize: 4,
      maxStackSize: 0,
      program: '$T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + =',
      allocatesBasePointer: false,
    });
  });
  it('STACK WIN type 0 with allocates_base_pointer', () => {
    expect(parseStackWinRecord('STACK WIN 0 9ae0 4c 8 0 c 10 0 0 0 1')).toMatchObject({ type: 0, rva: 0x9ae0, program: null, allocatesBasePointer: true });
    expect(parseStackWinRecord('STACK WIN 0 1000 13 0 0 4 0 0 0 0 0')).toMatchObject({ allocatesBasePointer: false });
    expect(parseStackWinRecord('STACK WIN 0 1000 13 0 0 4 0 0 0 0')).toBeNull();
  });
  it("CFI rule sets, as in symbol_files.md's example", () => {
    expect(parseCfiInitRecord('STACK CFI INIT 804c4b0 40 .cfa: $esp 4 + $eip: .cfa 4 - ^')).toEqual({
      address: 0x804c4b0,
      size: 0x40,
      rules: new Map([
        ['.cfa', '$esp 4 +'],
        ['$eip', '.cfa 4 - ^'],
      ]),
    });
    expect(parseCfiDeltaRecord('STACK CFI 804c4b1 .cfa: $esp 8 + $ebp: .cfa 8 - ^')).toEqual({
      address: 0x804c4b1,
      rules: new Map([
        ['.cfa', '$esp 8 +'],
        ['$ebp', '.cfa 8 - ^'],
      ]),
    });
    expect(parseCfiRuleSet('.cfa: sp 0 + .ra: x30')).toEqual(new Map([['.cfa', 'sp 0 +'], ['.ra', 'x30']]));
  });
  it('refuses rule sets without a name, without an expression, or with an empty name', () => {
    expect(parseCfiRuleSet('$esp 4 +')).toBeNull();
    expect(parseCfiRuleSet('.cfa: .ra: x')).toBeNull();
    expect(parseCfiRuleSet(': x')).toBeNull();
    expect(parseCfiRuleSet('')).toBeNull();
  });
});
