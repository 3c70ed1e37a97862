import { expect } from 'vitest';
import { fixtureBytes } from '../lib/analyze-input.ts';
import { defineCases } from '../lib/cases.ts';
import { contextAmd64 } from '../synth/context-writers.ts';
import { MinidumpBuilder } from '../synth/minidump-builder.ts';

const TID = 0x1c40;

/** A full dump whose writer died while copying memory: the file stops in the middle of the heap. */
function cutInMemory(): Uint8Array {
  const rsp = 0x8f3a6ff000n;
  const ctx = contextAmd64({ rip: 0x7ff6a1c21010n, rsp });
  const built = new MinidumpBuilder()
    .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045, productType: 1 })
    .module({ name: 'C:\\Program Files\\Ledger\\Ledger.exe', base: 0x7ff6a1c20000n, size: 0x40000 })
    .thread({ id: TID, stack: { address: rsp, bytes: new Uint8Array(0x2000) }, context: ctx })
    .memory(0x1d2a0000000n, new Uint8Array(0x8000).fill(0x5a))
    .build();
  const full = built.bytes.length;
  return built.bytes.slice(0, full - 0x6000);
}

/**
 * A cut-off dump whose directory names mostly stream types nobody defines (and no duplicate):
 * garbage as likely as a cut, so the finding must not be certain.
 */
function cutWithUnknownStreams(): Uint8Array {
  const rsp = 0x8f3a6ff000n;
  const ctx = contextAmd64({ rip: 0x7ff6a1c21010n, rsp });
  const built = new MinidumpBuilder()
    .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045, productType: 1 })
    .thread({ id: TID, stack: { address: rsp, bytes: new Uint8Array(0x200) }, context: ctx })
    .rawStream(0x3e8a, new Uint8Array(64).fill(0x11))
    .rawStream(0x51c2, new Uint8Array(64).fill(0x22))
    .rawStream(0x7b0d, new Uint8Array(64).fill(0x33))
    .rawStream(0x9a4f, new Uint8Array(0x1000).fill(0x44))
    .build();
  return built.bytes.slice(0, built.bytes.length - 0x800);
}

export default defineCases({
  fire: [
    {
      fixture: 'truncated/minidump2-cut-8192.dmp',
      confidence: 'certain',
      why: "Breakpad's real minidump2.dmp cut in its stack memory",
      check: (finding, report) => {
        expect(report.input.size).toBe(8192);
        expect(finding).toMatchObject({ messageId: 'truncated', data: { size: 'parts of its streams lie past the end of the file' } });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'field', path: 'warnings' }));
      },
    },
    {
      bytes: () => fixtureBytes('corpus/breakpad/minidump2.dmp').slice(0, 5376),
      name: 'minidump2-cut-in-streams.dmp',
      confidence: 'certain',
      why: 'the same dump cut before its memory list: a stream lies past the end',
      check: (finding, report) => {
        expect(report.dump.truncatedBytes).toBeGreaterThan(0);
        expect(finding).toMatchObject({ messageId: 'truncated', data: { size: expect.stringMatching(/^\d+ bytes are missing from its end \(/) } });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'field', path: 'dump.truncatedBytes' }));
      },
    },
    {
      bytes: () => fixtureBytes('corpus/breakpad/minidump2.dmp').slice(0, 76),
      name: 'minidump2-cut-76.dmp',
      confidence: 'certain',
      why: 'only the header and part of the directory (76 bytes): truncated, not a contradiction of warnings',
      check: (finding, report) => {
        expect(finding.messageId).toBe('truncated');
        expect(report.input.size).toBe(76);
        expect(report.dump.truncatedBytes).toBeGreaterThan(0);
      },
    },
    {
      bytes: cutInMemory,
      name: 'synthetic-cut-in-heap.dmp',
      confidence: 'certain',
      why: 'a synthetic dump that ends 24 KiB early, inside a memory range',
    },
    {
      fixture: 'corpus/rust-minidump/invalid-record-count.dmp',
      confidence: 'likely',
      why: 'a deliberately broken directory also points past the end: only likely, and said so',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'damaged',
          data: { size: '8192.0 MiB are missing from its end (235 bytes present of 8192.0 MiB)', lost: '; missing: system info, module list, exception, thread list' },
        }),
    },
    {
      bytes: cutWithUnknownStreams,
      name: 'synthetic-cut-unknown-streams.dmp',
      confidence: 'likely',
      why: 'cut short, and most of its streams are of no known type: the directory may be garbage',
      check: (finding, report) => {
        expect(report.warnings.map((w) => w.kind)).not.toContain('stream-duplicate');
        expect(finding.messageId).toBe('damaged');
      },
    },
  ],
  silent: [
    { fixture: 'corpus/breakpad/minidump2.dmp', why: 'the whole file' },
    { fixture: 'dumps/manual-dump.dmp', why: 'a complete Wine dump' },
    { fixture: 'windbg/x64-access-violation.txt', why: 'debugger text' },
  ],
});
