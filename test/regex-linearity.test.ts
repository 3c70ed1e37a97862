// Every regex the project runs must take time linear in its input: no super-linear
// backtracking (ReDoS), no quadratic scan of a pattern retried at every start position. A
// dump's text is an attacker's text, and issue 15 found quadratic and cubic patterns that a
// 6 KB file turns into minutes. The checker is recheck (test/regex-linearity/check-regex.ts);
// the regexes are found by parsing src/ (extract-regexes.ts), grammar patterns included.
//
// Known offenders are allowlisted with their finding (allowlist.ts); any other regex that is
// not proven linear fails here, with recheck's attack string. Patterns proven linear before
// are remembered in verdicts.json (`npm run regex:check` refreshes it), so a run re-checks only
// what changed; a new or edited pattern is checked on the spot.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DYNAMIC_REGEXES, SUPER_LINEAR_ALLOWLIST } from './regex-linearity/allowlist.ts';
import { checkRegex, RECHECK_VERSION, regexKey } from './regex-linearity/check-regex.ts';
import { extractRegexes, grammarRegexes, regexesInCode, type RegexSite } from './regex-linearity/extract-regexes.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const sites = extractRegexes(ROOT);
const cache = JSON.parse(readFileSync(new URL('./regex-linearity/verdicts.json', import.meta.url), 'utf8')) as { checker: string; safe: string[] };
const cached = new Set(cache.checker.startsWith(`recheck ${RECHECK_VERSION} `) ? cache.safe : []);
const allowed = new Map(SUPER_LINEAR_ALLOWLIST.map((a) => [a.key, a]));

/** Sites whose pattern is not proven linear, each as one line for the failure message. */
async function notLinear(list: RegexSite[], useCache: boolean): Promise<string[]> {
  const out: string[] = [];
  const seen = new Map<string, string | null>();
  for (const s of list) {
    if (s.source === null) continue;
    const key = regexKey(s.source, s.flags);
    if (useCache && (allowed.has(key) || cached.has(key))) continue;
    if (!seen.has(key)) {
      const v = await checkRegex(s.source, s.flags);
      seen.set(key, v.status === 'safe' ? null : `${v.status} (${v.summary})${v.attack ? `, attack ${v.attack}` : ''}`);
    }
    const problem = seen.get(key);
    if (problem) out.push(`${s.file}:${s.where} ${key}: ${problem}`);
  }
  return out;
}

describe('regex linearity', () => {
  it('finds the regexes of src/: literals, RegExp constructors, .astro scripts and the grammar', () => {
    expect(sites.length).toBeGreaterThan(200);
    const kinds = new Set(sites.map((s) => s.kind));
    for (const k of ['literal', 'grammar', 'dynamic'] as const) expect(kinds.has(k), k).toBe(true);
    expect(sites.some((s) => s.file.endsWith('.astro'))).toBe(true);
    expect(sites.filter((s) => s.kind === 'grammar').length).toBeGreaterThanOrEqual(7);
  });

  it('every regex in src/ is proven linear, or allowlisted with its finding of issue 15', async () => {
    expect(await notLinear(sites, true)).toEqual([]);
  }, 300_000);

  it('the allowlist names only patterns still in src/, each with a finding (the list only shrinks)', () => {
    const present = new Set(sites.filter((s) => s.source !== null).map((s) => regexKey(s.source!, s.flags)));
    const stale = SUPER_LINEAR_ALLOWLIST.filter((a) => !present.has(a.key)).map((a) => `${a.key} (was at ${a.where}): fixed or moved? remove it from allowlist.ts`);
    expect(stale).toEqual([]);
    for (const a of SUPER_LINEAR_ALLOWLIST) expect(a.finding, a.key).toMatch(/^F\d/);
    // A pattern cannot be both proven linear and allowlisted as not.
    expect(SUPER_LINEAR_ALLOWLIST.filter((a) => cached.has(a.key)).map((a) => a.key)).toEqual([]);
  });

  it('every RegExp built from a non-literal is listed with where its patterns are checked', () => {
    const dynamic = sites.filter((s) => s.kind === 'dynamic').map((s) => `${basename(s.file)}: ${s.argument}`);
    expect(dynamic.sort()).toEqual(DYNAMIC_REGEXES.map((d) => `${d.file}: ${d.argument}`).sort());
  });
});

describe('the check fails on a planted super-linear pattern', () => {
  const dir = mkdtempSync(join(tmpdir(), 'regex-linearity-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('in source code: literals and RegExp constructors, exponential and quadratic; a linear one passes', async () => {
    const file = join(dir, 'planted.ts');
    writeFileSync(
      file,
      [
        'export const bad1 = /(a|a)*b/;',
        'export const bad2 = new RegExp("\\\\s*\\\\w+\\\\s*=");',
        'export const bad3 = /^Comment:\\s*(.+)$/;',
        'export const good = /^[0-9a-f]{8}$/i;',
      ].join('\n'),
    );
    const planted = regexesInCode(readFileSync(file, 'utf8'), 'planted.ts');
    expect(planted.map((s) => s.source)).toEqual(['(a|a)*b', '\\s*\\w+\\s*=', '^Comment:\\s*(.+)$', '^[0-9a-f]{8}$']);
    const problems = await notLinear(planted, false);
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['planted.ts:1', 'planted.ts:2', 'planted.ts:3']);
    expect(problems[0]).toContain('exponential');
    expect(problems[1]).toContain('polynomial');
  }, 60_000);

  it('in a grammar: a quadratic match pattern fails', async () => {
    const planted = grammarRegexes({ repository: { x: { match: '\\b([A-Za-z_][\\w.]*)(!)' } } }, 'planted.tmLanguage.json');
    expect(await notLinear(planted, false)).toEqual([expect.stringContaining('planted.tmLanguage.json:/repository/x/match')]);
  }, 60_000);
});
