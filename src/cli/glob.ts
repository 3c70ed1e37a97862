// Glob patterns for inputs a shell did not expand (quoted, or on Windows' cmd): "*" and "?" within
// one path segment, "[abc]" / "[a-z]" / "[!abc]" classes, and "**" for any number of folders.
// As in a shell, "*" and "?" do not match a leading dot. A segment is matched by the classic
// two-pointer wildcard walk, at most (name × pattern) steps: a regex built from "*a*a*a…b"
// would backtrack exponentially on a long file name.
import { sep } from 'node:path';

export function hasGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

type Token = { kind: 'star' } | { kind: 'one' } | { kind: 'char'; c: string } | { kind: 'class'; negate: boolean; ranges: [string, string][] };

function tokenize(segment: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') {
      if (out.at(-1)?.kind !== 'star') out.push({ kind: 'star' });
    } else if (c === '?') out.push({ kind: 'one' });
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        out.push({ kind: 'char', c });
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      const ranges: [string, string][] = [];
      for (let k = 0; k < body.length; k++) {
        if (body[k + 1] === '-' && k + 2 < body.length) {
          ranges.push([body[k]!, body[k + 2]!]);
          k += 2;
        } else ranges.push([body[k]!, body[k]!]);
      }
      out.push({ kind: 'class', negate, ranges });
      i = close;
    } else out.push({ kind: 'char', c });
  }
  return out;
}

function matchesOne(t: Token, c: string): boolean {
  if (t.kind === 'one') return true;
  if (t.kind === 'char') return t.c === c;
  if (t.kind === 'class') return t.ranges.some(([lo, hi]) => c >= lo && c <= hi) !== t.negate;
  return false;
}

/** Whether a file or folder name matches one segment of a pattern. */
export function matchSegment(segment: string, name: string): boolean {
  const p = tokenize(segment);
  // A leading wildcard does not match a hidden file's dot, as in a shell.
  if (name.startsWith('.') && p[0] !== undefined && p[0].kind !== 'char') return false;
  let pi = 0;
  let ni = 0;
  let starP = -1;
  let starN = 0;
  while (ni < name.length) {
    const t = p[pi];
    if (t && t.kind !== 'star' && matchesOne(t, name[ni]!)) {
      pi++;
      ni++;
    } else if (t?.kind === 'star') {
      starP = pi++;
      starN = ni;
    } else if (starP >= 0) {
      pi = starP + 1;
      ni = ++starN;
    } else return false;
  }
  while (p[pi]?.kind === 'star') pi++;
  return pi === p.length;
}

export interface GlobParts {
  /** The folder to start in: the leading segments without glob characters ("." when none). */
  base: string;
  /** The remaining segments, "**" kept as is. */
  segments: string[];
}

export function splitGlob(pattern: string): GlobParts {
  const normal = sep === '\\' ? pattern.replace(/\\/g, '/') : pattern;
  const parts = normal.split('/');
  const firstGlob = parts.findIndex((p) => hasGlob(p));
  let base = parts.slice(0, firstGlob).join('/');
  if (normal.startsWith('/') && base === '') base = '/';
  if (base === '') base = '.';
  return { base, segments: parts.slice(firstGlob).filter((p) => p !== '') };
}
