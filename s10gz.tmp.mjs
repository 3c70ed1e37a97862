import * as esbuild from 'esbuild';
import { gzipSync } from 'node:zlib';
const root = process.argv[2];
const r = await esbuild.build({ entryPoints: [root + '/src/client/engine-worker.ts'], bundle: true, minify: true, format: 'esm', splitting: true, outdir: '/tmp/s10gz-' + process.pid, write: false, metafile: true, loader: { '.json': 'json' }, plugins: [{ name: 'glob', setup(b) { b.onLoad({ filter: /detectors-bundle\.ts$/ }, async (a) => { const fs = await import('node:fs'); const dir = a.path.replace(/client\/detectors-bundle\.ts$/, 'detectors'); const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).sort(); return { contents: files.map((f, i) => `import d${i} from ${JSON.stringify(dir + '/' + f)};`).join('\n') + `\nexport const detectors = [${files.map((_, i) => 'd' + i).join(',')}];`, loader: 'ts' }; }); } }] });
const entry = r.outputFiles.find((f) => /engine-worker/.test(f.path));
// Entry plus its static imports (shared chunks).
const byName = new Map(r.outputFiles.map((f) => [f.path.split('/').pop(), f]));
const seen = new Set(); const stack = [entry];
let total = 0;
while (stack.length) { const f = stack.pop(); if (seen.has(f)) continue; seen.add(f); total += gzipSync(f.contents, { level: 9 }).length; for (const m of f.text.matchAll(/from"\.\/([\w.-]+\.js)"/g)) stack.push(byName.get(m[1])); }
console.log(total);
