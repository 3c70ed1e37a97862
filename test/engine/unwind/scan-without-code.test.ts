// x64 stacks in a dump without any module code (Windows' MiniDumpNormal): the walker scans on
// module membership, within the ABI's bounds, and says so. The dump is fixtures/synth/x64-scan.dmp,
// written by the test-dump builder from test/synth/scan-stacks-fixture.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { big } from '../../../src/engine/core/hex.ts';
import type { DumpModel } from '../../../src/engine/core/dump-model.ts';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { readDump } from '../../../src/engine/read-dump.ts';
import type { UnwindLimits } from '../../../src/engine/unwind/types.ts';
import { SCAN_LAYOUT as L, x64ScanDump } from '../../synth/scan-stacks-fixture.ts';

const FIXTURE = new URL('../../../fixtures/synth/x64-scan.dmp', import.meta.url);

async function model(limits: Partial<UnwindLimits> = {}): Promise<DumpModel> {
  return readDump(new Uint8ArraySource(x64ScanDump().build().bytes, 'x64-scan.dmp'), { unwindLimits: limits });
}

const thread = (m: DumpModel, id: number) => m.threads.find((t) => t.id === id)!;

describe('x64-scan.dmp', () => {
  it('is the builder’s output (node scripts/make-scan-fixture.ts rewrites it)', () => {
    expect(Buffer.from(x64ScanDump().build().bytes).equals(readFileSync(FIXTURE))).toBe(true);
  });

  it('finds the four callers by scanning, each marked as a guess, and names the modules to add', async () => {
    const t = thread(await model(), L.thread);
    expect(t.frames.map((f) => big(f.address))).toEqual([L.crash, ...L.callers.map(([ip]) => ip)]);
    expect(t.frames.map((f) => big(f.sp!))).toEqual([L.rsp, ...L.callers.map(([, slot]) => slot + 8n)]);
    expect(t.frames.map((f) => f.trust)).toEqual(['context', 'scan', 'scan', 'scan', 'scan']);
    for (const f of t.frames.slice(1)) expect(f.note).toBe('return address not verified: module code not available');
    expect(t.frames.map((f) => `${f.module}+${f.offset}`)).toEqual(['app+0x10d9', 'app+0x1171', 'app+0x105d', 'kernel32+0x17034', 'ntdll+0x52651']);
    expect(t.framesNote).toBe(
      'no caller found: the stack walk cannot continue past this frame; 4 frames were guessed by scanning the stack, with no module code to check them; ' +
        'the dump holds no code for app.exe, kernel32.dll, ntdll.dll: add the module files beside the dump (--images, or drop them on the page) to unwind exactly',
    );
  });

  it('rejects the module addresses the bounds rule out: a home area, a misaligned slot, a header page, past the window', async () => {
    const t = thread(await model(), L.thread);
    const taken = new Set(t.frames.map((f) => big(f.address)));
    expect(L.rejected.map(([v, , why]) => [why, taken.has(v)])).toEqual(L.rejected.map(([, , why]) => [why, false]));
    // Each bound is what stops it: lift one and its value is taken.
    const wide = thread(await model({ looseScanWords: 42 }), L.thread);
    expect(wide.frames.map((f) => big(f.address))).toContain(L.rejected[3]![0]);
  });

  it('walks a loop of two return addresses only as far as the run cap, and warns', async () => {
    const m = await model();
    const t = thread(m, L.loopThread);
    expect(t.frames).toHaveLength(65);
    expect(t.frames.slice(1).map((f) => big(f.address))).toEqual(Array.from({ length: 64 }, (_, i) => L.loop[i % 2]));
    // Every frame moves up the stack by the smallest x64 frame, 0x30 bytes.
    const sps = t.frames.map((f) => big(f.sp!));
    for (let i = 2; i < sps.length; i++) expect(sps[i]! - sps[i - 1]!).toBe(0x30n);
    expect(t.framesNote).toMatch(/^stopped: too many frames in a row were found by scanning without code to check them; 64 frames were guessed/);
    expect(m.warnings).toContainEqual({ kind: 'cap-scan', message: 'a stack walk stopped after 64 frames in a row found by scanning without module code' });
    const short = thread(await model({ maxLooseRun: 5 }), L.loopThread);
    expect(short.frames).toHaveLength(6);
    // Without the run cap only the frame cap would end it.
    const uncapped = thread(await model({ maxLooseRun: 1000 }), L.loopThread);
    expect(uncapped.frames).toHaveLength(256);
    expect(uncapped.framesNote).toMatch(/^stopped at the frame limit/);
  });

  it('keeps frame 0 alone when the stack pointer is outside the captured memory', async () => {
    const t = thread(await model(), L.lostThread);
    expect(t.frames).toHaveLength(1);
    expect(t.framesNote).toBe(
      'no caller found: the stack walk cannot continue past this frame; the dump holds no code for ntdll.dll: add the module files beside the dump (--images, or drop them on the page) to unwind further',
    );
  });

  it('without the loose scan (as before, and as System V dumps still walk), stops at frame 0', async () => {
    const t = thread(await model({ scanWithoutCode: false }), L.thread);
    expect(t.frames).toHaveLength(1);
    expect(t.framesNote).toMatch(/^no caller found: .* the dump holds no code for app\.exe: add the module files/);
  });
});
