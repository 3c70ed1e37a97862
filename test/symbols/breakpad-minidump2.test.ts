// Issue 10's second done-when: minidump2.dmp with Breakpad's test symbols (symbol-store layout,
// fixtures/symbols/breakpad) gives the frames of Breakpad's own symbolised walk
// (fixtures/corpus/reference/breakpad-symbols/minidump2.txt): the same functions, source files
// and lines, the public symbol's offset, each caller found by the STACK WIN frame data ("call
// frame info"), and each frame's EBP.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../lib/run-cli.ts';
import { Report } from '../../src/engine/report/schema.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures');

interface BreakpadFrame {
  module: string;
  fn: string;
  file: string | null;
  line: number | null;
  /** "+ 0x23" after a public symbol. */
  offset: string | null;
  ebp: number;
  foundBy: string;
}

/** The frames of thread 0 in minidump_stackwalk's human-readable listing. */
function breakpadFrames(): BreakpadFrame[] {
  const text = readFileSync(join(FIXTURES, 'corpus/reference/breakpad-symbols/minidump2.txt'), 'utf8');
  const thread = text.slice(text.indexOf('Thread 0 (crashed)'), text.indexOf('Loaded modules:'));
  const out: BreakpadFrame[] = [];
  for (const block of thread.split(/\n(?= ?\d+ {2})/).slice(1)) {
    const head = /^ ?\d+ {2}([\w.]+)!(.+?)(?: \[(.+) : (\d+) \+ 0x[0-9a-f]+\]| \+ (0x[0-9a-f]+))?\n/.exec(block)!;
    out.push({
      module: head[1]!,
      fn: head[2]!,
      file: head[3] ?? null,
      line: head[4] ? Number(head[4]) : null,
      offset: head[5] ?? null,
      ebp: Number(/ebp = (0x[0-9a-f]+)/.exec(block)![1]),
      foundBy: /Found by: (.+)/.exec(block)![1]!,
    });
  }
  return out;
}

describe("minidump2.dmp with Breakpad's symbols, as Breakpad's minidump_stackwalk walks it", () => {
  const dump = join(FIXTURES, 'corpus/breakpad/minidump2.dmp');
  const store = join(FIXTURES, 'symbols/breakpad');

  it('has the four frames of the reference', () => {
    expect(breakpadFrames().map((f) => `${f.module}!${f.fn}`)).toEqual([
      "test_app.exe!`anonymous namespace'::CrashFunction",
      'test_app.exe!main',
      'test_app.exe!__tmainCRTStartup',
      'kernel32.dll!BaseProcessStart',
    ]);
  });

  it('gives the same functions, lines, offsets, frame pointers, and frame data for every caller', async () => {
    const { code, text: out, err } = await runCli(['analyze', '--json', dump, '--symbols', store]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const report = Report.parse(JSON.parse(out));
    const frames = report.threads.find((t) => t.faulting)!.frames;
    const expected = breakpadFrames();
    expect(frames).toHaveLength(expected.length);
    for (const [i, want] of expected.entries()) {
      const got = frames[i]!;
      expect(got.module).toBe(want.module.replace(/\.(exe|dll)$/, ''));
      expect(got.symbol).toBe(want.fn);
      // Breakpad prints the file's base name; the symbol file keeps the whole path.
      if (want.file) expect({ file: got.source?.file.split('\\').pop(), line: got.source?.line }).toEqual({ file: want.file, line: want.line });
      else expect(got.source).toBeUndefined();
      if (want.offset) expect(got.offset).toBe(want.offset);
      expect(got.sp).toBe(`0x${want.ebp.toString(16)}`);
      expect(got.trust).toBe(want.foundBy === 'call frame info' ? 'frame-data' : 'context');
    }
    expect(report.modules.find((m) => m.name === 'test_app.exe')!.symbols).toEqual({ file: 'test_app.sym', format: 'breakpad-sym', id: '5A9832E5287241C1838ED98914E9B7FF1' });
    expect(report.modules.find((m) => m.name === 'kernel32.dll')!.symbols).toMatchObject({ file: 'kernel32.sym' });
    expect(report.warnings.filter((w) => w.kind.startsWith('symbols-'))).toEqual([]);
    expect(report.exception).toMatchObject({ module: 'test_app', symbol: "`anonymous namespace'::CrashFunction" });
  });

  it('prints them with their source lines in the text report', async () => {
    const { text: out } = await runCli(['analyze', dump, '--symbols', store]);
    expect(out).toContain("test_app!`anonymous namespace'::CrashFunction+0xe [c:\\test_app.cc @ 58]  [context]");
    expect(out).toContain('test_app!main+0x50 [c:\\test_app.cc @ 65]  [frame data]');
    expect(out).toContain('crt0.c @ 327]  [frame data]');
    expect(out).toContain('kernel32!BaseProcessStart+0x23  [frame data]');
  });
});
