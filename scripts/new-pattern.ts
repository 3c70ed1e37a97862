// `npm run new-pattern -- "Pattern Name"`: scaffolds a pattern's three files under one
// kebab-case id — the page (src/content/patterns/<id>.mdx), the detector
// (src/detectors/<id>.ts) and its cases (test/patterns/<id>.cases.ts) — and prints what to do
// next. The scaffold type-checks and passes the catalog's pairing check at once, but its
// detector never fires (it returns []) and its case lists are empty, so the pattern tester fails
// until real cases are written: that failure is the to-do list, on purpose.
//
//   node scripts/new-pattern.ts "Pattern Name" [--category "Threads and synchronization"]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PatternCategory, PatternId } from '../src/catalog/schema.ts';

/** A fixture every clone has, named as the page's example until the author picks a real one. */
export const PLACEHOLDER_EXAMPLE = 'windbg/x64-access-violation.txt';

export interface ScaffoldRequest {
  title: string;
  category?: string;
  /** The project folder; tests point it at a temporary copy. */
  root: string;
}

export type ScaffoldResult =
  | { ok: true; id: string; files: string[] }
  | { ok: false; kind: 'bad-name' | 'bad-category' | 'exists'; message: string };

/** "Deadlock (Critical Sections)" → "deadlock-critical-sections". */
export function patternId(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\+\+/g, 'pp')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function scaffoldPattern(request: ScaffoldRequest): ScaffoldResult {
  const title = request.title.trim().replace(/\s+/g, ' ');
  const id = patternId(title);
  if (!title || !PatternId.safeParse(id).success) {
    return { ok: false, kind: 'bad-name', message: `"${request.title}" gives no usable id: use letters and digits, e.g. "Stack Overflow"` };
  }
  if (/["\\\n]/.test(title)) return { ok: false, kind: 'bad-name', message: 'the name may not contain quotes or backslashes' };
  const category = request.category ?? 'Exceptions';
  if (!PatternCategory.safeParse(category).success) {
    return { ok: false, kind: 'bad-category', message: `unknown category "${category}": one of ${PatternCategory.options.map((c) => `"${c}"`).join(', ')}` };
  }
  const files = {
    page: join(request.root, 'src/content/patterns', `${id}.mdx`),
    detector: join(request.root, 'src/detectors', `${id}.ts`),
    cases: join(request.root, 'test/patterns', `${id}.cases.ts`),
  };
  const taken = Object.values(files).filter((f) => existsSync(f));
  if (taken.length > 0) {
    return { ok: false, kind: 'exists', message: `pattern "${id}" already exists (${taken.map((f) => relative(request.root, f)).join(', ')}); pick another name or edit those files` };
  }
  for (const [file, text] of [
    [files.page, pageText(id, title, category)],
    [files.detector, detectorText(id, title)],
    [files.cases, casesText(id, title)],
  ] as const) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text, { flag: 'wx' });
  }
  return { ok: true, id, files: Object.values(files).map((f) => relative(request.root, f)) };
}

function pageText(id: string, title: string, category: string): string {
  const summary = `TODO: one line on what ${title} is and how it shows in a dump.`;
  return `---
# The pattern's only metadata: the catalog, the analyzer's findings and the checks all read it
# from here. The schema is src/catalog/schema.ts; \`npm run build\` and \`npm test\` reject a
# field that does not fit it.
title: "${title}"
# Other names readers search for (WinDbg wording, exception names, older pattern names).
aliases: []
# One of: ${PatternCategory.options.join(' | ')}
category: ${category}
# TODO: one line, 10-200 characters, saying what the pattern is. Shown in the catalog and in findings.
summary: "${summary.length <= 200 ? summary : 'TODO: one line on what this pattern is and how it shows in a dump.'}"
# What the detector can judge: minidump, debugger-text (WinDbg/CDB output), or both.
inputs:
  - minidump
  - debugger-text
# Ids of related pattern pages (their file names without .mdx); each must exist.
related: []
# Fixtures under fixtures/ that show the pattern. The FIRST is the page's analysed example and
# its "Try it". TODO: replace this placeholder (it does not show ${title}) with a real one.
examples:
  - ${PLACEHOLDER_EXAMPLE}
---

{/* TODO: write the page. Keep these headings: readers and the page's table of contents use them.
    The example stack at the top of the page is drawn by the build from the first example. */}

## What it is

TODO: the pattern in two or three paragraphs: what happened in the process, and why it matters.

## How it shows

TODO: what a reader sees in WinDbg — the stack, the exception, \`!analyze -v\` lines. Quote
debugger output in \`\`\`windbg blocks so it is coloured like the debugger's.

## What the detector checks

TODO: the rules of \`src/detectors/${id}.ts\` in plain words, the confidence each gives, when it
stays silent, and what it cannot see (its limits).

## What to do next

TODO: the next debugger commands or fixes, in order.

## Cooperates with

TODO: how ${title} relates to the pages listed in \`related\`, linked as
[Blocked Threads](/patterns/blocked-threads). Add this page's id to their \`related\` lists when
the link runs both ways.
`;
}

