// Files that are not dumps at all: refused with DumpError('not-a-dump') and a message saying
// what the file is, quickly, whatever their size (a 50 MB file must not cost seconds of regexes).
import { describe, expect, it } from 'vitest';
import { createRng } from '../../fuzz/rng.ts';
import { PROBE_LINES } from '../../src/engine/windbg-text/reader.ts';
import { cpuMsAsync } from '../lib/cpu-time.ts';
import { errorOf, fixture, reportOf } from './support.ts';

const MiB = 1024 * 1024;

function bytesOf(...parts: (number[] | string)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) out.push(...(typeof p === 'string' ? [...new TextEncoder().encode(p)] : p));
  return Uint8Array.from(out);
}

/** An ELF64 core file header (ET_CORE = 4, EM_X86_64 = 62), as Linux writes one. */
function elfCore(): Uint8Array {
  const b = new Uint8Array(4096);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  const v = new DataView(b.buffer);
  v.setUint16(16, 4, true);
  v.setUint16(18, 62, true);
  return b;
}

describe('files of another kind are named', () => {
  const cases: [string, Uint8Array, string][] = [
    ['empty.dmp', new Uint8Array(0), 'the file is empty'],
    ['shot.png', bytesOf([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], '\0\0\0\rIHDR'), 'this is a PNG image, not a dump'],
    ['crash.zip', bytesOf([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0], 'crash.dmp'), 'this is a ZIP archive; unzip it and drop the .dmp inside'],
    ['crash.dmp.gz', bytesOf([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]), 'this is a gzip archive; decompress it and drop the .dmp inside'],
    ['report.pdf', bytesOf('%PDF-1.7\n'), 'this is a PDF document, not a dump'],
    ['core', elfCore(), 'this is an ELF binary or Linux core file; only minidumps are read'],
    ['MEMORY.DMP', bytesOf('PAGEDU64', '\0'.repeat(56)), 'this is a Windows kernel memory dump (PAGEDUMP); only user-mode minidumps are read'],
    ['app.pdb', bytesOf('MSFT C/C++ MSF 7.00\r\n'), 'this is a PDB symbol file, not a dump'],
  ];
  for (const [name, bytes, message] of cases) {
    it(name, async () => {
      const err = await errorOf(bytes, name);
      expect([err.kind, err.message]).toEqual(['not-a-dump', message]);
    });
  }

  it('a real PE file (a DLL) is told to go beside the dump', async () => {
    const err = await errorOf(fixture('pe/atlas.dll'), 'atlas.dll');
    expect([err.kind, err.message]).toEqual(['not-a-dump', 'this is a Windows executable or DLL, not a dump (add it beside a dump as an image)']);
  });

  it('prose with no debugger output', async () => {
    const err = await errorOf(new TextEncoder().encode('Hi all,\n\nthe service crashed again.\nAny idea?\n'), 'mail.txt');
    expect([err.kind, err.message]).toEqual(['not-a-dump', 'no WinDbg or CDB output was found in the text (expected a dump banner, an exception line, !analyze -v, k or lm output)']);
  });

  it("rust-minidump's evil.json (a symbol-server answer, not a dump)", async () => {
    const err = await errorOf(fixture('corpus/rust-minidump/evil.json'), 'evil.json');
    expect([err.kind, err.message]).toEqual(['not-a-dump', 'no WinDbg or CDB output was found in the text (expected a dump banner, an exception line, !analyze -v, k or lm output)']);
  });
});

describe('50 MB of noise is refused in well under a second of work', () => {
  const rng = createRng(50);
  const SIZE = 50 * MiB;

  // Limits are on CPU time (a loaded machine does not stretch it) and generous: each case takes
  // 0.1–0.3 s of work.
  it('binary noise: decided on the first 64 KiB', async () => {
    const noise = new Uint8Array(SIZE);
    for (let i = 0; i < SIZE; i += 4) new DataView(noise.buffer).setUint32(i, Math.floor(rng.next() * 2 ** 32), true);
    noise[0] = 0x00; // not a known signature by chance
    const err = await errorOf(noise, 'noise.bin');
    expect([err.kind, err.message]).toEqual(['not-a-dump', 'this file is neither a minidump (no MDMP signature) nor readable text']);
  });

  for (const [what, make, message] of [
    [
      'printable characters in 80-column lines',
      (i: number) => (i % 81 === 80 ? 10 : 32 + (Math.imul(i, 2654435761) >>> 25)),
      `no WinDbg or CDB output was found in the first ${PROBE_LINES} lines of the text (expected a dump banner, an exception line, !analyze -v, k or lm output)`,
    ],
    // One line: cut to 64 Ki characters at once, so the whole text is read (cheaply).
    ['printable characters with no line break', (i: number) => 33 + (Math.imul(i, 2654435761) >>> 26), 'no WinDbg or CDB output was found in the text (expected a dump banner, an exception line, !analyze -v, k or lm output)'],
  ] as const) {
    it(`text noise: ${what}`, async () => {
      const noise = new Uint8Array(SIZE);
      for (let i = 0; i < SIZE; i++) noise[i] = make(i);
      const { ms, value: err } = await cpuMsAsync(() => errorOf(noise, 'noise.txt'));
      expect([err.kind, err.message]).toEqual(['not-a-dump', message]);
      expect(ms).toBeLessThan(3000);
    });
  }

  it('prose of 50 MB', async () => {
    const words = ['the', 'service', 'crashed', 'again', 'last', 'night,', 'see', 'log', 'at', '10:02', 'thread', 'stack'];
    const line = Array.from({ length: 12 }, (_, i) => words[(i * 7) % words.length]).join(' ') + '\n';
    const text = new TextEncoder().encode(line.repeat(Math.ceil(SIZE / line.length)));
    const { ms, value: err } = await cpuMsAsync(() => errorOf(text, 'prose.txt'));
    expect(err.message).toBe(`no WinDbg or CDB output was found in the first ${PROBE_LINES} lines of the text (expected a dump banner, an exception line, !analyze -v, k or lm output)`);
    expect(ms).toBeLessThan(3000);
  });

  it('a session log after pages of prose is still read', async () => {
    const prose = 'The crash happened while saving.\n'.repeat(PROBE_LINES - 200);
    const log = new TextDecoder().decode(fixture('windbg/x64-access-violation.txt'));
    const filler = 'more prose\n'.repeat(PROBE_LINES * 2);
    const r = await reportOf(new TextEncoder().encode(prose + log + filler), 'mail-with-log.txt');
    expect(r.exception?.code).toBe('0xc0000005');
  });
});
