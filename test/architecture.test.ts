// The layers of ARCHITECTURE.md, checked by dependency-cruiser with the project's own rules
// (.dependency-cruiser.mjs): src imports only downward, and no two folders import each other.
// The rules are also run on small planted trees, so a rule that could never fire fails here.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';
import config, { LAYERS, RULES } from '../.dependency-cruiser.mjs';
import { ROOT } from '../src/catalog/load-node.ts';

async function violations(baseDir: string): Promise<IViolation[]> {
  const result = await cruise(['src'], { ...config.options, baseDir, validate: true, ruleSet: { forbidden: RULES } });
  return (result.output as ICruiseResult).summary.violations;
}

const planted: string[] = [];
afterAll(() => {
  for (const dir of planted) rmSync(dir, { recursive: true, force: true });
});

/** A throwaway tree of TypeScript files (path → source) under a fresh temporary folder. */
function plant(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  planted.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const summary = (v: IViolation[]): string[] => v.map((x) => `${x.rule.name}: ${x.from} → ${x.to}`);

describe('the layers', () => {
  it('name the core first and the shells last', () => {
    expect(LAYERS[0]!.name).toBe('core');
    expect(LAYERS.at(-1)!.name).toBe('shells');
  });

  it('hold in src: nothing imports upward, no module or folder cycles', async () => {
    expect(summary(await violations(ROOT))).toEqual([]);
  }, 60_000);

  it('catch a planted upward import (the core importing the report)', async () => {
    const root = plant({
      'src/engine/report/schema.ts': 'export const Report = 1;\n',
      'src/engine/core/hex.ts': "import { Report } from '../report/schema.ts';\nexport const hex = Report;\n",
    });
    expect(summary(await violations(root))).toEqual(['no-upward-from-core: src/engine/core/hex.ts → src/engine/report/schema.ts']);
  });

  it('catch a reader importing the model assembly, and a detector importing a reader', async () => {
    const root = plant({
      'src/engine/model/from-minidump.ts': 'export const read = 1;\n',
      'src/engine/minidump/minidump.ts': "import { read } from '../model/from-minidump.ts';\nexport const md = read;\n",
      'src/detectors/peek.ts': "import { md } from '../engine/minidump/minidump.ts';\nexport default md;\n",
    });
    expect(summary(await violations(root)).sort()).toEqual([
      'detectors-read-the-model-only: src/detectors/peek.ts → src/engine/minidump/minidump.ts',
      'no-upward-from-format-readers: src/engine/minidump/minidump.ts → src/engine/model/from-minidump.ts',
    ]);
  });

  it('catch two folders of one layer that import each other', async () => {
    const root = plant({
      'src/engine/minidump/a.ts': "import { b } from '../pe/b.ts';\nexport const a = b;\n",
      'src/engine/pe/b.ts': "import { c } from '../minidump/c.ts';\nexport const b = c;\n",
      'src/engine/minidump/c.ts': 'export const c = 1;\n',
    });
    expect([...new Set(summary(await violations(root)).map((v) => v.split(':')[0]))]).toEqual(['no-folder-cycles']);
  });

  it('catch a Node built-in in the engine outside the Node byte source', async () => {
    const root = plant({ 'src/engine/pe/read.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n" });
    expect(summary(await violations(root))).toEqual(['engine-runs-in-a-worker: src/engine/pe/read.ts → fs']);
  });
});
