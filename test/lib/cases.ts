// The pattern tester's vocabulary (like ESLint's RuleTester valid/invalid lists): each
// pattern's cases file lists inputs on which its detector must fire, and inputs on which it
// must stay silent. An input is a fixture path under fixtures/, inline debugger text, or bytes
// built by the test-dump builder.
import type { Confidence, Finding, Report } from '../../src/engine/report/schema.ts';

export type CaseInput =
  | { fixture: string; images?: string[] }
  | { text: string; name: string }
  | { bytes: () => Uint8Array | Promise<Uint8Array>; name: string; images?: string[] };

export type FireCase = CaseInput & {
  /** Defaults to any confidence. */
  confidence?: Confidence;
  /** Extra assertions on the finding (throw to fail). */
  check?: (finding: Finding, report: Report) => void;
  /** Why this case matters, shown in the test name. */
  why?: string;
};

export type SilentCase = CaseInput & { why?: string };

export interface PatternCases {
  fire: FireCase[];
  silent: SilentCase[];
}

export function defineCases(cases: PatternCases): PatternCases {
  return cases;
}

export function caseLabel(c: CaseInput & { why?: string }): string {
  const what = 'fixture' in c ? c.fixture : c.name;
  return c.why ? `${what} (${c.why})` : what;
}
