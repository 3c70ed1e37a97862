import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { contextAmd64 } from '../synth/context-writers.ts';
import { MinidumpBuilder } from '../synth/minidump-builder.ts';

const APP = 0x7ff71a3c0000n;
const TID = 0x4f1c;

/**
 * STATUS_DATATYPE_MISALIGNMENT in an x64 minidump, laid out as Windows' dbghelp writes one, by
 * the test-data builder: under Wine on x64 a misaligned read with EFLAGS.AC set raised nothing
 * (fixtures/programs/WINE-NOTES.md, item 14), so no real dump of it could be made here.
 */
function misalignedX64(parameters: bigint[]): Uint8Array {
  const rip = APP + 0x1a6cn;
  const rsp = 0x9b6e9ff6f0n;
  const ctx = contextAmd64({ rip, rsp });
  return new MinidumpBuilder()
    .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045, productType: 1 })
    .module({ name: 'C:\\Program Files\\SensorHub\\SensorHub.exe', base: APP, size: 0x20000 })
    .thread({ id: TID, stack: { address: rsp, bytes: new Uint8Array(0x100) }, context: ctx })
    .exception({ threadId: TID, code: 0x80000002, address: rip, parameters, context: ctx })
    .build().bytes;
}

export default defineCases({
  fire: [
    {
      fixture: 'windbg/data-alignment-arm64.txt',
      confidence: 'certain',
      why: 'hand-written ARM64 log (no public one): 80000002 at an ldaxr, data address in the record',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'misaligned', data: { address: ' (data address 0x21c4b2e0a13)' } }),
    },
    {
      bytes: () => misalignedX64([0n, 0x21c4b2e0a13n]),
      name: 'synthetic-misaligned-x64.dmp',
      confidence: 'certain',
      why: "test-data builder, Windows' x64 layout (Wine raised nothing): a stored 0x80000002",
      check: (finding) => expect(finding.data['at']).toBe(' at SensorHub+0x1a6c'),
    },
    {
      bytes: () => misalignedX64([]),
      name: 'synthetic-misaligned-no-parameters.dmp',
      confidence: 'certain',
      why: 'the same without parameters: the data address is not known',
      check: (finding) => expect(finding.data['address']).toBe(''),
    },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'an access violation at a small address' },
    { fixture: 'dumps/wild-pointer-data.dmp', why: 'a read through a garbage pointer' },
    { fixture: 'corpus/lldb/linux-x86_64.dmp', why: 'a Linux dump: its codes are signals' },
  ],
});
