// `npm run regex:check [-- --all]`: every regex the project runs (test/regex-linearity/
// extract-regexes.ts) through the linearity checker (recheck), printing each super-linear or
// undecided one with an attack string. The patterns found safe are written to
// test/regex-linearity/verdicts.json, which lets `npm test` skip re-proving a pattern that has
// not changed (it checks any other one itself). --all checks everything again, cached or not.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SUPER_LINEAR_ALLOWLIST } from '../test/regex-linearity/allowlist.ts';
import { checkRegex, RECHECK_VERSION, regexKey } from '../test/regex-linearity/check-regex.ts';
import { extractRegexes } from '../test/regex-linearity/extract-regexes.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = fileURLToPath(new URL('../test/regex-linearity/verdicts.json', import.meta.url));

interface Cache {
  checker: string;
  safe: string[];
}

const all = process.argv.includes('--all');
const checker = `recheck ${RECHECK_VERSION} (pure JavaScript)`;
let cache: Cache = { checker, safe: [] };
try {
  cache = JSON.parse(readFileSync(CACHE, 'utf8')) as Cache;
} catch {
  // no cache yet
}
const known = new Set(cache.checker === checker && !all ? cache.safe : []);
const allowed = new Set(SUPER_LINEAR_ALLOWLIST.map((a) => a.key));

const sites = extractRegexes(ROOT);
const byKey = new Map<string, string[]>();
for (const s of sites) {
  if (s.source === null) continue;
  const key = regexKey(s.source, s.flags);
  byKey.set(key, [...(byKey.get(key) ?? []), `${s.file}:${s.where}`]);
}

const safe: string[] = [];
let bad = 0;
const started = performance.now();
for (const [key, where] of byKey) {
  if (known.has(key)) {
    safe.push(key);
    continue;
  }
  const slash = key.lastIndexOf('/');
  const verdict = await checkRegex(key.slice(1, slash), key.slice(slash + 1));
  if (verdict.status === 'safe') {
    safe.push(key);
    continue;
  }
  bad++;
  const status = allowed.has(key) ? 'allowlisted' : 'NEW';
  process.stdout.write(`${status} ${verdict.status} (${verdict.summary}) ${key}\n  at ${where.join(', ')}\n${verdict.attack ? `  attack: ${verdict.attack}\n` : ''}`);
}
safe.sort();
writeFileSync(CACHE, `${JSON.stringify({ checker, safe }, null, 1)}\n`);
process.stdout.write(
  `${sites.length} regex sites, ${byKey.size} distinct patterns: ${safe.length} linear, ${bad} not (${((performance.now() - started) / 1000).toFixed(1)} s); ${CACHE} written\n`,
);
process.exit(0);
