// `npm run fuzz -- --count N [--seed S] [--jobs J] [--case I] [--budget MS] [--slice] [--light] [--shapes | --shape ID[,ID…]] [--small] [--quiet]`
// --slice: the fixed seed list of the test slice; --light: without the heavy mutators;
// --shapes: hostile shapes built with random parameters instead of mutations (fuzz/shapes.ts);
// --shape ID[,ID…]: the same, only those shapes; --small: their sizes drawn from 1/64 of the range;
// --case I --write FILE: save case I's input instead of running it.
// Runs N mutated inputs through analyze() with every detector and prints cases/s, the
// failures (seed and case index to reproduce, one line why) and the slowest case. Exits 1
// when any case failed, 2 on bad arguments.
import { availableParallelism } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCase } from './cases.ts';
import { makeShapeCase, shapesNamed, SMALL_SHAPES } from './shapes.ts';
import { loadCorpus, SLICE_SEEDS } from './corpus.ts';
import { runFuzz } from './harness.ts';
import { FUZZ_BUDGET_MS, type Outcome } from './check.ts';

const USAGE = 'usage: npm run fuzz -- --count N [--seed S] [--jobs J] [--case I] [--budget MS (0: none)] [--slice] [--light] [--shapes | --shape ID[,ID…]] [--small] [--quiet] [--write FILE (with --case)]';

