// x86 stack walking on hand-built 32-bit images and stacks: the EBP chain first, then scanning.
import { describe, expect, it } from 'vitest';
import { walkX86 } from '../../../src/engine/unwind/x86.ts';
import type { X86Registers } from '../../../src/engine/unwind/types.ts';
import { Section } from '../../synth/section.ts';
import { buildPeFromSections, flatImage, SCN_CODE_EXECUTE_READ, SCN_INITIALIZED_READ_WRITE } from '../../synth/pe-builder.ts';
import { makeEnv, textBytes } from './support/env.ts';

const EXE = 0x0015_0000n;
const SYS = 0x7510_0000n; // a system DLL the dump has no code for
const S = 0x0031_f000n;

// Return addresses in EXE's .text (RVA 0x1000), each after a different CALL form.
const R1 = EXE + 0x1105n; // after E8 rel32 at 0x1100
const R2 = EXE + 0x1202n; // after FF D0 (call eax) at 0x1200
const R3 = EXE + 0x1306n; // after FF 15 [abs32] at 0x1300
const NOT_CALL = EXE + 0x1400n; // int3 bytes before it
const DATA = EXE + 0x2010n; // in .data

function setup(stack: Section) {
  const code = textBytes(0x800, {
    0x100: [0xe8, 0x00, 0x01, 0x00, 0x00],
    0x200: [0xff, 0xd0],
    0x300: [0xff, 0x15, 0x00, 0x30, 0x15, 0x00],
  });
  const image = buildPeFromSections({
    machine: 'x86',
    imageBase: EXE,
    sections: [
      { name: '.text', rva: 0x1000, bytes: code, characteristics: SCN_CODE_EXECUTE_READ },
      { name: '.data', rva: 0x2000, bytes: new Uint8Array(0x100), characteristics: SCN_INITIALIZED_READ_WRITE },
    ],
  });
  return makeEnv(
    [
      { base: EXE, bytes: flatImage(image) },
      { base: stack.origin, bytes: stack.toBytes() },
    ],
    [
      { name: 'C:\\work\\fizz.exe', base: EXE, size: BigInt(image.sizeOfImage) },
      { name: 'C:\\Windows\\SysWOW64\\kernel32.dll', base: SYS, size: 0x110000n },
    ],
  );
}

const ctx = (eip: bigint, esp: bigint, more: Partial<X86Registers> = {}): X86Registers => ({ eip, esp, ...more });

describe('x86 frame pointer', () => {
  it('follows the EBP chain to its zero terminator', async () => {
    const st = new Section(S);
    st.padTo(0x40).u32(Number(S + 0x80n)).u32(Number(R1)); // frame 0's EBP = S+40h
    st.padTo(0x80).u32(Number(S + 0xc0n)).u32(Number(R2));
    st.padTo(0xc0).u32(Number(S + 0xd0n)).u32(Number(SYS + 0x1336an)); // into a DLL with no code in the dump
    st.padTo(0xd0).u32(0).u32(0); // RtlUserThreadStart's frame ends the chain
    st.padTo(0x100);
    const walk = await walkX86(ctx(EXE + 0x1010n, S, { ebp: S + 0x40n, ebx: 0x7efde000n }), setup(st));
    expect(walk.frames.map((f) => f.ip)).toEqual([EXE + 0x1010n, R1, R2, SYS + 0x1336an]);
    expect(walk.frames.map((f) => f.sp)).toEqual([S, S + 0x48n, S + 0x88n, S + 0xc8n]);
    expect(walk.frames.map((f) => f.trust)).toEqual(['context', 'frame-pointer', 'frame-pointer', 'frame-pointer']);
    expect(walk.frames[1]!.registers).toEqual({ eip: R1, esp: S + 0x48n, ebp: S + 0x80n });
    expect(walk.frames[3]!.registers.ebp).toBe(S + 0xd0n);
    expect(walk.stop).toBe('end-of-stack');
  });

  it('rejects a chain link whose return address is not after a CALL, and scans instead', async () => {
    const st = new Section(S);
    st.u32(Number(DATA)).u32(Number(NOT_CALL)).u32(0x1234).u32(Number(R3)); // scan candidates
    st.padTo(0x40).u32(Number(S + 0x80n)).u32(Number(NOT_CALL));
    st.padTo(0x100);
    const walk = await walkX86(ctx(EXE + 0x1010n, S, { ebp: S + 0x40n }), setup(st), { maxFrames: 2 });
    expect(walk.frames[1]).toMatchObject({ ip: R3, sp: S + 0x10n, trust: 'scan' });
  });

  it('ignores an EBP below ESP (not a frame pointer of this stack)', async () => {
    const st = new Section(S).u32(Number(R1)).padTo(0x100);
    const walk = await walkX86(ctx(EXE + 0x1010n, S + 0x10n, { ebp: S }), setup(st), { maxFrames: 2 });
    // Scanning from ESP finds nothing above S+10h.
    expect(walk.frames).toHaveLength(1);
    expect(walk.stop).toBe('no-caller-found');
  });
});

