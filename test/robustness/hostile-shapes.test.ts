// The hostile inputs of issue 15 (a probe of hand-made inputs the mutation fuzzer never
// reaches), each rebuilt by test/synth/hostile at a size small enough for a unit test, with the
// limit the issue sets: in the CLI an exit status of 0 or 2, a report or one line, never a
// stack trace, within its heap; in the engine, work that grows with what the input holds, not
// with how often it repeats itself.
//
// Limits are checked by the work done where the work can be counted: bytes asked of the
// source (a CountingSource has no cache in front of it), the characters of the report, the
// budget's clock made a tick counter. Where only time tells (a regex's backtracking), the
// growth meter (growth.ts) compares the cost at lengths 4× apart instead of timing one run;
// wall-clock limits remain only as a backstop on small inputs (the CLI's 5 s).
//
// Findings not fixed yet are `it.fails`, each naming its finding (F1…F7, as in the issue): it
// passes while the engine still fails and flips when the fix lands — then make it an `it`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHighlighterCoreSync, type LanguageRegistration } from 'shiki/core';
import { createJavaScriptRawEngine } from 'shiki/engine/javascript';
import githubDark from 'shiki/themes/github-dark.mjs';
import githubLight from 'shiki/themes/github-light.mjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { precompile } from '../../src/client/highlight.ts';
import windbgGrammar from '../../src/render/windbg.tmLanguage.json' with { type: 'json' };
import { analyze, analyzeText } from '../../src/engine/analyze.ts';
import { DumpError } from '../../src/engine/core/errors.ts';
import { Uint8ArraySource } from '../../src/engine/io/uint8array-source.ts';
import { Report } from '../../src/engine/report/schema.ts';
import { reportProblem } from '../../fuzz/check.ts';
import { CountingSource } from '../synth/hostile/counting-source.ts';
import { BIDI_CONTROLS, bidiStringsDump, sharedNameHandles } from '../synth/hostile/dump-strings.ts';
import { writeImageFolder } from '../synth/hostile/image-folder.ts';
import { LINE_SEPARATOR, LINE_SHAPES, lineShape, longLineText, WIDE_SPACE, type LineShape } from '../synth/hostile/line-shapes.ts';
import { dottedSymbolFrames, pdbPathRows } from '../synth/hostile/text-bombs.ts';
import { threadBombDump } from '../synth/hostile/thread-bomb.ts';
import { walkBombDump, walkBombImages } from '../synth/hostile/walk-bomb.ts';
import { superLinearAt } from './growth.ts';
import { detectorsAndCatalog } from './support.ts';

// The examples route imports Astro's content layer, which exists only inside Astro.
vi.mock('astro:content', () => ({ getCollection: async () => [] }));

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/dumpatlas.js');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dumpatlas-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * `node bin/dumpatlas.js …` in a child: with a heap limit (the issue's memory bound, scaled to
 * the input), a kill after `timeoutMs`, and optionally a lower limit on open files.
 */
