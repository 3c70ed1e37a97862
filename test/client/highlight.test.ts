// The page colours stacks with shiki's raw JavaScript engine over our grammar compiled to
// RegExp objects directly; it must tokenize exactly as shiki's full Oniguruma-to-JS engine does.
import { readdirSync, readFileSync } from 'node:fs';
import { createHighlighterCoreSync, type LanguageRegistration } from 'shiki/core';
import { createJavaScriptRawEngine, createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import githubDark from 'shiki/themes/github-dark.mjs';
import githubLight from 'shiki/themes/github-light.mjs';
import { expect, it } from 'vitest';
import { precompile } from '../../src/client/highlight.ts';

const grammar = JSON.parse(readFileSync('src/render/windbg.tmLanguage.json', 'utf8')) as LanguageRegistration;
const options = { lang: 'windbg', themes: { light: 'github-light', dark: 'github-dark' }, defaultColor: false } as const;

const raw = createHighlighterCoreSync({ themes: [githubLight, githubDark], langs: [precompile(grammar) as LanguageRegistration], engine: createJavaScriptRawEngine() });
const full = createHighlighterCoreSync({ themes: [githubLight, githubDark], langs: [grammar], engine: createJavaScriptRegexEngine() });

it('compiles every match/begin/end pattern and nothing else', () => {
  const compiled = precompile(grammar) as { repository: Record<string, { match?: unknown; name?: unknown }> };
  expect(compiled.repository['address']!.match).toBeInstanceOf(RegExp);
  expect((compiled.repository['address']!.match as RegExp).flags).toBe('dgm');
  expect(compiled.repository['address']!.name).toBe('constant.numeric.address.windbg');
});

const logs = readdirSync('fixtures/windbg').filter((f) => f.endsWith('.txt')).map((f) => `fixtures/windbg/${f}`);

it('has debugger logs to compare on', () => expect(logs.length).toBeGreaterThanOrEqual(3));

for (const fixture of logs) {
  it(`tokenizes ${fixture} exactly as the full engine does`, () => {
    const text = readFileSync(fixture, 'utf8');
    const a = raw.codeToTokens(text, options).tokens;
    const b = full.codeToTokens(text, options).tokens;
    expect(a.length).toBeGreaterThan(5);
    expect(a).toEqual(b);
  });
}

it('colours a frame line by its parts', () => {
  const [line] = raw.codeToTokens('0012d98c 7da4a631 kernel32!RaiseException+0x53', options).tokens;
  const byText = Object.fromEntries(line!.map((t) => [t.content, t.htmlStyle?.['--shiki-light']]));
  expect(byText['0012d98c']).toBe('#005CC5');
  expect(byText['kernel32']).toBe('#6F42C1');
  expect(byText['RaiseException']).toBe('#6F42C1');
  expect(byText['+0x53']).toBe('#005CC5');
});
