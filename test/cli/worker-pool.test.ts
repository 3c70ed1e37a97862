// The worker pool's promise: a worker that overruns (or dies: the same path, a worker replaced)
// costs only the file it held, as a "could not be analysed" outcome, and the run still ends
// with one outcome per file.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FileOutcome, FileTask } from '../../src/cli/analyze-file.ts';
import { runPool } from '../../src/cli/worker-pool.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const task = (file: string): FileTask => ({ file: join(ROOT, file), output: 'none', wantReport: false, images: [], symbols: [], forceSymbols: false });
const FILES = ['fixtures/corpus/lldb/sigsegv.dmp', 'fixtures/windbg/x64-access-violation.txt', 'fixtures/corpus/lldb/linux-x86_64.dmp'];

async function collect(options: Parameters<typeof runPool>[1]): Promise<FileOutcome[]> {
  const out: FileOutcome[] = [];
  await runPool(FILES.map(task), options, (i, o) => (out[i] = o));
  return out;
}

describe('runPool', () => {
  it('analyses every file once, in parallel workers', async () => {
    const out = await collect({ size: 2, heapMb: 1024, taskTimeoutMs: 60_000 });
    expect(out.map((o) => [o.ok, o.summary.analysed])).toEqual([
      [true, 1],
      [true, 1],
      [true, 1],
    ]);
  });

  it('turns a worker that overruns its time into one line per file, and goes on', async () => {
    const out = await collect({ size: 2, heapMb: 1024, taskTimeoutMs: 1 });
    expect(out).toHaveLength(3);
    for (const o of out) expect([o.ok, o.summary.broken[0]?.kind, o.error]).toEqual([false, 'timeout', 'gave up after 0 s']);
  });
});
