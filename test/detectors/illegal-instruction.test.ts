// The bytes at the faulting address name the kind of illegal instruction (the real dumps in
// test/patterns/illegal-instruction.cases.ts cover ud2, hlt and a Linux SIGILL; these cover the
// other encodings on a model built by hand).
import { describe, expect, it } from 'vitest';
import { emptyModel } from '../../src/engine/core/empty-model.ts';
import type { DumpModel } from '../../src/engine/core/dump-model.ts';
import detector from '../../src/detectors/illegal-instruction.ts';

function crashed(code: string, bytes: string | null, arch: DumpModel['system']['arch'] = 'amd64'): DumpModel {
  const m = emptyModel('minidump', 'x.dmp', 1);
  m.system.platform = 'windows';
  m.system.arch = arch;
  m.exception = { code, name: null, description: null, flags: '0x0', address: '0x401000', threadId: 1, parameters: [], access: null, chance: null, module: null, symbol: null };
  if (bytes !== null) m.faultBytes = { code: bytes, stack: [] };
  return m;
}

const only = (m: DumpModel) => {
  const found = detector.detect(m);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('illegal-instruction: what the bytes are', () => {
  it('names ud1 and ud0 as traps too, after prefixes', () => {
    expect(only(crashed('0xc000001d', '0fb9c0'))).toMatchObject({ messageId: 'trap', data: { instruction: 'ud1' } });
    expect(only(crashed('0xc000001d', '660fff00'))).toMatchObject({ messageId: 'trap', data: { instruction: 'ud0' } });
  });

  it('names VEX and EVEX instructions in 64-bit code, not in 32-bit code (LES, LDS, BOUND there)', () => {
    expect(only(crashed('0xc000001d', 'c5fd6f00'))).toMatchObject({ messageId: 'vector', data: { extension: 'AVX (VEX-encoded)' } });
    expect(only(crashed('0xc000001d', '62f17c48'))).toMatchObject({ messageId: 'vector', data: { extension: 'AVX-512 (EVEX-encoded)' } });
    expect(only(crashed('0xc000001d', 'c5fd6f00', 'x86'))).toMatchObject({ messageId: 'undecoded', data: { bytes: ' (bytes c5 fd 6f 00)' } });
  });

  it('names two-byte and port instructions as privileged, after a REX prefix', () => {
    expect(only(crashed('0xc0000096', '0f22d8'))).toMatchObject({ messageId: 'privileged', data: { instruction: 'mov to a control register' } });
    expect(only(crashed('0xc0000096', 'ec'))).toMatchObject({ messageId: 'privileged', data: { instruction: 'in' } });
    expect(only(crashed('0xc0000096', '480f32'))).toMatchObject({ messageId: 'privileged', data: { instruction: 'rdmsr' } });
  });

  it('shows the bytes when they are none of those, and says nothing of bytes it does not have', () => {
    expect(only(crashed('0xc000001d', 'ffff0000'))).toMatchObject({ messageId: 'undecoded', data: { bytes: ' (bytes ff ff 00 00)' } });
    expect(only(crashed('0xc0000096', '90909090'))).toMatchObject({ messageId: 'privilegedUnknown', data: { bytes: ' (bytes 90 90 90 90)' } });
    expect(only(crashed('0xc000001d', null))).toMatchObject({ messageId: 'undecoded', data: { bytes: '' }, confidence: 'certain' });
  });

  it('reads x86 opcodes only in x86 and x64 dumps: an ARM64 dump’s bytes are shown, not decoded', () => {
    expect(only(crashed('0xc0000096', 'f4000000', 'arm64'))).toMatchObject({ messageId: 'privilegedUnknown', data: { bytes: ' (bytes f4 00 00 00)' } });
  });

  it('does not call a trap what the privileged fault says is not one, nor fire on other codes', () => {
    expect(only(crashed('0xc0000096', '0f0b'))).toMatchObject({ messageId: 'privilegedUnknown' });
    expect(detector.detect(crashed('0xc0000005', '0f0b'))).toEqual([]);
  });
});
