// The CLI as a user meets it: the readable report and the --json object for the seed's log,
// for a real minidump, and for files it cannot read.
import { describe, expect, it } from 'vitest';
import { runCli } from '../lib/run-cli.ts';
import { Report } from '../../src/engine/report/schema.ts';


describe('dumpatlas analyze', () => {
  it('names Virtualized Process with the x86 stack of the faulting thread for the seed log', async () => {
    const { code, out, err } = await runCli(['analyze', 'fixtures/windbg/virtualized-process-seed.txt']);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/\[certain\] Virtualized Process \(virtualized-process\)/);
    const x86 = text.slice(text.indexOf('x86 view (.effmach x86)'));
    const rows = x86.split('\n').filter((l) => /^[> ] \d\d /.test(l));
    expect(rows[0]).toContain('0012d98c 7da4a631 kernel32!RaiseException+0x53');
    expect(rows.find((r) => r.includes('App+0x188f3'))).toBeDefined();
    expect(text.indexOf('App+0x188f3')).toBeLessThan(text.indexOf('native view'));
  });

  it('prints one schema-valid JSON object per file with --json', async () => {
    const { code, out } = await runCli(['analyze', '--json', 'fixtures/windbg/virtualized-process-seed.txt', 'fixtures/corpus/lldb/sigsegv.dmp']);
    expect(code).toBe(0);
    expect(out).toHaveLength(2);
    // Lines come as each file finishes; the reports say which is which.
    const [seed, sigsegv] = out.map((l) => Report.parse(JSON.parse(l))).sort((a, b) => (a.input.format === 'windbg-text' ? -1 : b.input.format === 'windbg-text' ? 1 : 0));
    expect(seed!.input.format).toBe('windbg-text');
    expect(seed!.system.arch).toBe('amd64');
    expect(seed!.process.wow64).toBe(true);
    expect(seed!.exception).toMatchObject({ code: '0x000006d9', threadId: 0x2fe4 });
    const t0 = seed!.threads.find((t) => t.id === 0x2fe4)!;
    expect(t0.frames[0]).toMatchObject({ module: 'wow64', symbol: 'Wow64NotifyDebugger', offset: '0x9' });
    expect(t0.x86Frames!.at(-1)).toMatchObject({ module: 'App', symbol: null, offset: '0x188f3' });
    expect(seed!.findings.find((f) => f.pattern === 'virtualized-process')).toMatchObject({ title: 'Virtualized Process', confidence: 'certain' });
    expect(sigsegv!.input.format).toBe('minidump');
    expect(sigsegv!.exception).toMatchObject({ code: '0xc0000005', address: '0x7ff7a13110d9' });
    expect(sigsegv!.modules[0]).toMatchObject({ name: 'sigsegv.exe' });
    expect(sigsegv!.threads[0]!.frames[0]!.address).toBe('0x7ff7a13110d9');
  });

  it('exits 2 with one line per unreadable file and still analyses the others', async () => {
    const { code, out, err } = await runCli(['analyze', 'no-such-file.dmp', 'fixtures/windbg/virtualized-process-seed.txt', 'package.json']);
    expect(code).toBe(2);
    expect(out).toHaveLength(1);
    expect(err).toHaveLength(2);
    expect(err[0]).toMatch(/^dumpatlas: no-such-file\.dmp: cannot open/);
    expect(err[1]).toMatch(/^dumpatlas: package\.json: no WinDbg or CDB output/);
    for (const line of err) expect(line).not.toMatch(/\n|    at /);
  });

  it('explains usage mistakes in one line', async () => {
    expect((await runCli(['frobnicate'])).err).toEqual(['dumpatlas: unknown command "frobnicate" (try: dumpatlas analyze <file…>)']);
    expect((await runCli(['analyze'])).code).toBe(2);
    expect((await runCli(['--help'])).out[0]).toMatch(/^Usage: dumpatlas analyze/);
  });
});
