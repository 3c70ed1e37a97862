// Dropped files are told apart by their first bytes, never by their names.
import { expect, it } from 'vitest';
import { fileKind, sortFiles } from '../../src/client/input-files.ts';

const file = (name: string, bytes: number[] | string): File =>
  new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name);

const MDMP = [0x4d, 0x44, 0x4d, 0x50, 0x93, 0xa7];
const MZ = [0x4d, 0x5a, 0x90, 0x00];

it('knows a minidump, a program image and anything else by content', async () => {
  expect(await fileKind(file('a.txt', MDMP))).toBe('minidump');
  expect(await fileKind(file('a.dmp', MZ))).toBe('image');
  expect(await fileKind(file('a.exe', '0:000> k'))).toBe('other');
  expect(await fileKind(file('empty.dmp', []))).toBe('other');
  expect(await fileKind(file('short', [0x4d]))).toBe('other');
});

it('takes the first dump as the input and the images beside it, whatever the order and names', async () => {
  const img1 = file('app.dmp', MZ);
  const dump = file('crash.exe', MDMP);
  const img2 = file('x.dll', MZ);
  const log = file('notes.txt', 'Loading Dump File');
  const sorted = await sortFiles([img1, log, dump, img2]);
  expect(sorted.primary).toBe(dump);
  expect(sorted.images).toEqual([img1, img2]);
  expect(sorted.ignored).toEqual([log]);
});

it('falls back to the first other file, and to nothing when only images were given', async () => {
  const log = file('log.txt', '0:000> k');
  expect((await sortFiles([file('a.exe', MZ), log])).primary).toBe(log);
  const onlyImages = await sortFiles([file('a.exe', MZ), file('b.dll', MZ)]);
  expect(onlyImages.primary).toBeNull();
  expect(onlyImages.images).toHaveLength(2);
});

it('keeps a file named .pdb or .sym with the symbols even when its content is neither, so the engine can say why', async () => {
  const dump = file('crash.dmp', MDMP);
  const map = file('app.exe.sym', '0x0000000140001530 fprintf\n');
  const cut = file('app.pdb', [0x4d, 0x69, 0x63]);
  const sorted = await sortFiles([dump, map, cut]);
  expect(sorted.primary).toBe(dump);
  expect(sorted.symbols).toEqual([map, cut]);
  expect(sorted.ignored).toEqual([]);
  // With no dump, such a file is not analysed as a debugger log either.
  expect((await sortFiles([map])).primary).toBeNull();
});
