import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { contextAmd64 } from '../synth/context-writers.ts';
import { MinidumpBuilder } from '../synth/minidump-builder.ts';

const NTDLL = 0x7ffd4f5a0000n;
const TID = 0x3e90;

/** STATUS_INVALID_HANDLE in a dump that also carries the process's handle table. */
function invalidHandleWithHandleData(): Uint8Array {
  const rip = NTDLL + 0x100f8an;
  const rsp = 0x47a2bff5a0n;
  const ctx = contextAmd64({ rip, rsp });
  return new MinidumpBuilder()
    .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045, productType: 1 })
    .module({ name: 'C:\\Windows\\System32\\ntdll.dll', base: NTDLL, size: 0x1f8000 })
    .thread({ id: TID, stack: { address: rsp, bytes: new Uint8Array(0x100) }, context: ctx })
    .exception({ threadId: TID, code: 0xc0000008, address: rip, context: ctx })
    .handle({ handle: 0x4, typeName: 'Key', objectName: '\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options' })
    .handle({ handle: 0x2c4, typeName: 'Event', objectName: null })
    .handle({ handle: 0x2d0, typeName: 'File', objectName: '\\Device\\HarddiskVolume3\\Uploads\\queue.db' })
    .build().bytes;
}

export default defineCases({
  fire: [
    {
      fixture: 'dumps/invalid-handle.dmp',
      confidence: 'certain',
      why: 'real Wine dump: STATUS_INVALID_HANDLE raised in ntdll',
    },
    {
      fixture: 'windbg/invalid-handle-double-close.txt',
      confidence: 'likely',
      why: 'live session: CloseHandle on a handle already closed, seen at first chance (so never certain)',
      check: (finding) =>
        expect(finding).toMatchObject({ messageId: 'invalidHandle', data: { where: ' in KERNELBASE!CloseHandle+0x6b', caller: ', called from Uploader!Connection::Close+0x23' } }),
    },
    {
      bytes: invalidHandleWithHandleData,
      name: 'synthetic-invalid-handle.dmp',
      confidence: 'certain',
      why: 'a minidump with a handle data stream',
      check: (finding, report) => {
        expect(report.handles).toHaveLength(3);
        expect(finding).toMatchObject({ messageId: 'invalidHandle', data: { table: "; the dump's handle table lists 3 open handles to compare the bad value with" } });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'field', path: 'handles' }));
      },
    },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'an access violation' },
    { fixture: 'corpus/breakpad/linux_raise_sigabrt.dmp', why: 'Linux signal 6 is SIGABRT, not ERROR_INVALID_HANDLE' },
    { fixture: 'windbg/cpp-exception-cdb-session.txt', why: 'a C++ exception' },
  ],
});
