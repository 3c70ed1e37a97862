// Dump text on its way to a terminal or the page: controls, format characters (the bidi
// overrides and isolates among them) and separators are shown as escapes, everything else
// (right-to-left letters, emoji, accents) as it is; JSON keeps its values.
import { expect, it } from 'vitest';
import { visibleJson, visibleText } from '../../src/render/untrusted-text.ts';

const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];

it('escapes the bidi controls, so "evil\\u202Eexe.txt" cannot read as eviltxt.exe', () => {
  expect(visibleText('evil\u202eexe.txt')).toBe('evil\\u202eexe.txt');
  for (const c of BIDI) expect(visibleText(`a${c}b`)).toBe(`a\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}b`);
});

it('escapes C0/C1 controls, DEL, separators, zero-width and tag characters and lone surrogates', () => {
  expect(visibleText('a\u001b[31mb\u007fc\u0085d')).toBe('a\\u001b[31mb\\u007fc\\u0085d');
  expect(visibleText('line\u2028sep\u2029\u200b\ufeff')).toBe('line\\u2028sep\\u2029\\u200b\\ufeff');
  expect(visibleText('tab\there\nnew\rret')).toBe('tab\\there\\nnew\\rret');
  expect(visibleText('tag\u{e0041}')).toBe('tag\\udb40\\udc41');
  expect(visibleText('lone\ud800x')).toBe('lone\\ud800x');
});

it('leaves letters of every script, emoji and ordinary punctuation alone', () => {
  const s = 'kernel32!Foo+0x1c — مرحبا שלום 😀 café “x” C:\\path\\a.dll';
  expect(visibleText(s)).toBe(s);
});

it('JSON for a terminal carries the same values, with the raw characters escaped', () => {
  const value = { name: 'evil\u202eexe\u0085\u2028\u{e0041}.txt', ok: 'مرحبا 😀', n: 1 };
  const text = visibleJson(value);
  expect(text).not.toMatch(/[\u202e\u0085\u2028]|\udb40/);
  expect(JSON.parse(text)).toEqual(value);
  expect(JSON.parse(visibleJson(value, 2))).toEqual(value);
});
