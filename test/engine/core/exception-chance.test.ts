import { describe, expect, it } from 'vitest';
import { chanceFromComment } from '../../../src/engine/core/exception-chance.ts';

describe('the chance a dump writer wrote in its comment', () => {
  it.each([
    ['\r\n*** procdump.exe -ma -e 1 app.exe\r\n*** First chance exception: C0000005.ACCESS_VIOLATION\r\n', 'first'],
    ['\r\n*** procdump.exe -ma -e app.exe\r\n*** Unhandled exception: C0000005.ACCESS_VIOLATION\r\n', 'second'],
    ["debugdump: first-chance exception 0xc0000005 at 0x000000007b629f4a on thread 228, before the process's own handlers ran", 'first'],
    ['debugdump: second-chance exception 0xc0000005 at 0x000000014000156e on thread 256', 'second'],
  ] as const)('%j says %s', (comment, chance) => {
    expect(chanceFromComment(comment)).toBe(chance);
  });

  it.each([
    [null],
    ['Ledger 2.4.1 (build 7731): crashed while saving C:\\data\\march.ldg; autosave on'],
    ['first chance and second chance both mentioned'],
  ])('%j says nothing either way', (comment) => {
    expect(chanceFromComment(comment)).toBeNull();
  });

  it('looks only at the start of a long comment', () => {
    expect(chanceFromComment(`${'x'.repeat(5000)} first chance`)).toBeNull();
  });
});
