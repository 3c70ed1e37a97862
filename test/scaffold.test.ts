// `npm run new-pattern`: the three files it writes under one id type-check, pass the catalog's
// pairing check, never fire, and leave the pattern tester failing until real cases are
// written; an existing id is refused. Runs in a temporary project folder that borrows the
// real contract, tester vocabulary and node_modules through symlinks.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCatalog } from '../src/catalog/check.ts';
import { parseFrontmatter } from '../src/catalog/frontmatter.ts';
import { FIXTURES_DIR, ROOT } from '../src/catalog/load-node.ts';
import type { Detector } from '../src/engine/report/detector.ts';
import { emptyModel } from '../src/engine/core/empty-model.ts';
import { PLACEHOLDER_EXAMPLE, patternId, scaffoldPattern } from '../scripts/new-pattern.ts';
import type { PatternCases } from './lib/cases.ts';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dumpatlas-scaffold-'));
  for (const dir of ['src/content/patterns', 'src/detectors', 'test/patterns', 'fixtures/windbg']) mkdirSync(join(root, dir), { recursive: true });
  symlinkSync(join(ROOT, 'src/detectors/lib'), join(root, 'src/detectors/lib'), 'dir');
  symlinkSync(join(ROOT, 'src/engine'), join(root, 'src/engine'), 'dir');
  symlinkSync(join(ROOT, 'test/lib'), join(root, 'test/lib'), 'dir');
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  copyFileSync(join(FIXTURES_DIR, PLACEHOLDER_EXAMPLE), join(root, 'fixtures', PLACEHOLDER_EXAMPLE));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('patternId', () => {
  it('makes kebab-case ids the way the catalog names its files', () => {
    expect(patternId('Deadlock (Critical Sections)')).toBe('deadlock-critical-sections');
    expect(patternId('C++ Exception')).toBe('cpp-exception');
    expect(patternId('  NULL Pointer (data) ')).toBe('null-pointer-data');
    expect(patternId('Wild Code Pointer')).toBe('wild-code-pointer');
  });
});

describe('new-pattern', () => {
  const id = 'spiking-thread';
  let files: string[] = [];

  it('writes the page, the detector and the cases under one id', () => {
    const result = scaffoldPattern({ title: 'Spiking Thread', category: 'Threads and synchronization', root });
    expect(result).toEqual({
      ok: true,
      id,
      files: [`src/content/patterns/${id}.mdx`, `src/detectors/${id}.ts`, `test/patterns/${id}.cases.ts`],
    });
    if (result.ok) files = result.files;
    for (const f of files) expect(readFileSync(join(root, f), 'utf8')).toContain('TODO');
  });

  it('writes valid frontmatter that passes the catalog pairing check', () => {
    const meta = parseFrontmatter(readFileSync(join(root, files[0]!), 'utf8'), files[0]!);
    expect(meta).toMatchObject({ title: 'Spiking Thread', category: 'Threads and synchronization', examples: [PLACEHOLDER_EXAMPLE], related: [] });
    const ids = (dir: string, suffix: string) =>
      readdirSync(join(root, dir))
        .filter((f) => f.endsWith(suffix))
        .map((f) => f.slice(0, -suffix.length));
    const problems = checkCatalog({
      catalog: { [id]: meta },
      detectorIds: ids('src/detectors', '.ts'),
      caseIds: ids('test/patterns', '.cases.ts'),
      fixtureExists: (p) => readdirSync(join(root, 'fixtures', dirname(p))).includes(p.split('/').pop()!),
    });
    expect(problems).toEqual([]);
  });

  it('writes a detector with the right id that never fires', async () => {
    const mod = (await import(pathToFileURL(join(root, files[1]!)).href)) as { default: Detector };
    expect(mod.default.id).toBe(id);
    expect(mod.default.detect(emptyModel('windbg-text', 'x.txt', 0))).toEqual([]);
  });

  it('writes cases that the pattern tester rejects until real ones are written', async () => {
    const mod = (await import(pathToFileURL(join(root, files[2]!)).href)) as { default: PatternCases };
    // test/patterns.test.ts wants at least one fire and two silent cases.
    expect(mod.default).toEqual({ fire: [], silent: [] });
    expect(readFileSync(join(root, files[2]!), 'utf8')).toContain(`pattern ${id} > has a page, at least one must-fire and two must-stay-silent cases`);
  });

  it('writes TypeScript that type-checks with the project’s compiler settings', () => {
    writeFileSync(
      join(root, 'tsconfig.json'),
      JSON.stringify({
        extends: join(ROOT, 'tsconfig.json'),
        include: [],
        files: [join(root, files[1]!), join(root, files[2]!)],
      }),
    );
    const tsc = join(ROOT, 'node_modules/.bin/tsc');
    let output = '';
    try {
      execFileSync(tsc, ['--noEmit', '-p', join(root, 'tsconfig.json')], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      output = String((err as { stdout?: string }).stdout ?? err);
    }
    expect(output).toBe('');
  }, 60_000);

  it('refuses an id that exists, and leaves its files alone', () => {
    const before = readFileSync(join(root, files[1]!), 'utf8');
    const result = scaffoldPattern({ title: 'spiking   thread', root });
    expect(result).toMatchObject({ ok: false, kind: 'exists' });
    expect(result.ok ? '' : result.message).toMatch(/pattern "spiking-thread" already exists/);
    expect(readFileSync(join(root, files[1]!), 'utf8')).toBe(before);
  });

  it('refuses a name without letters or digits, and an unknown category', () => {
    expect(scaffoldPattern({ title: '?!', root })).toMatchObject({ ok: false, kind: 'bad-name' });
    expect(scaffoldPattern({ title: 'Heap Spray', category: 'Heaps', root })).toMatchObject({ ok: false, kind: 'bad-category' });
    expect(readdirSync(join(root, 'src/detectors')).filter((f) => f.startsWith('heap'))).toEqual([]);
  });

  it('refuses a real catalog id', () => {
    const result = scaffoldPattern({ title: 'Virtualized Process', root: ROOT });
    expect(result).toMatchObject({ ok: false, kind: 'exists' });
  });
});
