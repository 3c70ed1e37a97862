// The model facts issue 12's second group of patterns reads from dump memory (TEB.LastErrorValue,
// PEB.NtGlobalFlag, both comment streams, a delay-load failure's names, code compared with the
// module files and with the unwind codes), each through readMinidumpModel on dumps the test-dump
// builder lays out byte by byte: what is read, and what is refused (a TEB that does not point at
// itself, a DelayLoadInfo of the wrong size, a file of another build).
import { describe, expect, it } from 'vitest';
import { readMinidumpModel } from '../../../../src/engine/model/from-minidump.ts';
import { Uint8ArraySource } from '../../../../src/engine/io/uint8array-source.ts';
import { MinidumpBuilder } from '../../../synth/minidump-builder.ts';
import { contextAmd64, contextX86 } from '../../../synth/context-writers.ts';
import { buildPeFromSections, flatImage, SCN_CODE_EXECUTE_READ } from '../../../synth/pe-builder.ts';

const TID = 0x1a2c;

function le32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

function le64(v: bigint): number[] {
  return [...le32(Number(v & 0xffffffffn)), ...le32(Number(v >> 32n))];
}

/** A zeroed block with values placed at offsets. */
function block(size: number, fields: [number, number[]][]): Uint8Array {
  const b = new Uint8Array(size);
  for (const [at, bytes] of fields) b.set(bytes, at);
  return b;
}

async function model(bytes: Uint8Array, images: { name: string; bytes: Uint8Array }[] = []) {
  return readMinidumpModel(new Uint8ArraySource(bytes, 'test.dmp'), { images: images.map((i) => new Uint8ArraySource(i.bytes, i.name)) });
}

function x64(): MinidumpBuilder {
  return new MinidumpBuilder().systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045, productType: 1 });
}

describe('TEB.LastErrorValue and PEB.NtGlobalFlag', () => {
  const TEB = 0x7ff6a000n;
  const PEB = 0x7ff6c000n;

  it('x64: LastErrorValue at TEB+0x68, NtGlobalFlag at PEB+0xBC through TEB+0x60', async () => {
    const teb = block(0x2000, [[0x30, le64(TEB)], [0x60, le64(PEB)], [0x68, le32(5)]]);
    const peb = block(0x1000, [[0xbc, le32(0x02001000)]]);
    const m = await model(x64().thread({ id: TID, teb: TEB, context: contextAmd64({ rip: 0x1000n, rsp: 0x2000n }) }).memory(TEB, teb).memory(PEB, peb).build().bytes);
    expect(m.threads[0]!.lastError).toBe(5);
    expect(m.process.ntGlobalFlag).toBe('0x2001000');
  });

  it('a TEB that does not point at itself is not believed, and a dump without TEBs leaves both unknown', async () => {
    const wrong = block(0x2000, [[0x30, le64(TEB + 0x1000n)], [0x60, le64(PEB)], [0x68, le32(5)]]);
    const m = await model(x64().thread({ id: TID, teb: TEB }).memory(TEB, wrong).memory(PEB, new Uint8Array(0x1000)).build().bytes);
    expect(m.threads[0]!.lastError).toBeNull();
    expect(m.process.ntGlobalFlag).toBeNull();
    const none = await model(x64().thread({ id: TID, teb: TEB }).build().bytes);
    expect(none.threads[0]!.lastError).toBeNull();
    expect(none.process.ntGlobalFlag).toBeNull();
  });

  it('x86: LastErrorValue at TEB+0x34, NtGlobalFlag at PEB+0x68 through TEB+0x30', async () => {
    const teb = block(0x1000, [[0x18, le32(0x7ffdf000)], [0x30, le32(0x7ffd8000)], [0x34, le32(1460)]]);
    const peb = block(0x1000, [[0x68, le32(0x70)]]);
    const bytes = new MinidumpBuilder()
      .systemInfo({ arch: 'x86', major: 6, minor: 1, build: 7601, productType: 1 })
      .thread({ id: TID, teb: 0x7ffdf000, context: contextX86({ eip: 0x401000, esp: 0x12f000 }) })
      .memory(0x7ffdf000, teb)
      .memory(0x7ffd8000, peb)
      .build().bytes;
    const m = await model(bytes);
    expect(m.threads[0]!.lastError).toBe(1460);
    expect(m.process.ntGlobalFlag).toBe('0x70');
  });
});

describe('comment streams', () => {
  it('both streams, in directory order, cut at the NUL', async () => {
    const m = await model(x64().commentA('written by procdump').commentW('User action: Save').build().bytes);
    expect(m.dump.comments).toEqual([
      { stream: 'CommentStreamA', text: 'written by procdump' },
      { stream: 'CommentStreamW', text: 'User action: Save' },
    ]);
    expect((await model(x64().build().bytes)).dump.comments).toBeUndefined();
  });
});

