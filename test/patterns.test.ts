// The pattern tester: runs every test/patterns/<id>.cases.ts against the whole catalog.
// A fire case passes when the pattern's finding is there (with the expected confidence) and
// its evidence points at real frames/fields; a silent case when the pattern does not fire.
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/catalog/load-node.ts';
import { Report } from '../src/engine/report/schema.ts';
import { analyzeInput } from './lib/analyze-input.ts';
import { caseLabel, type PatternCases } from './lib/cases.ts';
import { evidenceProblems } from './lib/evidence.ts';

const caseModules = import.meta.glob<{ default: PatternCases }>('./patterns/*.cases.ts', { eager: true });
const catalog = loadCatalog();

for (const [path, mod] of Object.entries(caseModules)) {
  const id = path.replace(/^.*\/(.+)\.cases\.ts$/, '$1');
  const cases = mod.default;
  describe(`pattern ${id}`, () => {
    it('has a page, at least one must-fire and two must-stay-silent cases', () => {
      expect(catalog[id], `src/content/patterns/${id}.mdx`).toBeDefined();
      expect(cases.fire.length).toBeGreaterThanOrEqual(1);
      expect(cases.silent.length).toBeGreaterThanOrEqual(2);
    });
    for (const c of cases.fire) {
      it(`fires on ${caseLabel(c)}`, async () => {
        const report = await analyzeInput(c);
        Report.parse(report);
        const finding = report.findings.find((f) => f.pattern === id);
        expect(finding, `fired: ${report.findings.map((f) => f.pattern).join(', ') || 'nothing'}`).toBeDefined();
        if (c.confidence) expect(finding!.confidence).toBe(c.confidence);
        expect(evidenceProblems(finding!, report)).toEqual([]);
        // The cases assert messageId and data (the English is in test/detectors/messages.test.ts);
        // here, that the data filled every placeholder of the message the summary was made from.
        expect(finding!.summary).not.toBe('');
        expect(finding!.summary, 'a {{placeholder}} without data').not.toMatch(/\{\{\s*[A-Za-z0-9_]+\s*\}\}/);
        c.check?.(finding!, report);
      });
    }
    for (const c of cases.silent) {
      it(`stays silent on ${caseLabel(c)}`, async () => {
        const report = await analyzeInput(c);
        const finding = report.findings.find((f) => f.pattern === id);
        expect(finding, finding ? `fired: ${finding.summary}` : '').toBeUndefined();
      });
    }
  });
}
