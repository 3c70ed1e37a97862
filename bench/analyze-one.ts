// One measured analysis in a fresh process, so its peak memory is its own:
//   node bench/analyze-one.ts FILE [--images DIR]   analyse FILE, print one JSON line
//   node bench/analyze-one.ts --idle                 load the same code, analyse nothing
// The JSON line: wall time of analyze() alone, the process's peak RSS (resourceUsage().maxRSS,
// KiB), the peak V8 heap seen by sampling while analyze() runs, and what was found.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCatalog, loadDetectors } from '../src/catalog/load-node.ts';
import { analyze } from '../src/engine/analyze.ts';
import { NodeFileSource } from '../src/engine/io/node-file-source.ts';

const args = process.argv.slice(2);
const detectors = await loadDetectors();
const catalog = loadCatalog();

if (args[0] === '--idle') {
  process.stdout.write(`${JSON.stringify({ idle: true, maxRssKiB: process.resourceUsage().maxRSS, heapBytes: process.memoryUsage().heapUsed })}\n`);
} else {
  const file = args[0];
  if (!file) throw new Error('usage: node bench/analyze-one.ts FILE [--images DIR] | --idle');
  const imagesAt = args.indexOf('--images');
  const dir = imagesAt >= 0 ? args[imagesAt + 1] : undefined;
  const images = dir ? await Promise.all((await readdir(dir)).filter((n) => /\.(exe|dll)$/i.test(n)).map((n) => NodeFileSource.open(join(dir, n)))) : [];
  const source = await NodeFileSource.open(file);
  let heapPeak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 2);
  const started = performance.now();
  let result: Record<string, unknown>;
  try {
    const report = await analyze(source, { detectors, catalog, images });
    const wallMs = performance.now() - started;
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    result = {
      file,
      ok: true,
      wallMs,
      threads: report.threads.length,
      frames: report.threads.reduce((n, t) => n + t.frames.length + (t.x86Frames?.length ?? 0), 0),
      findings: report.findings.length,
    };
  } catch (err) {
    result = { file, ok: false, wallMs: performance.now() - started, error: err instanceof Error ? err.message : String(err) };
  }
  clearInterval(sampler);
  await source.close();
  await Promise.all(images.map((i) => i.close()));
  process.stdout.write(`${JSON.stringify({ ...result, maxRssKiB: process.resourceUsage().maxRSS, heapPeakBytes: heapPeak })}\n`);
}