function parse(argv: string[]) {
  const opts = { count: 1000, seed: 1, jobs: Math.max(1, Math.min(4, availableParallelism() - 1)), start: 0, slice: false, quiet: false, budget: FUZZ_BUDGET_MS as number | null, light: false, shapes: false, shapeIds: null as string[] | null, shapeScale: 1, write: null as string | null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${a} needs a whole number`);
      return v;
    };
    if (a === '--count') opts.count = num();
    else if (a === '--seed') opts.seed = num();
    else if (a === '--jobs') opts.jobs = Math.max(1, num());
    else if (a === '--case') {
      opts.start = num();
      opts.count = 1;
    } else if (a === '--budget') {
      const ms = num();
      opts.budget = ms === 0 ? null : ms;
    } else if (a === '--slice') opts.slice = true;
    else if (a === '--light') opts.light = true;
    else if (a === '--shapes') opts.shapes = true;
    else if (a === '--shape') {
      const ids = argv[++i];
      if (!ids) throw new Error('--shape needs shape ids');
      opts.shapes = true;
      opts.shapeIds = ids.split(',');
      shapesNamed(opts.shapeIds);
    }
    else if (a === '--write') {
      const file = argv[++i];
      if (!file) throw new Error('--write needs a file name');
      opts.write = file;
    }
    else if (a === '--small') opts.shapeScale = SMALL_SHAPES;
    else if (a === '--quiet') opts.quiet = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

let reproduceFlags = '';
let shapeIds: string[] | null = null;
let shapeScale = 1;

function describe(o: Outcome, seed: number): string {
  // A case whose worker hung or died reports nothing of itself; a shape case is cheap to rebuild.
  if (o.from === '?' && reproduceFlags.includes('--shape')) {
    const c = makeShapeCase(seed, o.index, shapeIds, shapeScale);
    o = { ...o, from: c.from, mutations: c.mutations, size: c.bytes.length };
  }
  return `  seed ${seed} case ${o.index}${reproduceFlags} [${o.from}; ${o.mutations.join(' + ') || '—'}] (${o.size} bytes, ${Math.round(o.ms)} ms)${o.reason ? `: ${o.reason}` : ''}`;
}

async function main(): Promise<number> {
  let opts;
  try {
    opts = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`fuzz: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  reproduceFlags = `${opts.slice ? ' --slice' : ''}${opts.light ? ' --light' : ''}${opts.shapeIds ? ` --shape ${opts.shapeIds.join(',')}` : opts.shapes ? ' --shapes' : ''}${opts.shapes && opts.shapeScale < 1 ? ' --small' : ''}`;
  shapeScale = opts.shapeScale;
  shapeIds = opts.shapeIds;
  if (opts.write) {
    // The input of one case, to open in a hex editor or feed to the CLI.
    const c = makeCase(opts.shapes ? [] : loadCorpus(opts.slice ? SLICE_SEEDS : undefined), opts.seed, opts.start, { heavy: !opts.light, shapes: opts.shapes, shapeIds: opts.shapeIds, shapeScale: opts.shapeScale });
    writeFileSync(opts.write, c.bytes);
    // Module files go in a folder beside it, ready for --images.
    if (c.images) {
      mkdirSync(`${opts.write}.images`, { recursive: true });
      for (const i of c.images) writeFileSync(join(`${opts.write}.images`, i.name), i.bytes);
    }
    // A symbol case's damaged files go beside it, under their own names.
    for (const f of c.symbols ?? []) writeFileSync(`${opts.write}.${f.name}`, f.bytes);
    process.stdout.write(`case ${c.index} from ${c.from} (${c.mutations.join(' + ')}): ${c.bytes.length} bytes written to ${opts.write}${c.images ? ` and ${c.images.length} module files to ${opts.write}.images` : ''}\n`);
    return 0;
  }
  let done = 0;
  const summary = await runFuzz({
    count: opts.count,
    seed: opts.seed,
    start: opts.start,
    jobs: opts.jobs,
    budgetMs: opts.budget,
    heavy: !opts.light,
    shapes: opts.shapes,
    shapeIds: opts.shapeIds,
    shapeScale: opts.shapeScale,
    ...(opts.slice ? { seeds: SLICE_SEEDS } : {}),
    onReady(r) {
      process.stdout.write(`fuzz: ${r.detectors} detectors loaded\n`);
      for (const n of r.notes) process.stdout.write(`  not loaded: ${n}\n`);
    },
    onOutcome(o) {
      done++;
      if (opts.count === 1) {
        process.stdout.write(`case ${o.index} from ${o.from}: ${o.mutations.join(' + ')}\n  ${o.verdict} (${o.detail}) in ${o.ms.toFixed(1)} ms${o.reason ? `: ${o.reason}` : ''}\n`);
      } else if (o.verdict === 'failed') process.stdout.write(`FAIL${describe(o, opts.seed)}\n`);
      else if (!opts.quiet && done % 500 === 0) process.stdout.write(`… ${done}/${opts.count}\n`);
    },
  });
  const v = summary.verdicts;
  const kinds = Object.entries(summary.refusals)
    .sort()
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  process.stdout.write(
    [
      `fuzz: seed ${summary.seed}, ${summary.cases} cases in ${summary.seconds.toFixed(1)} s (${summary.casesPerSecond.toFixed(1)} cases/s, ${opts.jobs} worker${opts.jobs === 1 ? '' : 's'})`,
      `  ${v.report} reports (${summary.capTime} cut by the ${opts.budget ?? '∞'} ms budget), ${v.refused} refused (${kinds || 'none'}), ${v.failed} failed`,
      summary.slowest ? `  slowest:${describe(summary.slowest, summary.seed).replace(/^ {2}seed \d+/, '')}` : '',
    ]
      .filter(Boolean)
      .join('\n') + '\n',
  );
  if (summary.detectorErrors.length > 0) {
    const byDetector = new Map<string, { n: number; example: string }>();
    for (const o of summary.detectorErrors) {
      for (const e of o.detectorErrors) {
        const id = e.split(':')[0]!;
        const entry = byDetector.get(id) ?? { n: 0, example: `case ${o.index}: ${e}` };
        entry.n++;
        byDetector.set(id, entry);
      }
    }
    process.stdout.write(`detectors that threw (reports kept; not counted as failures):\n`);
    for (const [id, e] of byDetector) process.stdout.write(`  ${id}: ${e.n} case(s), e.g. ${e.example}\n`);
  }
  if (summary.failures.length > 0) {
    process.stdout.write(`${summary.failures.length} failure(s):\n${summary.failures.map((o) => describe(o, summary.seed)).join('\n')}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
