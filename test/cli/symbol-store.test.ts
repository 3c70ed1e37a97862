// `--symbols` as _NT_SYMBOL_PATH takes it: repeatable, ';'-separated, files and folders,
// symbol-store layout searched per module, symbol-server URLs left out (local paths only), and
// file handles bounded however many files a store holds.
import { mkdirSync, mkdtempSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../lib/run-cli.ts';
import { parseArgs } from '../../src/cli/args.ts';
import { MAX_OPEN_HANDLES, parseSymbolPath, SymbolStore } from '../../src/cli/symbol-store.ts';
import { Report } from '../../src/engine/report/schema.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures');

describe('--symbols', () => {
  it('is repeatable and takes ;-separated lists and symbol-server entries', () => {
    const args = parseArgs(['analyze', 'a.dmp', '--symbols', 'C:\\syms;D:\\more', '--symbols=e.pdb', '--force-symbols']);
    expect(args).toMatchObject({ symbols: ['C:\\syms', 'D:\\more', 'e.pdb'], forceSymbols: true });
    expect(parseSymbolPath(['srv*C:\\cache*https://msdl.microsoft.com/download/symbols;;./local', 'cache*D:\\c', 'symsrv*symsrv.dll*E:\\s*http://x'])).toEqual({
      entries: ['C:\\cache', './local', 'D:\\c', 'E:\\s'],
      ignored: ['https://msdl.microsoft.com/download/symbols', 'symsrv.dll', 'http://x'],
    });
    expect(() => parseArgs(['analyze', 'a.dmp', '--symbols'])).toThrow(/--symbols needs/);
  });

  it('searches a symbol store for the modules on the stacks, and says what it left out', async () => {
    const store = mkdtempSync(join(tmpdir(), 'store-'));
    const id = '5A9832E5287241C1838ED98914E9B7FF1';
    mkdirSync(join(store, 'test_app.pdb', id), { recursive: true });
    copyFileSync(join(FIXTURES, 'symbols/breakpad/test_app.pdb', id, 'test_app.sym'), join(store, 'test_app.pdb', id, 'test_app.sym'));
    const empty = mkdtempSync(join(tmpdir(), 'empty-'));
    const { code, text: out, err } = await runCli(['analyze', '--json', join(FIXTURES, 'corpus/breakpad/minidump2.dmp'), '--symbols', `${empty};${join(store, 'nothing-here')}`, '--symbols', `srv*${store}*https://example.invalid/symbols`]);
    expect(code).toBe(0);
    expect(err).toEqual([
      'dumpatlas: --symbols: https://example.invalid/symbols left out (symbols are read from local files and folders only)',
      `dumpatlas: --symbols: ${join(store, 'nothing-here')} is neither a file nor a folder; left out`,
    ]);
    const report = Report.parse(JSON.parse(out));
    expect(report.threads[0]!.frames.map((f) => f.symbol).slice(0, 3)).toEqual(["`anonymous namespace'::CrashFunction", 'main', '__tmainCRTStartup']);
  });

  it('opens at most MAX_OPEN_HANDLES files at once, reopening them as they are read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'many-'));
    const paths: string[] = [];
    for (let i = 0; i < MAX_OPEN_HANDLES * 3; i++) {
      const path = join(dir, `m${i}.sym`);
      writeFileSync(path, `MODULE windows x86 ${String(i).padStart(33, '0')} m${i}.pdb\n`);
      paths.push(path);
    }
    const store = await SymbolStore.open(paths);
    expect(store.files).toHaveLength(paths.length);
    for (let round = 0; round < 2; round++) {
      for (const f of store.files) {
        expect(new TextDecoder().decode(await f.read(0, 6))).toBe('MODULE');
        expect(store.openHandles).toBeLessThanOrEqual(MAX_OPEN_HANDLES);
      }
    }
    expect(store.openHandles).toBe(MAX_OPEN_HANDLES);
    await store.close();
    expect(store.openHandles).toBe(0);
  });
});
