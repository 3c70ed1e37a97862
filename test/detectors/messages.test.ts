// The English of the findings, once per detector: the pattern cases assert a finding's messageId
// and data, not its sentence, so each detector's messages are rendered here with their
// placeholders named (`<subject>`) and kept in a snapshot. A change of wording shows up in that
// file, for review, instead of in dozens of cases.
import { describe, expect, it } from 'vitest';
import { loadDetectors } from '../../src/catalog/load-node.ts';
import { renderMessage } from '../../src/engine/report/detector.ts';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
const detectors = await loadDetectors();

describe('detector messages', () => {
  for (const detector of detectors) {
    it(detector.id, () => {
      const rendered = Object.entries(detector.messages as Record<string, string>).map(([id, template]) => {
        const names = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
        return `${id}: ${renderMessage(template, Object.fromEntries(names.map((n) => [n, `<${n}>`])))}`;
      });
      expect(rendered.length).toBeGreaterThan(0);
      expect(rendered).toMatchSnapshot();
    });
  }
});
