import { describe, expect, it } from 'vitest';
import { DumpError } from '../../../src/engine/errors.ts';
import { DumpModel } from '../../../src/engine/model/schema.ts';
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
    // No thread id is known at all, so the stack cannot be attached; the reader says so.
    expect(m.threads).toEqual([]);
    expect(m.warnings.map((w) => w.kind)).toContain('stack-thread-unknown');
  });

  it('reads a kd session prompt and a stack under a thread header', () => {
    const text = [
      '0: kd> ~*k',
      '.  0  Id: 4.8 Suspend: 0 Teb: 00000000 Unfrozen',
      'ChildEBP RetAddr',
      '8054c000 80541234 nt!KiIdleLoop+0x10',
    ].join('\n');
    const m = readWindbgText(text, 'kd.txt');
    expect(m.threads[0]).toMatchObject({ id: 8, faulting: true });
    expect(m.threads[0]!.frames[0]).toMatchObject({ module: 'nt', symbol: 'KiIdleLoop' });
  });

  it('handles 200k frames within a second or two', () => {
    const lines = ['0:000> ~*k', '.  0  Id: 10.20 Suspend: 0 Teb: 00000000`7efdb000 Unfrozen', 'Child-SP          RetAddr           Call Site'];
    for (let i = 0; i < 200_000; i++) lines.push(`00000000\`0016e190 00000000\`6b0064f2 app!Recurse+0x${(i % 4096).toString(16)}`);
    const t0 = performance.now();
    const m = readWindbgText(lines.join('\n'), 'deep.txt');
    expect(m.threads[0]!.frames).toHaveLength(200_000);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

describe('pasted with indentation', () => {
  it('reads every fixture the same when each line is indented as a markdown code block', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const dir = new URL('../../../fixtures/windbg/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.txt'));
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) {
      const text = readFileSync(new URL(f, dir), 'utf8');
      const plain = readWindbgText(text, f);
      const indented = readWindbgText(
        text
          .split('\n')
          .map((l) => (l ? `    ${l}` : l))
          .join('\n'),
        f,
      );
      expect({ ...indented, input: plain.input }, f).toEqual(plain);
    }
  });
});
