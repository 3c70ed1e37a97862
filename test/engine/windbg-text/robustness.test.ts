import { describe, expect, it } from 'vitest';
import { DumpError } from '../../../src/engine/core/errors.ts';
import { DumpModel } from '../../../src/engine/core/dump-model.ts';
import { readWindbgText } from '../../../src/engine/windbg-text/reader.ts';

describe('inputs that are not (only) debugger output', () => {
  it('refuses prose with no debugger output as not-a-dump', () => {
    let err: unknown;
    try {
      readWindbgText('Dear all,\n\nthe service crashed again last night.\nRegards\n', 'mail.txt');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DumpError);
    expect((err as DumpError).kind).toBe('not-a-dump');
  });

  it('refuses binary noise quickly', () => {
    let seed = 7;
    const bytes = Array.from({ length: 200_000 }, () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return String.fromCharCode(seed & 0xff);
    }).join('');
    const t0 = performance.now();
    expect(() => readWindbgText(bytes, 'noise.bin')).toThrow(DumpError);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('cuts an endless line with a warning and still reads what follows', () => {
    const text = `${'A'.repeat(200_000)}\n(1a2c.1b30): Access violation - code c0000005 (first chance)\n`;
    const m = readWindbgText(text, 'long.txt');
    expect(m.warnings.map((w) => w.kind)).toContain('line-too-long');
    expect(m.exception?.code).toBe('0xc0000005');
    expect(m.process.pid).toBe(0x1a2c);
    expect(m.threads).toEqual([]);
    expect(m.missing).toEqual(expect.arrayContaining(['thread list', 'modules']));
  });

  it('stops at the line cap', () => {
    const text = `0:000> k\n${'prose line\n'.repeat(100)}`;
    const m = readWindbgText(text, 'capped.txt', { limits: { maxLines: 10, maxLineLength: 1024 } });
    expect(m.warnings.map((w) => w.kind)).toContain('text-truncated');
  });

  it('reads a stack that arrives with no prompt, header-less thread or banner', () => {
    const text = [
      'Here is the stack from the crash:',
      '',
      'ChildEBP RetAddr',
      '0012fe4c 004011d3 App!Crash+0x1e',
      '0012fe68 00401297 App!main+0x33',
      '',
      'Any idea?',
    ].join('\n');
    const m = readWindbgText(text, 'pasted.txt');
    DumpModel.parse(m);
    // No thread id or number is known at all: the stack is the current thread's, named as such.
    expect(m.threads).toHaveLength(1);
    expect(m.threads[0]).toMatchObject({ unidentified: 'id-and-number', faulting: false });
    expect(m.threads[0]!.frames.map((f) => f.symbol)).toEqual(['Crash', 'main']);
    expect(m.warnings.map((w) => w.kind)).not.toContain('stack-thread-unknown');
  });

  it('refuses kd session output as unsupported instead of reading kernel stacks as threads', () => {
    const text = [
      '0: kd> ~*k',
      '.  0  Id: 4.8 Suspend: 0 Teb: 00000000 Unfrozen',
      'ChildEBP RetAddr',
      '8054c000 80541234 nt!KiIdleLoop+0x10',
    ].join('\n');
    let err: unknown;
    try {
      readWindbgText(text, 'kd.txt');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DumpError);
    expect((err as DumpError).kind).toBe('unsupported');
  });

  it('handles 200k frames within a second or two, keeping the first MAX_TEXT_FRAMES', () => {
    const lines = ['0:000> ~*k', '.  0  Id: 10.20 Suspend: 0 Teb: 00000000`7efdb000 Unfrozen', 'Child-SP          RetAddr           Call Site'];
    for (let i = 0; i < 200_000; i++) lines.push(`00000000\`0016e190 00000000\`6b0064f2 app!Recurse+0x${(i % 4096).toString(16)}`);
    const t0 = performance.now();
    const m = readWindbgText(lines.join('\n'), 'deep.txt');
    expect(m.threads[0]!.frames).toHaveLength(65_536);
    expect(m.warnings).toContainEqual({ kind: 'cap-frames', message: 'a stack of 200000 frames was cut to its first 65536' });
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

describe('lines built to make regular expressions backtrack', () => {
  it('reads 64 KiB lines of blanks, brackets and digits in linear time', () => {
    const width = 64 * 1024;
    const hostile = [
      `a${' '.repeat(width - 2)}b`,
      ` ${' '.repeat(width - 2)}x`,
      `${' ['.repeat(width / 2)}`,
      `${' ('.repeat(width / 2)}`,
      `x (FPO${' '.repeat(width - 8)}y`,
      `00 ${'-'.repeat(width - 4)}x`,
      `${'+0x1'.repeat(width / 4)}`,
      `${'0:1 '.repeat(width / 4)}`,
      `Comment: '${'a'.repeat(width - 12)}`,
    ];
    for (const line of hostile) {
      const text = ['0:000> k', ' # Child-SP          RetAddr               Call Site', ...Array<string>(20).fill(line), '0:000> ~*k', ...Array<string>(20).fill(line)].join('\n');
      const t0 = performance.now();
      readWindbgText(text, 'hostile.txt');
      expect(performance.now() - t0, line.slice(0, 12)).toBeLessThan(1500);
    }
  });
});

describe('pasted with indentation', () => {
  it('reads every fixture the same when each line is indented as a markdown code block', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const dir = new URL('../../../fixtures/windbg/', import.meta.url);
    const files = [
      ...readdirSync(dir).filter((f) => f.endsWith('.txt')),
      ...readdirSync(new URL('variants/', dir)).filter((f) => f.endsWith('.txt')).map((f) => `variants/${f}`),
    ];
    expect(files.length).toBeGreaterThanOrEqual(30);
    const attempt = (text: string, f: string) => {
      try {
        return readWindbgText(text, f);
      } catch (e) {
        return e instanceof DumpError ? e.kind : e;
      }
    };
    for (const f of files) {
      const text = readFileSync(new URL(f, dir), 'utf8');
      const plain = attempt(text, f);
      const indented = attempt(
        text
          .split('\n')
          .map((l) => (l ? `    ${l}` : l))
          .join('\n'),
        f,
      );
      if (typeof plain === 'object' && plain && 'input' in plain && typeof indented === 'object' && indented && 'input' in indented) {
        expect({ ...indented, input: plain.input }, f).toEqual(plain);
      } else expect(indented, f).toEqual(plain);
    }
  });
});