function cli(args: string[], o: { heapMb?: number; timeoutMs?: number; openFiles?: number } = {}): Promise<CliRun> {
  const node = [...(o.heapMb ? [`--max-old-space-size=${o.heapMb}`] : []), BIN, ...args];
  const [cmd, argv] = o.openFiles
    ? ['bash', ['-c', `ulimit -n ${o.openFiles} && exec "$0" "$@"`, process.execPath, ...node]]
    : [process.execPath, node];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd as string, argv as string[], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** The CLI's promise: it ended by itself with 0 or 2, each stderr line one "dumpatlas:" line, no trace. */
function expectCleanEnd(r: CliRun, limitMs = 60_000): void {
  const summary = `status ${r.status}, signal ${r.signal}, ${Math.round(r.ms)} ms, stderr: ${r.stderr.slice(0, 300)}`;
  expect(r.signal, summary).toBeNull();
  expect([0, 2], summary).toContain(r.status);
  expect(r.stderr, summary).not.toMatch(/FATAL ERROR|Native stack trace|^\s+at .+[:(]|node:internal|\.ts:\d+:\d+/m);
  for (const line of r.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^dumpatlas: /);
  expect(r.ms, summary).toBeLessThan(limitMs);
}

function writeInput(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function engineOptions() {
  const { detectors, catalog } = await detectorsAndCatalog();
  return { detectors, catalog };
}

/** analyzeText that treats a refusal as an answer: only the time it takes matters here. */
function readText(text: string, options: Awaited<ReturnType<typeof engineOptions>>): void {
  try {
    analyzeText(text, 'hostile.txt', options);
  } catch (err) {
    if (!(err instanceof DumpError)) throw err;
  }
}

describe('the measures themselves', () => {
  it('the growth meter flags quadratic work and passes linear work', () => {
    const quadratic = superLinearAt((n) => /^a*a*b/.test('a'.repeat(n)));
    expect(quadratic).not.toBeNull();
    let sink = 0;
    const linear = superLinearAt((n) => {
      for (let i = 0; i < n * 300; i++) sink += i & 1;
    });
    expect(linear, linear?.why).toBeNull();
    expect(sink).toBeGreaterThan(0);
  });

  it('a CountingSource sees every byte a dump read asks for (no cache in between)', async () => {
    const bytes = walkBombDump({ modules: 2, functions: 16, nameLength: 8 });
    const src = new CountingSource(bytes, 'w.dmp');
    await analyze(src, await engineOptions());
    expect(src.reads).toBeGreaterThan(10);
    expect(src.bytesRead).toBeGreaterThan(1000);
  });
});

describe('F1: modules aliasing one export-bomb image', () => {
  // The engine reads and parses each distinct image range once, however many modules alias it
  // (unwind/image-cache.ts), and keeps export tables as typed arrays with names read lazily.
  it('engine: 64 aliases of one image cost about one read of it, not 64 (F1)', async () => {
    const bytes = walkBombDump({ modules: 64, functions: 4096, nameLength: 64 });
    const src = new CountingSource(bytes, 'walk-bomb.dmp');
    const report = await analyze(src, await engineOptions());
    expect(report.threads[0]!.frames.length).toBe(65);
    expect(src.bytesRead / bytes.length).toBeLessThan(4);
  });

  it('engine, --images: one module file named by 32 modules is read about once (F1)', async () => {
    const w = walkBombImages({ modules: 32, functions: 4096, nameLength: 64 });
    const image = new CountingSource(w.image.bytes, w.image.name);
    await analyze(new Uint8ArraySource(w.dump, 'walk-bomb-images.dmp'), { ...(await engineOptions()), images: [image] });
    expect(image.bytesRead / w.image.bytes.length).toBeLessThan(3);
  });
});

describe('F2: threads each in its own alias of one export-bomb image', () => {
  it('engine: 64 threads in 64 aliases cost about one read of the image (F2)', async () => {
    const bytes = threadBombDump({ threads: 64, functions: 4096, nameLength: 64 });
    const src = new CountingSource(bytes, 'thread-bomb.dmp');
    const report = await analyze(src, await engineOptions());
    expect(report.threads).toHaveLength(64);
    expect(src.bytesRead / bytes.length).toBeLessThan(4);
  });
});

/** Why reading `shape` (with `variant`) stops looking linear, or null when it does not. */
async function lineGrowth(shape: LineShape, variant: { unit?: string; suffix?: string } = {}, lines = 1): Promise<string | null> {
  const options = await engineOptions();
  const found = superLinearAt((length) => readText(longLineText(shape, { ...variant, lines, length }), options));
  return found && `${shape.id}${variant.unit ? ` (unit ${JSON.stringify(variant.unit)})` : ''}: ${found.why}`;
}

describe('F3: long lines', () => {
  // The probe's three recipes: regexes whose cost grows with the square of the line.
  for (const id of ['event-line', 'dump-type', 'os-line']) {
    it(`engine: lines of the probe's ${id} shape cost what their length does (F3)`, async () => {
      expect(await lineGrowth(lineShape(id), {}, 2)).toBeNull();
    }, 60_000);
  }

  // The same class for every line reader, with its own unit and with wide spaces (which the
  // reader's blank-run cut does not touch) before a line separator; event-line-space and
  // critsec are cubic today: 2,048 characters cost the CLI about 10 s.
  it('engine: every line reader costs what its line\'s length does, for its own shape and for wide spaces (F3)', async () => {
    const slow: string[] = [];
    for (const shape of LINE_SHAPES) {
      for (const variant of [{}, { unit: WIDE_SPACE, suffix: LINE_SEPARATOR }]) {
        const why = await lineGrowth(shape, variant);
        if (why) slow.push(why);
        // One is enough to fail; the list is for the person fixing them.
        if (slow.length >= 3) break;
      }
      if (slow.length >= 3) break;
    }
    expect(slow).toEqual([]);
  }, 120_000);

  // The budget as a work counter: a clock that moves 1 ms each time it is read. Fixed, the
  // reader looks at it in proportion to the text it reads (so 200 lines of 60,000 characters
  // run out a 50 ms budget); today it looks every 4,096 lines, i.e. once here.
  it('engine: the time budget is polled by the text read, not every 4,096 lines (F3)', async () => {
    let t = 0;
    const text = `${'(1a2c.3b4): Access violation - code c0000005 (first/second chance not available)\n0:000> k\n'}${`${'x'.repeat(60_000)}\n`.repeat(200)}`;
    const r = analyzeText(text, 'long-prose.txt', { ...(await engineOptions()), budgetMs: 50, now: () => t++ });
    expect(r.warnings.map((w) => w.kind)).toContain('cap-time');
  });

});

describe('F4: lm rows with a 65,000-character pdb path', () => {
  it('engine: pdb paths cost what their length does (F4: pdbOf is quadratic, after the line loop)', async () => {
    const options = await engineOptions();
    const found = superLinearAt((length) => readText(pdbPathRows({ rows: 2, pathLength: length }), options));
    expect(found?.why ?? null).toBeNull();
  }, 60_000);
});

describe('F5: what the page draws', () => {
  // The page colours stacks on its main thread with shiki's raw JavaScript engine over our
  // grammar (src/client/highlight.ts); the same tokenizer runs here without a DOM.
  it.fails('colouring a frame named mod!a.a.a… costs what its length does (F5: the call-site pattern is quadratic)', () => {
    const highlighter = createHighlighterCoreSync({
      themes: [githubLight, githubDark],
      langs: [precompile(windbgGrammar) as LanguageRegistration],
      engine: createJavaScriptRawEngine(),
    });
    const found = superLinearAt((length) => {
      const line = dottedSymbolFrames({ frames: 1, length }).split('\n')[3]!;
      highlighter.codeToTokens(line, { lang: 'windbg', themes: { light: 'github-light', dark: 'github-dark' }, defaultColor: false });
    });
    expect(found?.why ?? null).toBeNull();
  }, 60_000);
});

/** Characters of every string in a value, counting shared strings once per reference, as JSON does. */
function stringChars(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + stringChars(v), 0);
  if (value && typeof value === 'object') return Object.entries(value).reduce((n, [k, v]) => n + k.length + stringChars(v), 0);
  return 0;
}

describe('F6: handles all naming one 64 KB string', () => {
  // 1,200 handles × 2 names × 32,767 characters is 78 million characters of report from a
  // 100 KB dump; the probe's 100,000 handles could not be serialised at all.
  it.fails('engine: the report stays within the string budget however often one string is named (F6)', async () => {
    const bytes = sharedNameHandles({ handles: 1200 });
    const report = await analyze(new Uint8ArraySource(bytes, 'shared-names.dmp'), await engineOptions());
    expect(reportProblem(report)).toBeNull();
    expect(stringChars(report)).toBeLessThan(24 * 1024 * 1024);
  });
});

describe('F7: smaller ones', () => {
  it.fails('the examples route serves nothing outside fixtures/ (F7: no containment check today)', async () => {
    const route = await import('../../src/pages/examples/[...path].ts');
    let status: number;
    try {
      const res = await route.GET({ params: { path: '../package.json' } } as unknown as Parameters<typeof route.GET>[0]);
      status = (res as Response).status;
    } catch {
      status = 404;
    }
    expect(status).not.toBe(200);
  });

  it('a report of the bidi dump is still a valid report (the strings are kept, as text)', async () => {
    const report = await analyze(new Uint8ArraySource(bidiStringsDump(), 'bidi.dmp'), await engineOptions());
    expect(Report.safeParse(report).success).toBe(true);
    expect(report.modules.length).toBeGreaterThanOrEqual(5);
  });
});

// In a child process, where the finding is about what the user of the CLI sees. Concurrent:
// the children mostly wait on their own heap limit or timer.
describe.concurrent('CLI, in a child process (F1, F2, F3, F7)', () => {
  // The probe's image (65,536 forwarders named by one 1,023-byte string) behind 4 modules:
  // one table is ~130 MB of strings, so a heap of 320 MB holds one, not four.
  it('CLI: the walk bomb with 4 aliases ends cleanly within a 320 MB heap (F1)', async () => {
    const file = writeInput('walk-bomb-4.dmp', walkBombDump({ modules: 4 }));
    expectCleanEnd(await cli(['analyze', '--json', file], { heapMb: 320 }));
  }, 90_000);

  it('CLI --images: evil.dll named by 4 modules ends cleanly within a 320 MB heap (F1)', async () => {
    const w = walkBombImages({ modules: 4 });
    const images = join(dir, 'evil-images');
    mkdirSync(images, { recursive: true });
    writeFileSync(join(images, w.image.name), w.image.bytes);
    const file = writeInput('walk-bomb-images-4.dmp', w.dump);
    expectCleanEnd(await cli(['analyze', '--json', file, '--images', images], { heapMb: 320 }));
  }, 90_000);

  it('CLI: 8 threads over the probe\'s image end cleanly within a 320 MB heap (F2)', async () => {
    const file = writeInput('thread-bomb-8.dmp', threadBombDump({ threads: 8 }));
    expectCleanEnd(await cli(['analyze', '--json', file], { heapMb: 320 }));
  }, 90_000);

  it('CLI: one 2,048-character line of the cubic event-line-space shape ends within 5 s (F3)', async () => {
    const file = writeInput('event-line-space.txt', longLineText(lineShape('event-line-space'), { length: 2048 }));
    expectCleanEnd(await cli(['analyze', file], { timeoutMs: 8000 }), 5000);
  }, 30_000);

  it.fails('CLI: no bidi control or line separator from the dump reaches the terminal (F7)', async () => {
    const file = writeInput('bidi.dmp', bidiStringsDump());
    const r = await cli(['analyze', file]);
    expectCleanEnd(r);
    expect(r.stdout).toContain('== bidi.dmp (minidump) ==');
    const found = [...BIDI_CONTROLS, '\u2028', '\u2029'].filter((c) => r.stdout.includes(c)).map((c) => `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(found).toEqual([]);
  });

  it('CLI --images: more module files than the open-file limit still analyses the dump (F7)', async () => {
    const folder = join(dir, 'many-images');
    writeImageFolder(folder, { files: 300 });
    const file = writeInput('small.dmp', bidiStringsDump());
    const r = await cli(['analyze', file, '--images', folder], { openFiles: 200 });
    expectCleanEnd(r);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('== small.dmp (minidump) ==');
  });
});
