import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { contextAmd64 } from '../synth/context-writers.ts';
import { MinidumpBuilder } from '../synth/minidump-builder.ts';

/** A crash in a process that loaded VMware's guest Winsock provider (vsocklib.dll). */
function vmwareGuestModules(): Uint8Array {
  const rip = 0x7ff68a2113ben;
  const rsp = 0xe393cff5a0n;
  const ctx = contextAmd64({ rip, rsp });
  return new MinidumpBuilder()
    .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 17763, productType: 3 })
    .module({ name: 'C:\\Services\\PollerSvc.exe', base: 0x7ff68a200000n, size: 0x3b000 })
    .module({ name: 'C:\\Windows\\System32\\vsocklib.dll', base: 0x7ffb2f4d0000n, size: 0x19000 })
    .module({ name: 'C:\\Windows\\System32\\ntdll.dll', base: 0x7ffb3c530000n, size: 0x1ed000 })
    .thread({ id: 0x1d84, stack: { address: rsp, bytes: new Uint8Array(0x200) }, context: ctx })
    .exception({ threadId: 0x1d84, code: 0xc0000005, address: rip, parameters: [0, 8], context: ctx })
    .build().bytes;
}

export default defineCases({
  fire: [
    {
      fixture: 'windbg/virtualized-system-vmware.txt',
      confidence: 'certain',
      why: '!analyze -v names the hypervisor and lm lists a VMware guest module',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'virtualized', data: { names: ' (VMware)', signs: '!analyze -v says VIRTUAL_MACHINE: VMware; guest modules loaded: vsocklib' } });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'module', name: 'vsocklib' }));
      },
    },
    {
      bytes: vmwareGuestModules,
      name: 'synthetic-vmware-guest.dmp',
      confidence: 'likely',
      why: 'a minidump whose only sign is the guest module',
      check: (finding) => expect(finding.evidence).toEqual([expect.objectContaining({ kind: 'module', name: 'vsocklib.dll' })]),
    },
    {
      fixture: 'corpus/breakpad/linux_null_read_av.dmp',
      confidence: 'certain',
      why: 'real Linux dump whose /proc/cpuinfo flags include "hypervisor"',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'virtualized', data: { names: '', signs: 'the dump says: a hypervisor (the CPU reports the "hypervisor" flag)' } });
        expect(finding.evidence).toEqual([expect.objectContaining({ kind: 'field', path: 'system.virtualization' })]);
      },
    },
  ],
  silent: [
    { fixture: 'corpus/breakpad/linux_divide_by_zero.dmp', why: 'a Linux dump from a physical machine (no hypervisor flag)' },
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'a Wine dump: no guest tools' },
    { fixture: 'windbg/x64-access-violation.txt', why: 'a log without VIRTUAL_MACHINE' },
  ],
});
