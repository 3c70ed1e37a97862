import { describe, expect, it } from 'vitest';
import { detectWow64 } from '../../../src/engine/wow64/detect.ts';

const seedModules = [
  { name: 'C:\\Program Files (x86)\\App\\App.exe', base: 0x400000n, size: 0x70000n },
  { name: 'C:\\WINDOWS\\system32\\ntdll.dll', base: 0x78e50000n, size: 0x1a0000n },
  { name: 'C:\\WINDOWS\\system32\\wow64.dll', base: 0x6b000000n, size: 0x3c000n },
  { name: 'C:\\WINDOWS\\system32\\wow64win.dll', base: 0x6b280000n, size: 0x3f000n },
  { name: 'C:\\WINDOWS\\system32\\wow64cpu.dll', base: 0x78b80000n, size: 0xa000n },
  { name: 'C:\\WINDOWS\\SysWOW64\\ntdll.dll', base: 0x7d600000n, size: 0x130000n },
  { name: 'C:\\WINDOWS\\SysWOW64\\kernel32.dll', base: 0x7d4c0000n, size: 0xf0000n },
];

describe('detectWow64', () => {
  it('recognises the WOW64 layer and SysWOW64 modules in a 64-bit dump', () => {
    const d = detectWow64(seedModules, 'amd64');
    expect(d.wow64).toBe(true);
    expect(d.evidence).toEqual([
      { kind: 'wow64-layer-module', module: 'wow64.dll' },
      { kind: 'wow64-layer-module', module: 'wow64win.dll' },
      { kind: 'wow64-layer-module', module: 'wow64cpu.dll' },
      { kind: 'syswow64-path', module: 'ntdll.dll' },
      { kind: 'syswow64-path', module: 'kernel32.dll' },
    ]);
    expect(d.x86Modules).toEqual([true, false, false, false, false, true, true]);
    expect(d.note).toContain('wow64-layer-module');
  });

  it('works on the dump model shape (hex strings, name and path apart)', () => {
    const d = detectWow64(
      [
        { name: 'wow64cpu.dll', path: 'C:\\Windows\\System32\\wow64cpu.dll', base: '0x74e30000', size: '0x8000' },
        { name: 'fizzbuzz.exe', path: 'C:\\Users\\x\\fizzbuzz.exe', base: '0x150000', size: '0x1e000' },
        { name: 'ntdll.dll', path: 'C:\\Windows\\System32\\ntdll.dll', base: '0x77520000', size: '0x1a9000' },
      ],
      'amd64',
    );
    expect(d.wow64).toBe(true);
    expect(d.x86Modules).toEqual([false, true, false]);
  });

  it('stays silent for a plain x64 process, even with a module below 4 GB', () => {
    const d = detectWow64(
      [
        { name: 'C:\\app\\sigsegv.exe', base: 0x7ff7a1300000n, size: 0x1e000n },
        { name: 'C:\\Windows\\System32\\ntdll.dll', base: 0x7ffc5e5a0000n, size: 0x1f5000n },
        { name: 'C:\\app\\legacy.dll', base: 0x10000000n, size: 0x20000n },
      ],
      'amd64',
    );
    expect(d.wow64).toBe(false);
    expect(d.evidence).toEqual([]);
    expect(d.x86Modules).toEqual([false, false, false]);
  });

  it('does not call a 32-bit dump WOW64, though its modules come from SysWOW64', () => {
    const d = detectWow64([{ name: 'C:\\Windows\\SysWOW64\\ntdll.dll', base: 0x77720000n, size: 0x180000n }], 'x86');
    expect(d.wow64).toBe(false);
    expect(d.note).toContain('32-bit dump');
  });

  it('takes an i386 image header as evidence, and uses it to classify', () => {
    const d = detectWow64(
      [
        { name: 'plugin.dll', base: 0x10000000n, size: 0x1000n, machine: 0x14c },
        { name: 'ntdll.dll', base: 0x77520000n, size: 0x1000n, machine: 0x8664 },
      ],
      'amd64',
    );
    expect(d.wow64).toBe(true);
    expect(d.evidence).toEqual([{ kind: 'i386-image', module: 'plugin.dll' }]);
    expect(d.x86Modules).toEqual([true, false]);
  });

  it('with names only, takes the first of two ntdll.dll as native', () => {
    const d = detectWow64(
      [
        { name: 'ntdll.dll', base: 0x78e50000n, size: 0x1000n },
        { name: 'wow64.dll', base: 0x6b000000n, size: 0x1000n },
        { name: 'ntdll.dll', base: 0x7d600000n, size: 0x1000n },
      ],
      'amd64',
    );
    expect(d.x86Modules).toEqual([false, false, true]);
  });
});