describe('a delay-load failure names its DLL and function', () => {
  const INFO = 0x21fc00n;
  const DLL = 0x14000e860n;
  const PROC = 0x14000e4a2n;
  const ascii = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)).concat(0));

  function dump(cb: number, withNames: boolean): Uint8Array {
    const info = block(72, [[0, le32(cb)], [24, le64(DLL)], [32, le32(1)], [40, le64(PROC)], [64, le32(126)]]);
    const b = x64()
      .thread({ id: TID, context: contextAmd64({ rip: 0x7b013d7en, rsp: 0x21fb00n }) })
      .exception({ threadId: TID, code: 0xc06d007e, address: 0x7b013d7en, parameters: [INFO] })
      .memory(INFO, info);
    if (withNames) b.memory(DLL, ascii('scanner.dll')).memory(PROC, ascii('scanner_open'));
    return b.build().bytes;
  }

  it('from the DelayLoadInfo the parameter points at (x64 layout, 72 bytes)', async () => {
    const m = await model(dump(72, true));
    expect(m.exception?.delayLoad).toEqual({ dll: 'scanner.dll', procedure: 'scanner_open', ordinal: null, lastError: 126 });
  });

  it('names not in the dump (and no module file) are null; a record of the wrong size is not one', async () => {
    expect((await model(dump(72, false))).exception?.delayLoad).toEqual({ dll: null, procedure: null, ordinal: null, lastError: 126 });
    expect((await model(dump(36, true))).exception?.delayLoad).toBeUndefined();
  });
});

describe('code compared with the module file and with the unwind codes', () => {
  const BASE = 0x140000000n;
  // A function with a prolog the unwind codes describe: push rbp; mov rbp, rsp; sub rsp, 0x10;
  // then a 64-bit absolute address (a relocated value) and a return.
  const original = new Uint8Array([0x55, 0x48, 0x89, 0xe5, 0x48, 0x83, 0xec, 0x10, 0x48, 0xb9, ...le64(BASE + 0x2000n), 0xc9, 0xc3]);
  // UNWIND_INFO v1: prolog 8 bytes, 3 codes: ALLOC_SMALL(0x10) at 8, SET_FPREG at 4, PUSH_NONVOL rbp at 1
  const unwind = new Uint8Array([0x01, 0x08, 0x03, 0x05, 0x08, 0x12, 0x04, 0x03, 0x01, 0x50, 0, 0]);
  const pdata = new Uint8Array([...le32(0x1000), ...le32(0x1000 + original.length), ...le32(0x3000)]);
  // One base relocation block: page 0x1000, a DIR64 entry at +0x0a (the mov rcx, imm64 operand).
  const reloc = new Uint8Array([...le32(0x1000), ...le32(12), 0x0a, 0xa0, 0, 0]);

  function image(text: Uint8Array) {
    return buildPeFromSections({
      machine: 'amd64',
      imageBase: BASE,
      sections: [
        { name: '.text', rva: 0x1000, bytes: text, characteristics: SCN_CODE_EXECUTE_READ },
        { name: '.rdata', rva: 0x3000, bytes: unwind, characteristics: 0x40000040 },
        { name: '.pdata', rva: 0x4000, bytes: pdata, characteristics: 0x40000040 },
        { name: '.reloc', rva: 0x5000, bytes: reloc, characteristics: 0x42000040 },
      ],
      directories: { 3: { rva: 0x4000, size: 12 }, 5: { rva: 0x5000, size: reloc.length } },
    });
  }

  /** A dump of the image mapped at `base`, its .text as given (already relocated or patched). */
  function dumpOf(base: bigint, text: Uint8Array): { dump: Uint8Array; file: Uint8Array } {
    const pe = image(original);
    const mapped = flatImage(image(text));
    const b = x64().module({ name: 'C:\\app\\app.exe', base, size: pe.sizeOfImage }).thread({ id: TID, context: contextAmd64({ rip: base + 0x1000n, rsp: 0x2000n }) });
    b.memory(base, mapped);
    return { dump: b.build().bytes, file: pe.file };
  }

  function relocated(delta: bigint): Uint8Array {
    const t = new Uint8Array(original);
    new DataView(t.buffer).setBigUint64(10, BASE + 0x2000n + delta, true);
    return t;
  }

  it('a module loaded away from its base: relocated pointers are not differences', async () => {
    const { dump, file } = dumpOf(BASE + 0x10000000n, relocated(0x10000000n));
    const m = await model(dump, [{ name: 'app.exe', bytes: file }]);
    expect(m.codeIntegrity?.modules).toEqual([{ name: 'app.exe', comparedBytes: expect.any(Number) }]);
    expect(m.codeIntegrity?.patches).toEqual([]);
    expect(m.codeIntegrity?.prologsChecked).toBe(1);
  });

  it('a jump over the prolog: found with the file (certain basis) and, without it, against the unwind codes', async () => {
    const hooked = new Uint8Array(original);
    hooked.set([0xe9, ...le32(0x0ffb)], 0); // jmp rel32 to 0x140002000
    const { dump, file } = dumpOf(BASE, hooked);
    const withFile = await model(dump, [{ name: 'app.exe', bytes: file }]);
    expect(withFile.codeIntegrity?.patches).toEqual([
      expect.objectContaining({ basis: 'module file', address: '0x140001000', length: 5, expected: '55 48 89 e5 48', jumpTarget: '0x140002000' }),
    ]);
    const alone = await model(dump);
    expect(alone.codeIntegrity?.patches).toEqual([expect.objectContaining({ basis: 'unwind info', address: '0x140001000', expected: '55', jumpTarget: '0x140002000' })]);
  });

  it('a file of another build (size of image differs) is not compared', async () => {
    const { dump } = dumpOf(BASE, original);
    const other = buildPeFromSections({ machine: 'amd64', imageBase: BASE, sections: [{ name: '.text', rva: 0x1000, bytes: new Uint8Array(0x3000), characteristics: SCN_CODE_EXECUTE_READ }] });
    const m = await model(dump, [{ name: 'app.exe', bytes: other.file }]);
    expect(m.codeIntegrity?.modules ?? []).toEqual([]);
  });
});
