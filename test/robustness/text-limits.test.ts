// Debugger text at its worst: each bound of the text reader is hit and reported, and numbers
// no debugger prints never reach the model's integers.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, splitLines } from '../../src/engine/windbg-text/lines.ts';
import { MAX_TEXT_THREADS, readWindbgText } from '../../src/engine/windbg-text/reader.ts';
import { MAX_TEXT_FRAMES } from '../../src/engine/windbg-text/stack-line.ts';
import { MAX_TEXT_MODULES } from '../../src/engine/windbg-text/module-rows.ts';
import { DumpModel } from '../../src/engine/core/dump-model.ts';
import { errorOf, fixture, reportOf } from './support.ts';
import { cpuMs } from '../lib/cpu-time.ts';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

function utf16le(text: string, bom: boolean): Uint8Array {
  const out = new Uint8Array(text.length * 2 + (bom ? 2 : 0));
  if (bom) out.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) new DataView(out.buffer).setUint16((bom ? 2 : 0) + i * 2, text.charCodeAt(i), true);
  return out;
}

const LOG = new TextDecoder().decode(fixture('windbg/x64-access-violation.txt'));

describe('bounds', () => {
  it(`lines: the first ${DEFAULT_LIMITS.maxLines} are read, a lone CR counting as a line break`, () => {
    const crs = splitLines('\r'.repeat(50_000) + '\n', { maxLines: 1000, maxLineLength: 64 * 1024 });
    expect(crs.lines).toHaveLength(1000);
    expect(crs.warnings).toEqual([{ kind: 'text-truncated', message: 'only the first 1000 lines were read; the rest of the text was ignored' }]);
    const last = splitLines('a\nb\nc\rd', { maxLines: 3, maxLineLength: 100 });
    expect(last.lines).toEqual(['a', 'b', 'c']);
    expect(last.warnings.map((w) => w.kind)).toEqual(['text-truncated']);
  });

  it(`threads: ${MAX_TEXT_THREADS} per text, the faulting one kept`, () => {
    const blocks: string[] = ['0:000> ~*k'];
    for (let i = 0; i < 2500; i++) {
      blocks.push(`${i === 2400 ? '#' : ' '} ${i}  Id: 1a2c.${(0x100 + i).toString(16)} Suspend: 1 Teb: 000000c5\`ad5a5000 Unfrozen`);
      blocks.push(' # Child-SP          RetAddr               Call Site');
      blocks.push('00 000000c5`ad8ff5d8 00007ff8`d2a4e2c2     ntdll!NtWaitForSingleObject+0x14');
      blocks.push('');
    }
    const m = readWindbgText(blocks.join('\n'), 'threads.txt');
    expect(m.threads).toHaveLength(MAX_TEXT_THREADS + 1);
    expect(m.threads.at(-1)).toMatchObject({ id: 0x100 + 2400, faulting: true });
    expect(m.warnings).toContainEqual({ kind: 'cap-threads', message: 'only the first 2000 of 2500 threads in the text were read' });
  });

  it(`frames: ${MAX_TEXT_FRAMES} per stack; the stack is still recognised to its end`, () => {
    const lines = ['0:000> k', ' # ChildEBP RetAddr'];
    for (let i = 0; i < 70_000; i++) lines.push(`${(i & 0xff).toString(16).padStart(2, '0')} 0012fe4c 004011d3 app!Recurse+0x1e`);
    lines.push('0:000> lm', 'start    end        module name', '00400000 00410000   app        (deferred)');
    const m = readWindbgText(lines.join('\n'), 'deep.txt');
    expect(m.warnings).toContainEqual({ kind: 'cap-frames', message: 'a stack of 70000 frames was cut to its first 65536' });
    expect(m.modules.map((x) => x.name)).toEqual(['app']);
  });

  it('300 000 stacks with no prompt or thread header: all the current thread\'s, kept once', () => {
    const unit = 'Child-SP          RetAddr           Call Site\n00000000`0016e190 00000000`6b0064f2 app!Recurse+0x1\nprose\n';
    const m = readWindbgText(unit.repeat(300_000), 'orphans.txt');
    expect(m.threads).toHaveLength(1);
    expect(m.threads[0]).toMatchObject({ unidentified: 'id-and-number' });
    expect(m.threads[0]!.frames).toHaveLength(1);
  });

  it(`modules: ${MAX_TEXT_MODULES} rows per list; the rows past it are still recognised as the listing`, () => {
    const hex8 = (v: number) => v.toString(16).padStart(8, '0');
    const rows = Array.from({ length: MAX_TEXT_MODULES + 5000 }, (_, i) => `${hex8(0x10000 + i * 0x1000)} ${hex8(0x11000 + i * 0x1000)}   m${i}   (deferred)`);
    const m = readWindbgText(`${LOG}\n0:000> lm\nstart    end        module name\n${rows.join('\n')}\n0:000> q\n`, 'lm.txt');
    expect(m.modules).toHaveLength(MAX_TEXT_MODULES);
    // The log's own lm rows come first; the rest of this listing fills the list up.
    const before = readWindbgText(LOG, 'log.txt').modules.length;
    expect(m.modules.at(-1)!.name).toBe(`m${MAX_TEXT_MODULES - 1 - before}`);
    expect(m.warnings).toContainEqual({ kind: 'cap-count', message: `${5000 + before} module rows past the first ${MAX_TEXT_MODULES} of a list were not read` });
    expect(m.exception?.code).toBe('0xc0000005');
  });

  it('a line of 8 MiB is cut, the lines after it still read', async () => {
    const r = await reportOf(enc(`${'A'.repeat(8 * 1024 * 1024)}\n${LOG}`), 'long-line.txt');
    expect(r.warnings).toContainEqual({ kind: 'line-too-long', message: '1 line(s) longer than 8192 characters were cut' });
    expect(r.exception?.code).toBe('0xc0000005');
  });

  it('a million empty lines cost little', () => {
    let m: ReturnType<typeof readWindbgText> | undefined;
    const ms = cpuMs(() => {
      m = readWindbgText(`${LOG}${'\n'.repeat(990_000)}`, 'blank.txt');
    });
    expect(m!.exception?.code).toBe('0xc0000005');
    expect(ms).toBeLessThan(3000);
  });
});

