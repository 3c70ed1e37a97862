import { describe, expect, it } from 'vitest';
import { endsWithCall } from '../../../src/engine/unwind/call-instruction.ts';

// Seven bytes before a candidate return address, ending with `tail`; the rest is int3.
const before = (...tail: number[]): Uint8Array => Uint8Array.from([...new Array<number>(7 - tail.length).fill(0xcc), ...tail]);

describe('CALL before a return address', () => {
  const calls: [string, number[]][] = [
    ['call rel32', [0xe8, 0x10, 0x20, 0x30, 0x40]],
    ['call eax', [0xff, 0xd0]],
    ['call r11 (REX.B)', [0x41, 0xff, 0xd3]],
    ['call [eax]', [0xff, 0x10]],
    ['call [esp] (SIB)', [0xff, 0x14, 0x24]],
    ['call [ebp+8] (disp8)', [0xff, 0x55, 0x08]],
    ['call [esp+8] (SIB + disp8)', [0xff, 0x54, 0x24, 0x08]],
    ['call [rip+disp32] / [abs32]', [0xff, 0x15, 0x00, 0x10, 0x00, 0x00]],
    ['call [eax+disp32]', [0xff, 0x90, 0x00, 0x01, 0x00, 0x00]],
    ['call [esp+disp32] (SIB + disp32)', [0xff, 0x94, 0x24, 0x00, 0x01, 0x00, 0x00]],
    ['call [eax*4+disp32] (SIB, no base)', [0xff, 0x14, 0x85, 0x00, 0x10, 0x40, 0x00]],
    ['call far [eax] (FF /3)', [0xff, 0x18]],
  ];
  for (const [name, bytes] of calls) {
    it(`recognises ${name}`, () => {
      expect(endsWithCall(before(...bytes), 'amd64')).toBe(true);
      expect(endsWithCall(before(...bytes), 'x86')).toBe(true);
    });
  }

  it('recognises a far absolute call on x86 only', () => {
    const far = before(0x9a, 0x00, 0x10, 0x40, 0x00, 0x23, 0x00);
    expect(endsWithCall(far, 'x86')).toBe(true);
    expect(endsWithCall(far, 'amd64')).toBe(false);
  });

  it('rejects what is not a CALL ending exactly here', () => {
    expect(endsWithCall(before(), 'amd64')).toBe(false); // int3s
    expect(endsWithCall(before(0xff, 0xe0), 'amd64')).toBe(false); // jmp rax (FF /4)
    expect(endsWithCall(before(0xff, 0x25, 0, 0, 0, 0), 'amd64')).toBe(false); // jmp [rip+x]
    expect(endsWithCall(before(0xe8, 0, 0, 0, 0, 0x90), 'amd64')).toBe(false); // call, then one more byte
    expect(endsWithCall(before(0xff, 0x15, 0x00, 0x10), 'amd64')).toBe(false); // call [rip+x] cut short
    expect(endsWithCall(before(0xff, 0x55), 'amd64')).toBe(false); // [ebp+disp8] needs 3 bytes
    expect(endsWithCall(before(0xff, 0xd8), 'amd64')).toBe(false); // no far call through a register
    expect(endsWithCall(before(0x48, 0x89, 0xc1), 'amd64')).toBe(false); // mov rcx, rax
    expect(endsWithCall(new Uint8Array([0xe8]), 'amd64')).toBe(false); // too few bytes to tell
  });
});
