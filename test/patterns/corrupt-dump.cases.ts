import { expect } from 'vitest';
import { fixtureBytes } from '../lib/analyze-input.ts';
import { defineCases } from '../lib/cases.ts';
import { contextAmd64 } from '../synth/context-writers.ts';
import { MinidumpBuilder } from '../synth/minidump-builder.ts';
import { StreamType } from '../synth/minidump-format.ts';

/**
 * A real Wine dump whose directory was damaged: the ModuleList entry is pointed at the
 * ThreadList's bytes, as a disk or transfer error in the directory would leave it.
 */
function overlappingStreams(): Uint8Array {
  const bytes = fixtureBytes('dumps/manual-dump.dmp').slice();
  const v = new DataView(bytes.buffer);
  const count = v.getUint32(8, true);
  const dir = v.getUint32(12, true);
  let threadRva = 0;
  let moduleEntry = 0;
  for (let i = 0; i < count; i++) {
    const at = dir + 12 * i;
    if (v.getUint32(at, true) === StreamType.ThreadList) threadRva = v.getUint32(at + 8, true);
    if (v.getUint32(at, true) === StreamType.ModuleList) moduleEntry = at;
  }
  v.setUint32(moduleEntry + 8, threadRva, true);
  return bytes;
}

/** A whole thread list whose count says 0xffffffff: the count contradicts its own stream. */
function lyingCount(): Uint8Array {
  const rsp = 0x8f3a6ff000n;
  const ctx = contextAmd64({ rip: 0x7ff6a1c21010n, rsp });
  return new MinidumpBuilder()
    .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045, productType: 1 })
    .module({ name: 'C:\\Program Files\\Ledger\\Ledger.exe', base: 0x7ff6a1c20000n, size: 0x40000 })
    .thread({ id: 0x1c40, stack: { address: rsp, bytes: new Uint8Array(0x200) }, context: ctx })
    .build({ counts: { [StreamType.ThreadList]: 0xffffffff } }).bytes;
}

export default defineCases({
  fire: [
    {
      fixture: 'corpus/rust-minidump/invalid-record-count.dmp',
      confidence: 'certain',
      why: "rust-minidump's deliberately malformed dump: duplicate and overlapping streams, a directory of unknown types",
      check: (finding, report) => {
        expect(report.warnings.map((w) => w.kind)).toEqual(expect.arrayContaining(['stream-duplicate', 'stream-overlap']));
        expect(finding.data['truncated']).toMatch(/Truncated Dump/);
      },
    },
    { fixture: 'corpus/rust-minidump/invalid-range.dmp', confidence: 'certain', why: "rust-minidump's malformed dump with streams over each other" },
    {
      bytes: overlappingStreams,
      name: 'manual-dump-overlapping-streams.dmp',
      confidence: 'certain',
      why: 'a real Wine dump with its module list pointed at the thread list',
      check: (finding, report) => {
        expect(report.warnings).toContainEqual(expect.objectContaining({ kind: 'stream-overlap' }));
        expect(finding.data['problems']).toBe('streams overlap each other or the header');
        expect(finding.data['truncated']).toBe('');
      },
    },
    {
      bytes: lyingCount,
      name: 'synthetic-thread-count-lie.dmp',
      confidence: 'certain',
      why: 'a thread list claiming 0xffffffff threads in a stream that holds one',
      check: (finding) => expect(finding.data['problems']).toBe('a list claims more records than its stream holds'),
    },
  ],
  silent: [
    { fixture: 'truncated/minidump2-cut-8192.dmp', why: 'cut short, but nothing in it contradicts itself: a Truncated Dump' },
    { fixture: 'dumps/deadlock-mixed-objects-user-space.dmp', why: "Wine's overlapping memory ranges (a stack and the bytes around its pc) are not corruption" },
    { fixture: 'corpus/breakpad/minidump2.dmp', why: 'a whole, consistent dump' },
    { fixture: 'windbg/x64-access-violation.txt', why: 'debugger text' },
  ],
});
