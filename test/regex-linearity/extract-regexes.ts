// Every regular expression the project's code can run, found by parsing, not by grepping: the
// regex literals and `RegExp(…)` / `new RegExp(…)` calls of src/ (TypeScript, and the script
// parts of .astro files), and the patterns of the TextMate grammar the page and the site colour
// debugger output with (src/render/*.tmLanguage.json). A RegExp built from something other
// than a literal is reported as dynamic: its patterns come from elsewhere and are checked there.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface RegexSite {
  /** Path from the repository root. */
  file: string;
  /** 1-based line, or the JSON path of a grammar pattern. */
  where: string;
  /** The pattern's source; null for a dynamic construction. */
  source: string | null;
  flags: string;
  kind: 'literal' | 'constructor' | 'grammar' | 'dynamic';
  /** For a dynamic construction, the code of its pattern argument. */
  argument?: string;
}

const SCRIPT = /\.(?:ts|mts|cts|js|mjs)$/;
const GRAMMAR_KEYS = new Set(['match', 'begin', 'end', 'while']);

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

/** Sites in one piece of TypeScript/JavaScript; `lineOffset` places a piece cut from a larger file. */
export function regexesInCode(code: string, file: string, lineOffset = 0): RegexSite[] {
  const out: RegexSite[] = [];
  const sf = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lineOf = (node: ts.Node): string => String(sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 + lineOffset);
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = (node as ts.RegularExpressionLiteral).text;
      const slash = text.lastIndexOf('/');
      out.push({ file, where: lineOf(node), source: text.slice(1, slash), flags: text.slice(slash + 1), kind: 'literal' });
    } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
      const [pattern, flags] = node.arguments ?? [];
      const literal = pattern && (ts.isStringLiteral(pattern) || ts.isNoSubstitutionTemplateLiteral(pattern)) ? pattern.text : null;
      const flagText = flags && (ts.isStringLiteral(flags) || ts.isNoSubstitutionTemplateLiteral(flags)) ? flags.text : '';
      if (literal !== null) out.push({ file, where: lineOf(node), source: literal, flags: flagText, kind: 'constructor' });
      else out.push({ file, where: lineOf(node), source: null, flags: flagText, kind: 'dynamic', argument: pattern ? pattern.getText(sf) : '' });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The frontmatter and <script> blocks of an .astro file, with the line each starts on. */
function astroScripts(text: string): { code: string; line: number }[] {
  const out: { code: string; line: number }[] = [];
  const lineAt = (offset: number): number => text.slice(0, offset).split('\n').length - 1;
  const fm = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (fm) out.push({ code: fm[1]!, line: 1 });
  const script = /<script\b[^>]*>([\s\S]*?)<\/script>/g;
  for (let m = script.exec(text); m; m = script.exec(text)) {
    if (/type="application\/json"/.test(m[0])) continue;
    out.push({ code: m[1]!, line: lineAt(m.index + m[0].indexOf('>') + 1) });
  }
  return out;
}

/** Every match/begin/end/while pattern of a TextMate grammar, with its JSON path. */
export function grammarRegexes(grammar: unknown, file: string): RegexSite[] {
  const out: RegexSite[] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${path}/${i}`));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        // The page compiles these with 'dgm' (src/client/highlight.ts): 'm' is the one that
        // changes what they match; 'd' and 'g' only how matches are reported and resumed.
        if (GRAMMAR_KEYS.has(k) && typeof v === 'string') out.push({ file, where: `${path}/${k}`, source: v, flags: 'm', kind: 'grammar' });
        else walk(v, `${path}/${k}`);
      }
    }
  };
  walk(grammar, '');
  return out;
}

/** Every site under `root`/src, in a stable order. */
export function extractRegexes(root: string): RegexSite[] {
  const out: RegexSite[] = [];
  for (const path of files(join(root, 'src'))) {
    const file = relative(root, path);
    if (SCRIPT.test(path) && !path.endsWith('.d.ts')) out.push(...regexesInCode(readFileSync(path, 'utf8'), file));
    else if (path.endsWith('.astro')) for (const s of astroScripts(readFileSync(path, 'utf8'))) out.push(...regexesInCode(s.code, file, s.line));
    else if (path.endsWith('.tmLanguage.json')) out.push(...grammarRegexes(JSON.parse(readFileSync(path, 'utf8')), file));
  }
  return out;
}