describe('numbers no debugger prints', () => {
  it('ids, builds and counts too large for the model are not taken', () => {
    const text = [
      'Windows 10 Version 99999999999999999999 MP (99999999999999999999 procs) Free x64',
      '(99999999999999999999.1b30): Access violation - code c0000005 (first chance)',
      '   0  Id: 1a2c.ffffffffffffffffff Suspend: 99999999999999999999 Teb: 000000c5`ad5a5000 Unfrozen',
      '99999999999999999999:000> k',
      '   0  Id: 1a2c.1b30 Suspend: 1 Teb: 000000c5`ad5a5000 Unfrozen',
      'FAULTING_THREAD:  ffffffffffffffff',
      'System Uptime: 99999999999999999999 days 0:00:00.000',
    ].join('\n');
    const m = readWindbgText(text, 'huge.txt');
    DumpModel.parse(m);
    expect(m.threads.map((t) => t.id)).toEqual([0x1b30]);
    expect(m.system.build).toBeNull();
    expect(m.process.pid).toBe(0x1a2c);
    expect(m.system.uptimeSeconds).toBeNull();
  });
});

describe('encodings and line ends', () => {
  it('the same log as UTF-16LE with and without BOM, CRLF, CR and mixed', async () => {
    const plain = await reportOf(enc(LOG), 'plain.txt');
    const variants: [string, Uint8Array][] = [
      ['utf-16le bom', utf16le(LOG, true)],
      ['utf-16le', utf16le(LOG, false)],
      ['crlf', enc(LOG.replace(/\n/g, '\r\n'))],
      ['cr', enc(LOG.replace(/\n/g, '\r'))],
      ['mixed', enc(LOG.split('\n').map((l, i) => l + ['\n', '\r\n', '\r'][i % 3]).join(''))],
    ];
    for (const [what, bytes] of variants) {
      const r = await reportOf(bytes, 'variant.txt');
      expect({ exception: r.exception, threads: r.threads, modules: r.modules }, what).toEqual({ exception: plain.exception, threads: plain.threads, modules: plain.modules });
    }
  });

  it('UTF-8 turning into UTF-16 half way: refused in one line (half its bytes are NUL)', async () => {
    const half = Math.floor(LOG.length / 2);
    const bytes = new Uint8Array([...enc(LOG.slice(0, half)), ...utf16le(LOG.slice(half), false)]);
    const err = await errorOf(bytes, 'mixed-encoding.txt');
    expect([err.kind, err.message]).toEqual(['not-a-dump', 'this file is neither a minidump (no MDMP signature) nor readable text']);
  });
});
