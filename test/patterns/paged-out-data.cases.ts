import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { contextAmd64 } from '../synth/context-writers.ts';
import { MinidumpBuilder } from '../synth/minidump-builder.ts';

const VIEWER = 0x7ff65d0a0000n;
const MEM_COMMIT = 0x1000;
const MEM_MAPPED = 0x40000;
const MEM_PRIVATE = 0x20000;

/**
 * An in-page error in an x64 minidump with a memory map, laid out as Windows' dbghelp writes
 * one, by the test-data builder: Wine reports a file page that cannot be read in as an access
 * violation, never STATUS_IN_PAGE_ERROR (fixtures/programs/WINE-NOTES.md, item 16).
 */
function inPageError(): Uint8Array {
  const rip = VIEWER + 0x19bfn;
  const rsp = 0xa31c7ff4d0n;
  const ctx = contextAmd64({ rip, rsp });
  return new MinidumpBuilder()
    .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045, productType: 1 })
    .module({ name: 'C:\\Program Files\\Viewer\\Viewer.exe', base: VIEWER, size: 0x40000 })
    .thread({ id: 0x2c64, stack: { address: rsp, bytes: new Uint8Array(0x200) }, context: ctx })
    .exception({ threadId: 0x2c64, code: 0xc0000006, address: rip, parameters: [0, 0x24d71b40000n, 0xc000020cn], context: ctx })
    .memoryInfo({ base: 0x24d71b00000n, regionSize: 0x400000, state: MEM_COMMIT, protect: 0x02, type: MEM_MAPPED })
    .memoryInfo({ base: rsp & ~0xfffn, regionSize: 0x3000, state: MEM_COMMIT, protect: 0x04, type: MEM_PRIVATE })
    .build().bytes;
}

/**
 * A hang dump whose writer left a worker's stack out while the memory map shows it committed,
 * in Windows' layout (the Wine-made paged-out-data-stack-not-captured.dmp has no memory map: Wine writes none).
 */
function stackLeftOut(): Uint8Array {
  const mainRsp = 0x5e8a1fe8b0n;
  const workerRsp = 0x5e8a9ff6f0n;
  return new MinidumpBuilder()
    .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045, productType: 1 })
    .module({ name: 'C:\\Program Files\\Indexer\\Indexer.exe', base: 0x7ff62c410000n, size: 0x30000 })
    .thread({ id: 0x31c0, stack: { address: mainRsp, bytes: new Uint8Array(0x200) }, context: contextAmd64({ rip: 0x7ff62c4118e2n, rsp: mainRsp }) })
    .thread({ id: 0x2b90, context: contextAmd64({ rip: 0x7ff62c412f31n, rsp: workerRsp }) })
    .memoryInfo({ base: mainRsp & ~0xfffn, regionSize: 0x2000, state: MEM_COMMIT, protect: 0x04, type: MEM_PRIVATE })
    .memoryInfo({ base: workerRsp & ~0xfffn, regionSize: 0x2000, state: MEM_COMMIT, protect: 0x04, type: MEM_PRIVATE })
    .build().bytes;
}

export default defineCases({
  fire: [
    {
      fixture: 'dumps/paged-out-data-stack-not-captured.dmp',
      confidence: 'likely',
      why: "real Wine dump: the writer's callback left the indexer thread's stack out (no memory map to say it was committed)",
      check: (finding, report) => {
        expect(finding.messageId).toBe('stacks');
        const indexer = report.threads[1]!;
        expect(report.memory?.gaps).toEqual([{ what: 'stack', threadId: indexer.id, address: indexer.registers!['rsp'], state: null }]);
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'thread', threadId: indexer.id }));
      },
    },
    {
      bytes: stackLeftOut,
      name: 'synthetic-stack-left-out.dmp',
      confidence: 'certain',
      why: "test-data builder, Windows' layout: the memory map says the missing stack was committed",
      check: (finding) => expect(finding.data['state']).toMatch(/committed when the dump was written/),
    },
    {
      bytes: inPageError,
      name: 'synthetic-in-page-error.dmp',
      confidence: 'certain',
      why: "test-data builder, Windows' layout (Wine gives an access violation instead): STATUS_IN_PAGE_ERROR with the I/O status",
      check: (finding, report) => {
        expect(finding).toMatchObject({ messageId: 'inPage', data: { address: '0x24d71b40000', status: 'I/O status STATUS_CONNECTION_DISCONNECTED' } });
        expect(report.memory?.gaps).toContainEqual({ what: 'in-page', threadId: 0x2c64, address: '0x24d71b40000', state: 'commit' });
      },
    },
    {
      fixture: 'windbg/paged-out-data-in-page-error.txt',
      confidence: 'certain',
      why: 'hand-written log (no public one): c0000006 with I/O error c000020c',
    },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'every stack is in the dump' },
    { fixture: 'dumps/manual-dump.dmp', why: "the writing thread has no context at all (Wine's self-dump), which is not missing memory" },
    { fixture: 'dumps/deadlock-critical-sections-full.dmp', why: 'a trimmed full-memory dump: the stacks were kept' },
    { fixture: 'corpus/breakpad/minidump2.dmp', why: 'a whole Windows minidump' },
  ],
});
