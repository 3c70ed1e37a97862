// RTL_CRITICAL_SECTION checks (src/engine/model/minidump/critical-sections.ts) on hand-laid
// memory, both layouts and both LockCount encodings: a section is used only when it validates.
import { describe, expect, it } from 'vitest';
import { checkSection, decodeLockCount } from '../../../src/engine/model/minidump/critical-sections.ts';
import { debugRecord, memoryOf, section, type Fields } from './support/section-memory.ts';

const THREADS = new Set([0x10, 0x20]);

describe('decodeLockCount', () => {
  it('reads the pre-Vista (and Wine) encoding: -1 free, 0 owned, n waiters', () => {
    expect(decodeLockCount(-1)).toEqual({ locked: false, waiters: 0 });
    expect(decodeLockCount(0)).toEqual({ locked: true, waiters: 0 });
    expect(decodeLockCount(6)).toEqual({ locked: true, waiters: 6 });
  });
  it('reads the Vista+ encoding: bit 0 clear = locked, each waiter subtracts 4', () => {
    expect(decodeLockCount(-2)).toEqual({ locked: true, waiters: 0 });
    expect(decodeLockCount(-6)).toEqual({ locked: true, waiters: 1 });
    expect(decodeLockCount(-10)).toEqual({ locked: true, waiters: 2 });
    expect(decodeLockCount(-5)).toEqual({ locked: false, waiters: 1 });
  });
});

describe('checkSection', () => {
  for (const bits of [64, 32] as const) {
    const cs = bits === 64 ? 0x140007040n : 0x407040n;
    const dbg = bits === 64 ? 0x346120n : 0x146120n;
    const good = { debugInfo: dbg, lockCount: 1, recursion: 1, owner: 0x10n };
    it(`x${bits === 64 ? '64' : '86'}: accepts a locked section whose debug record points back and whose owner is a thread of the dump`, async () => {
      const m = memoryOf([[cs, section(bits, good)], [dbg, debugRecord(bits, cs)]]);
      const c = await checkSection(m, cs, bits, THREADS);
      expect(c).toEqual({ ok: true, section: { address: cs, bits, debugInfo: dbg, rawLockCount: 1, waiters: 1, recursionCount: 1, ownerThreadId: 0x10, contention: 7 } });
    });
    it(`x${bits === 64 ? '64' : '86'}: refuses what does not validate`, async () => {
      const cases: [Fields | null, Uint8Array | null, string][] = [
        [{ ...good, owner: 0x30n }, debugRecord(bits, cs), 'its owner is no thread of this dump'],
        [good, debugRecord(bits, cs + 8n), 'its DebugInfo does not point back at it'],
        [good, null, 'its DebugInfo is not in the dump'],
        [{ ...good, lockCount: -1, owner: 0n, recursion: 0 }, debugRecord(bits, cs), 'not locked'],
        [{ ...good, recursion: 0 }, debugRecord(bits, cs), 'RecursionCount does not fit a locked section'],
        [null, null, 'not in the dump'],
      ];
      for (const [f, d, reason] of cases) {
        const blocks: [bigint, Uint8Array][] = [];
        if (f) blocks.push([cs, section(bits, f)]);
        if (d) blocks.push([dbg, d]);
        expect(await checkSection(memoryOf(blocks), cs, bits, THREADS)).toEqual({ ok: false, reason });
      }
      expect(await checkSection(memoryOf([]), cs + 2n, bits, THREADS)).toEqual({ ok: false, reason: 'not pointer-aligned' });
    });
    it(`x${bits === 64 ? '64' : '86'}: a section with no debug record (NULL or -1) rests on its owner and counts`, async () => {
      for (const none of [0n, bits === 64 ? 0xffffffffffffffffn : 0xffffffffn]) {
        const m = memoryOf([[cs, section(bits, { ...good, debugInfo: none, lockCount: -6 })]]);
        const c = await checkSection(m, cs, bits, THREADS);
        expect(c).toMatchObject({ ok: true, section: { debugInfo: null, waiters: 1, contention: null } });
      }
    });
  }
});
