// The bucket summary is a merge of per-file summaries, so that runs over shards of a folder
// combine into the summary of the whole folder. That holds only if the merge is associative
// and commutative with the empty summary as identity; checked here on the reports of real
// fixture dumps (and some unreadable files), over many groupings and orders.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, loadCatalog, loadDetectors } from '../../../src/catalog/load-node.ts';
import { analyze } from '../../../src/engine/analyze.ts';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { Summary as SummarySchema } from '../../../src/engine/report/summary-schema.ts';
import {
  emptySummary,
  MAX_BROKEN_LISTED,
  mergeSummaries,
  SummaryAccumulator,
  summaryOfBroken,
  summaryOfReport,
  type Summary,
} from '../../../src/engine/report/summary.ts';
import { fixtureBytes } from '../../lib/analyze-input.ts';
import { bucketDump, RUN_A, RUN_B, RUN_OTHER } from '../../synth/bucket-dumps.ts';

let units: Summary[];

/** A deterministic shuffle (the tests must not depend on luck). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const fold = (xs: readonly Summary[]): Summary => xs.reduce(mergeSummaries, emptySummary());

beforeAll(async () => {
  const detectors = await loadDetectors();
  const catalog = loadCatalog();
  const files = [
    ...readdirSync(join(FIXTURES_DIR, 'dumps'))
      .filter((f) => f.endsWith('.dmp'))
      .map((f) => `dumps/${f}`),
    'corpus/breakpad/ascii_read_av.dmp',
    'corpus/breakpad/ascii_write_av.dmp',
    'corpus/breakpad/null_read_av.dmp',
    'corpus/lldb/sigsegv.dmp',
    'windbg/deadlock-critical-sections-kb.txt',
  ];
  const reports = await Promise.all(
    files.map(async (f) => {
      const bytes = fixtureBytes(f);
      return { file: f, report: await analyze(new Uint8ArraySource(bytes, f.split('/').pop()!), { detectors, catalog }) };
    }),
  );
  const synthetic = await Promise.all(
    [RUN_A, RUN_B, RUN_OTHER, { ...RUN_B, threadId: 0x44, time: 0x6400_0000 }].map(async (run, i) => ({
      file: `synth/run-${i}.dmp`,
      report: await analyze(new Uint8ArraySource(bucketDump(run), `run-${i}.dmp`), { detectors, catalog }),
    })),
  );
  units = [
    ...[...reports, ...synthetic].map(({ file, report }) => summaryOfReport(report, file)),
    summaryOfBroken({ file: 'share/screenshot.png', kind: 'not-a-dump', message: 'this is a PNG image, not a dump' }),
    summaryOfBroken({ file: 'share/empty.dmp', kind: 'not-a-dump', message: 'the file is empty' }),
  ];
});

describe('mergeSummaries', () => {
  it('has the empty summary as identity', () => {
    const all = fold(units);
    expect(mergeSummaries(all, emptySummary())).toEqual(all);
    expect(mergeSummaries(emptySummary(), all)).toEqual(all);
  });

  it('is associative: merge(merge(a, b), c) = merge(a, merge(b, c)) for shards of every size', () => {
    for (let cut1 = 0; cut1 <= units.length; cut1 += 3) {
      for (let cut2 = cut1; cut2 <= units.length; cut2 += 4) {
        const a = fold(units.slice(0, cut1));
        const b = fold(units.slice(cut1, cut2));
        const c = fold(units.slice(cut2));
        expect(mergeSummaries(mergeSummaries(a, b), c)).toEqual(mergeSummaries(a, mergeSummaries(b, c)));
      }
    }
  });

  it('is commutative, so the order files finish in does not matter', () => {
    const all = fold(units);
    for (let seed = 1; seed <= 10; seed++) expect(fold(shuffled(units, seed))).toEqual(all);
    const a = fold(units.slice(0, 9));
    const b = fold(units.slice(9));
    expect(mergeSummaries(a, b)).toEqual(mergeSummaries(b, a));
  });

  it('gives sharded runs the summary of one run, however the shards are cut and merged', () => {
    const whole = new SummaryAccumulator();
    for (const u of units) whole.add(u);
    const unsharded = whole.result();
    for (let shards = 2; shards <= 7; shards++) {
      const order = shuffled(units, shards);
      const parts = Array.from({ length: shards }, (_, k) => fold(order.filter((_, i) => i % shards === k)));
      // Shard summaries pass through JSON, as they do between machines.
      const back = parts.map((p) => SummarySchema.parse(JSON.parse(JSON.stringify(p))) as Summary);
      expect(shuffled(back, 99).reduce(mergeSummaries)).toEqual(unsharded);
    }
  });

  it('counts dumps per bucket: the same crash from two machines is one row, another crash its own', () => {
    const all = fold(units);
    const same = all.buckets.find((b) => b.id === 'c0000005 @ crashlib!parse_record (null-pointer-data)');
    expect(same).toMatchObject({
      count: 3,
      example: 'synth/run-0.dmp',
      patterns: { 'null-pointer-data': 3 },
      // The earliest and latest of the three dumps' own times (time_t in the header).
      firstTime: new Date(0x6400_0000 * 1000).toISOString(),
      lastTime: new Date(RUN_B.time * 1000).toISOString(),
    });
    expect(all.buckets.find((b) => b.id === 'c0000094 @ app+0x1144 (divide-by-zero)')?.count).toBe(1);
    expect(all.analysed + all.brokenCount).toBe(all.files);
    expect(all.buckets.reduce((n, b) => n + b.count, 0)).toBe(all.analysed);
    expect(all.broken.map((b) => b.file)).toEqual(['share/empty.dmp', 'share/screenshot.png']);
    // Most dumps first, then by id.
    const counts = all.buckets.map((b) => b.count);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
  });

  it('lists the first unreadable files by name whatever the grouping, and counts the rest', () => {
    const broken = Array.from({ length: MAX_BROKEN_LISTED + 50 }, (_, i) =>
      summaryOfBroken({ file: `f${String(i).padStart(5, '0')}.dmp`, kind: 'io', message: 'cannot open' }),
    );
    const all = fold(shuffled(broken, 3));
    expect(all.brokenCount).toBe(MAX_BROKEN_LISTED + 50);
    expect(all.broken).toHaveLength(MAX_BROKEN_LISTED);
    expect(all.broken[0]!.file).toBe('f00000.dmp');
    expect(mergeSummaries(fold(broken.slice(0, 700)), fold(broken.slice(700)))).toEqual(all);
  });
});