function detectorText(id: string, title: string): string {
  return `// ${title}: TODO — one or two sentences on what this detector recognises and why that
// is the pattern. Say why a rule is there (a Windows quirk, an ABI rule), not what a line does.
//
// The contract (src/engine/report/detector.ts): \`detect\` is a pure function of the dump model
// (src/engine/core/dump-model.ts) — no I/O, no clock — and returns zero findings or one. A
// finding is { confidence: 'certain' | 'likely' | 'possible', messageId, data, evidence }: the
// summary is the detector's \`messages[messageId]\` with its {{placeholders}} filled from \`data\`
// (as ESLint rules do), and each piece of evidence points into the model so the page can
// highlight it:
//   { kind: 'frames', threadId, view: 'native' | 'x86', frames: [indices], note }
//   { kind: 'thread', threadId, note }
//   { kind: 'module', name, note }
//   { kind: 'exception', note }
//   { kind: 'field', path: 'dump.comment', note }
// Shared helpers (the faulting thread, module names, exception codes, wait functions) are in
// src/detectors/lib/.
import { defineDetector } from '../engine/report/detector.ts';

export default defineDetector({
  id: '${id}',
  messages: {
    // TODO: the sentences a finding says, e.g. found: '{{subject}} did this at {{place}}.'
  },
  detect(_model) {
    // TODO: look at _model (rename it to model) and return a finding when the pattern is there.
    // Until then the detector never fires, so it cannot mislead anybody.
    return [];
  },
});
`;
}

function casesText(id: string, title: string): string {
  return `// ${title}: the inputs on which the detector must fire and those on which it must stay
// silent, run by test/patterns.test.ts. The tester wants at least one \`fire\` and two \`silent\`
// cases: with the empty lists below, \`npm test\` fails on
//   pattern ${id} > has a page, at least one must-fire and two must-stay-silent cases
// That failure is intended: it is this file's to-do list.
//
// An input is one of:
//   { fixture: 'windbg/some-log.txt' }                        a file under fixtures/
//   { text: '0:000> k\\n…', name: 'pasted.txt' }               WinDbg/CDB output written inline
//   { bytes: () => new MinidumpBuilder()…build().bytes, name: 'x.dmp' }
//                                                             a dump from the builder in test/synth/
// A fire case may add \`confidence\`, a \`why\` (shown in the test name) and a
// \`check(finding, report)\` with more assertions.
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  // TODO: at least one input that shows ${title}.
  fire: [],
  // TODO: at least two inputs that look close to it but are not it.
  silent: [],
});
`;
}

function nextSteps(id: string, files: string[]): string {
  return `Created pattern "${id}":
${files.map((f) => `  ${f}`).join('\n')}

Next:
  1. Write the detector in src/detectors/${id}.ts (it returns [] until you do).
  2. Write its cases in test/patterns/${id}.cases.ts: at least 1 fire and 2 silent. Until then
     \`npm run test:unit\` fails on "pattern ${id} > has a page, at least one must-fire and two
     must-stay-silent cases" — that is your to-do list.
  3. Fill in the page's frontmatter and body in src/content/patterns/${id}.mdx, and replace the
     placeholder example with a fixture that shows the pattern.
  4. Run \`npx vitest run test/patterns.test.ts -t ${id}\`, then \`npm test\`, and look at the page
     with \`npm run dev\` (http://localhost:4321/patterns/${id}/).
See CONTRIBUTING.md for the details.`;
}

function main(argv: string[]): number {
  const args = [...argv];
  let category: string | undefined;
  const at = args.indexOf('--category');
  if (at >= 0) {
    category = args[at + 1];
    args.splice(at, 2);
  }
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    process.stderr.write('usage: npm run new-pattern -- "Pattern Name" [--category "Memory"]\n');
    return 2;
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const result = scaffoldPattern({ title: args[0]!, category, root });
  if (!result.ok) {
    process.stderr.write(`new-pattern: ${result.message}\n`);
    return 1;
  }
  process.stdout.write(`${nextSteps(result.id, result.files)}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