describe('x86 scanning', () => {
  it('takes the first value after a CALL in an executable section', async () => {
    const st = new Section(S)
      .u32(Number(NOT_CALL))
      .u32(Number(DATA))
      .u32(Number(SYS + 0x500n)) // unverifiable: the DLL's code is not in the dump
      .u32(Number(R2))
      .padTo(0x100);
    const walk = await walkX86(ctx(0x0n, S), setup(st), { maxFrames: 2 });
    expect(walk.frames[1]).toMatchObject({ ip: R2, sp: S + 0x10n, trust: 'scan' });
    const loose = await walkX86(ctx(0x0n, S), setup(st), { maxFrames: 2, acceptUnverified: true });
    expect(loose.frames[1]).toMatchObject({ ip: SYS + 0x500n, trust: 'scan', note: 'return address not verified: module code not available' });
  });

  it('keeps EBP for a scanned caller only when it lies above the caller’s ESP', async () => {
    const st = new Section(S).padTo(0x24).u32(Number(R1)).padTo(0x100);
    // EBP outside the captured stack: the chain cannot be read, scanning finds R1.
    const above = await walkX86(ctx(EXE + 0x1010n, S, { ebp: S + 0x1000n }), setup(st), { maxFrames: 2 });
    expect(above.frames[1]).toMatchObject({ ip: R1, sp: S + 0x28n, trust: 'scan' });
    expect(above.frames[1]!.registers.ebp).toBe(S + 0x1000n);
    // EBP inside the callee's frame, whose link is no return address: dropped for the caller.
    const st2 = new Section(S).padTo(0x10).u32(Number(S + 0x60n)).u32(Number(NOT_CALL)).padTo(0x24).u32(Number(R1)).padTo(0x100);
    const below = await walkX86(ctx(EXE + 0x1010n, S, { ebp: S + 0x10n }), setup(st2), { maxFrames: 2 });
    expect(below.frames[1]).toMatchObject({ ip: R1, sp: S + 0x28n, trust: 'scan' });
    expect(below.frames[1]!.registers.ebp).toBeUndefined();
  });
});

describe('x86 walk protections', () => {
  it('stops when an EBP chain loops on itself', async () => {
    const st = new Section(S).padTo(0x40).u32(Number(S + 0x40n)).u32(Number(R1)).padTo(0x100);
    const walk = await walkX86(ctx(EXE + 0x1010n, S, { ebp: S + 0x40n }), setup(st));
    // Frame 1 is fine; its caller's link is the same EBP, now below ESP, so it is not followed.
    expect(walk.frames.map((f) => f.ip)).toEqual([EXE + 0x1010n, R1]);
    expect(walk.stop).toBe('no-caller-found');
  });

  it('stops at the frame cap', async () => {
    const st = new Section(S);
    for (let i = 0; i < 100; i++) st.u32(Number(S + BigInt(i + 1) * 8n)).u32(Number(R1));
    const walk = await walkX86(ctx(EXE + 0x1010n, S, { ebp: S }), setup(st), { maxFrames: 7 });
    expect(walk.frames).toHaveLength(7);
    expect(walk.stop).toBe('cap-frames');
  });
});
