// The /proc text parsers of Breakpad's Linux streams: the forms the kernel and lsb-release
// print, and lines written to make a pattern backtrack (blank runs on both sides of a value),
// which must parse like any other line.
import { expect, it } from 'vitest';
import { parseKeyValues, parseLinuxMaps } from '../../../src/engine/minidump/linux-streams.ts';

it('reads KEY=value lines, unquoting values and skipping what is not one', () => {
  const kv = parseKeyValues('DISTRIB_ID=Ubuntu\n  NAME = "Ubuntu 22.04"  \nVERSION_ID=\'22.04\'\nnot a pair\n9BAD=x\n=value\nEMPTY=\n');
  expect(kv).toEqual({ DISTRIB_ID: 'Ubuntu', NAME: 'Ubuntu 22.04', VERSION_ID: '22.04', EMPTY: '' });
});

it('reads /proc/self/maps lines with and without a path; malformed lines are skipped', () => {
  const maps = parseLinuxMaps(
    [
      '00400000-0041a000 r-xp 00000000 08:01 1234   /usr/bin/crash with space',
      '7ffd1000-7ffd2000 rw-p 00000000 00:00 0      [stack]',
      '7f000000-7f001000 ---p 00000000 00:00 0',
      ' 00400000-0041a000 r-xp 00000000 08:01 1 /indented',
      '00400000-0041a000 rxp 00000000 08:01 1 /short-perms',
      '00400000 r-xp 00000000 08:01 1 /no-range',
      '00400000-0041a000 r-xp 00000000 08:01 12x /bad-inode',
      '',
    ].join('\n'),
  );
  expect(maps).toEqual([
    { start: 0x400000n, end: 0x41a000n, perms: 'r-xp', offset: 0n, dev: '08:01', inode: 1234, path: '/usr/bin/crash with space' },
    { start: 0x7ffd1000n, end: 0x7ffd2000n, perms: 'rw-p', offset: 0n, dev: '00:00', inode: 0, path: '[stack]' },
    { start: 0x7f000000n, end: 0x7f001000n, perms: '---p', offset: 0n, dev: '00:00', inode: 0, path: '' },
  ]);
});

it('parses lines of long blank runs as lines, not as work for a backtracking pattern', () => {
  const blanks = '\t'.repeat(200_000);
  expect(parseKeyValues(`A=${blanks}\tA${blanks}\n=`)).toEqual({ A: 'A' });
  const maps = parseLinuxMaps(`0-1${blanks}r-xp${blanks}0${blanks}00:00${blanks}1${blanks}/p${blanks}`);
  expect(maps).toEqual([{ start: 0n, end: 1n, perms: 'r-xp', offset: 0n, dev: '00:00', inode: 1, path: '/p' }]);
});
