// `node scripts/hostile-page.ts [--only id,id…] [--traces DIR]` (after `npm run build`): drops the page-side
// hostile shapes of issue 15 on the built analyzer at the probe's full size, in Debian's
// Chromium, and prints what drawing each cost: the analysis time, the longest main-thread task
// (thread time and wall time, from Chromium's trace), tasks over 50 ms, the report's elements,
// and the peak resident memory of the page's and the worker's processes. The e2e test
// (test/e2e/hostile-page.test.ts) checks smaller sizes of the same shapes on every run.
// --traces DIR keeps each shape's Chromium trace (DevTools' performance panel opens it).
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { sharedNameHandles } from '../test/synth/hostile/dump-strings.ts';
import { bigStack, dottedSymbolFrames, manyThreads, moduleRows } from '../test/synth/hostile/text-bombs.ts';
import { clickIn, dropAndDraw, waitIn } from '../test/e2e/page-work.ts';
import { startPreview } from '../test/e2e/preview-server.ts';

interface PageShape {
  id: string;
  what: string;
  file: () => { name: string; text?: string; bytes?: Uint8Array };
  /** What a reader does next, drawn in slices too. */
  after?: (page: Page) => Promise<void>;
}

const SHAPES: PageShape[] = [
  {
    id: 'big-stack',
    what: 'one stack of 65,536 frames, then "Show all"',
    file: () => ({ name: 'big-stack.txt', text: bigStack({ frames: 65_536 }) }),
    after: async (p) => {
      await waitIn(p, '.faulting-stack button[data-action="all-frames"]:not([hidden])');
      await clickIn(p, '.faulting-stack button[data-action="all-frames"]');
      await waitIn(p, '.faulting-stack .stack-more', { gone: true, timeoutMs: 600_000 });
    },
  },
  {
    id: 'module-rows',
    what: 'an lm of 10^6 rows, then the module table opened at its last page',
    file: () => ({ name: 'module-rows.txt', text: moduleRows({ rows: 1_000_000 }) }),
    after: async (p) => {
      await clickIn(p, '.modules-details summary');
      await waitIn(p, '.modules-details button[data-page="last"]');
      await clickIn(p, '.modules-details button[data-page="last"]');
    },
  },
  {
    id: 'many-threads',
    what: '~*k of 2,000 threads, then every thread listed and one opened',
    file: () => ({ name: 'threads.txt', text: manyThreads({ threads: 2000 }) }),
    after: async (p) => {
      await waitIn(p, 'button[data-action="more-threads"]:enabled');
      await clickIn(p, 'button[data-action="more-threads"]');
      await waitIn(p, 'button[data-action="more-threads"]:enabled');
      await clickIn(p, 'button[data-action="more-threads"]');
      await waitIn(p, 'details.thread', { count: 2000, timeoutMs: 600_000 });
      await clickIn(p, 'details.thread:nth-of-type(1500) summary');
      await waitIn(p, 'details.thread[open] pre.stack');
    },
  },
  {
    id: 'dotted-frames',
    what: '30 frames named mod!a.a.a… of 64 Ki characters',
    file: () => ({ name: 'dotted.txt', text: dottedSymbolFrames({ frames: 30, length: 64 * 1024 }) }),
  },
  {
    id: 'shared-name-handles',
    what: '100,000 handles naming one 64 KB string (F6: no report before)',
    file: () => ({ name: 'handles.dmp', bytes: sharedNameHandles() }),
  },
];

/** Peak resident set of every process under `root`, sampled while `work` runs. */
async function peakMemory<T>(marker: string, work: () => Promise<T>): Promise<{ result: T; peakMb: Record<string, number> }> {
  const peak: Record<string, number> = {};
  const sample = (): void => {
    const parents = new Map<number, number>();
    const info = new Map<number, { type: string; rssMb: number; marked: boolean }>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const status = readFileSync(`/proc/${name}/status`, 'utf8');
        const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
        parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
        info.set(Number(name), { type: /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser', rssMb: Number(/VmRSS:\s*(\d+)/.exec(status)?.[1] ?? 0) / 1024, marked: cmd.includes(marker) });
      } catch {
        // gone meanwhile
      }
    }
    const inTree = (pid: number): boolean => {
      for (let p = pid, hops = 0; p > 1 && hops < 8; p = parents.get(p) ?? 0, hops++) if (info.get(p)?.marked) return true;
      return false;
    };
    for (const [pid, i] of info) if (inTree(pid)) peak[`${i.type} ${pid}`] = Math.max(peak[`${i.type} ${pid}`] ?? 0, Math.round(i.rssMb));
  };
  const timer = setInterval(sample, 100);
  try {
    const result = await work();
    return { result, peakMb: peak };
  } finally {
    clearInterval(timer);
  }
}

const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',')) : null;
const tracesAt = args.indexOf('--traces');
const traces = tracesAt >= 0 ? args[tracesAt + 1] : undefined;
if (traces) mkdirSync(traces, { recursive: true });

const server = await startPreview();
const base = server.base;
const marker = `--dumpatlas-page-probe-${process.pid}`;
try {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', marker] });
  try {
    for (const shape of SHAPES) {
      if (only && !only.has(shape.id)) continue;
      const page = await browser.newPage();
      await page.goto(`${base}/analyze/`);
      await page.locator('[data-analyzer][data-ready]').waitFor({ state: 'attached', timeout: 20_000 });
      const file = shape.file();
      const started = performance.now();
      const { result, peakMb } = await peakMemory(marker, () => dropAndDraw(browser, page, file, { after: shape.after, timeoutMs: 600_000, keepTrace: traces && join(traces, `${shape.id}.json`) }));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const size = file.text?.length ?? file.bytes?.length ?? 0;
      const top = Object.entries(peakMb).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${k} ${v} MB`).join(', ');
      process.stdout.write(
        `${shape.id}: ${shape.what} (${size} characters/bytes)\n  done in ${seconds} s; longest main-thread task ${result.longestTaskCpuMs} ms of thread time (longest wall ${result.longestTaskWallMs} ms), ${result.longTasks} over 50 ms; ${result.elements} elements\n  peak memory: ${top}\n`,
      );
      await page.close();
    }
  } finally {
    await browser.close();
  }
} finally {
  server.stop();
}
