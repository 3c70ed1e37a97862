import { describe, expect, it } from 'vitest';
import { readU16, readU32, readU64 } from './byte-writer.ts';
import { AMD64_CONTEXT_OFFSETS, AMD64_CONTEXT_SIZE, contextAmd64, contextX86, X86_CONTEXT_OFFSETS, X86_CONTEXT_SIZE } from './context-writers.ts';

describe('context writers', () => {
  it('writes an i386 CONTEXT of 716 bytes with registers at winnt.h offsets', () => {
    const c = contextX86({ eip: 0x7d4e2366, esp: 0x12d930, ebp: 0x12d98c, eax: 1, ebx: 2, ecx: 3, edx: 4, esi: 5, edi: 6 });
    expect(c.length).toBe(716);
    expect(X86_CONTEXT_SIZE).toBe(0x2cc);
    expect(readU32(c, 0)).toBe(0x1003f);
    expect(readU32(c, 0xb8)).toBe(0x7d4e2366);
    expect(readU32(c, 0xc4)).toBe(0x12d930);
    expect(readU32(c, 0xb4)).toBe(0x12d98c);
    expect([0xb0, 0xa4, 0xac, 0xa8, 0xa0, 0x9c].map((o) => readU32(c, o))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(readU32(c, 0xbc)).toBe(0x23);
    expect(readU32(c, 0xc8)).toBe(0x2b);
    expect(readU32(c, 0x90)).toBe(0x53);
    // the FLOATING_SAVE_AREA is 112 bytes between Dr7 and SegGs
    expect(X86_CONTEXT_OFFSETS.gs - X86_CONTEXT_OFFSETS.floatSave).toBe(112);
    expect(X86_CONTEXT_OFFSETS.extendedRegisters + 512).toBe(716);
  });

  it('writes an AMD64 CONTEXT of 1232 bytes with registers at winnt.h offsets', () => {
    const c = contextAmd64({ rip: 0x7ff7a13110d9n, rsp: 0x5ffe00n, rbp: 0x5ffe80n, r15: 0xf15n, contextFlags: 0x10000b, eflags: 0x10246 });
    expect(c.length).toBe(1232);
    expect(AMD64_CONTEXT_SIZE).toBe(0x4d0);
    expect(readU32(c, 0x30)).toBe(0x10000b);
    expect(readU32(c, 0x34)).toBe(0x1f80);
    expect(readU16(c, 0x38)).toBe(0x33);
    expect(readU16(c, 0x42)).toBe(0x2b);
    expect(readU32(c, 0x44)).toBe(0x10246);
    expect(readU64(c, 0xf8)).toBe(0x7ff7a13110d9n);
    expect(readU64(c, 0x98)).toBe(0x5ffe00n);
    expect(readU64(c, 0xa0)).toBe(0x5ffe80n);
    expect(readU64(c, 0xf0)).toBe(0xf15n);
    expect(AMD64_CONTEXT_OFFSETS.vectorRegister - AMD64_CONTEXT_OFFSETS.fltSave).toBe(512);
    expect(AMD64_CONTEXT_OFFSETS.lastExceptionFromRip + 8).toBe(1232);
  });

  it('appends an XSTATE extension after the fixed AMD64 part', () => {
    const ext = new Uint8Array(0x100).fill(0xee);
    const c = contextAmd64({ rip: 1n, extension: ext });
    expect(c.length).toBe(1232 + 0x100);
    expect(c[1232]).toBe(0xee);
    expect(readU64(c, 0xf8)).toBe(1n);
  });
});
