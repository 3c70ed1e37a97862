// Every real dump of the corpus through analyze(), compared with what LLDB 16 and Breakpad's
// minidump_stackwalk print for it (fixtures/corpus/reference/): threads, modules, the
// exception, the faulting thread's frames. Where we differ, the difference and its reason are
// written down (expectations.ts, fixtures/corpus/AGREEMENT.md); a new difference fails.
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DumpError } from '../../src/engine/core/errors.ts';
import { big } from '../../src/engine/core/hex.ts';
import { openMinidump } from '../../src/engine/minidump/minidump.ts';
import { Report } from '../../src/engine/report/schema.ts';
import type { Report as ReportType } from '../../src/engine/report/schema.ts';
import { analyzeInput, fixtureBytes } from '../lib/analyze-input.ts';
import { blocksTitled, num, parseDumpOut, str } from '../engine/minidump/support/dump-out.ts';
import { readFileSync } from 'node:fs';
import { Uint8ArraySource } from '../../src/engine/io/uint8array-source.ts';
import { FRAME_AGREEMENT, type FrameAgreement } from './expectations.ts';
import {
  agreeingPrefix,
  breakpadCrashThread,
  lldbCrashThread,
  parseBreakpad,
  parseLldb,
  referenceText,
  type BreakpadReference,
  type LldbReference,
} from './support/references.ts';

const CORPUS_DIRS = ['breakpad', 'lldb', 'rust-minidump', 'wine'] as const;
const DUMPS = CORPUS_DIRS.flatMap((dir) =>
  readdirSync(new URL(`../../fixtures/corpus/${dir}/`, import.meta.url))
    .filter((n) => n.endsWith('.dmp'))
    .sort()
    .map((n) => `${dir}/${n}`),
);

/** Deliberately malformed dumps: neither peer prints anything for them. */
const INVALID: Record<string, string> = {
  'rust-minidump/invalid-range.dmp': 'a stream whose range runs past the end of the file',
  'rust-minidump/invalid-record-count.dmp': 'a list whose record count does not fit its stream',
};

/** Dumps for which frame 0 of some thread differs from LLDB's, and why. */
const FRAME0_DIFFERS: Record<string, string> = {
  'rust-minidump/pipeline-inlines-macos-segv.dmp': 'LLDB 16 reads no registers from this macOS Crashpad dump: every frame 0 is 0x0',
};

interface Loaded {
  report: ReportType | null;
  error: unknown;
  lldb: LldbReference;
  breakpad: BreakpadReference;
  /** BreakpadInfo's dump thread: Breakpad leaves the thread that wrote the dump out of its list. */
  dumpThreadId: number | null;
}

const loaded = new Map<string, Loaded>();

async function load(rel: string): Promise<Loaded> {
  const hit = loaded.get(rel);
  if (hit) return hit;
  const name = rel.split('/').pop()!;
  let report: ReportType | null = null;
  let error: unknown = null;
  try {
    report = await analyzeInput({ fixture: `corpus/${rel}` });
  } catch (err) {
    error = err;
  }
  let dumpThreadId: number | null = null;
  try {
    const md = await openMinidump(new Uint8ArraySource(fixtureBytes(`corpus/${rel}`), name));
    dumpThreadId = (await md.breakpadInfo())?.dumpThreadId ?? null;
  } catch {
    // An unreadable dump has no Breakpad info either.
  }
  const out: Loaded = {
    report,
    error,
    lldb: parseLldb(referenceText('lldb', `${name}.txt`) ?? ''),
    breakpad: parseBreakpad(referenceText('breakpad', `${name}.txt`) ?? ''),
    dumpThreadId,
  };
  loaded.set(rel, out);
  return out;
}

function faultingThread(report: ReportType) {
  return report.threads.find((t) => t.faulting) ?? report.threads[0] ?? null;
}

function frameAgreement(report: ReportType, lldb: LldbReference, breakpad: BreakpadReference): Omit<FrameAgreement, 'why'> {
  const ours = (faultingThread(report)?.frames ?? []).map((f) => big(f.address));
  const l = lldbCrashThread(lldb)?.frames ?? [];
  const b = (breakpadCrashThread(breakpad)?.frames ?? []).map((f) => f.pc);
  const within = (theirs: bigint[]): boolean => {
    let j = 0;
    for (const x of theirs) if (j < ours.length && ours[j] === x) j++;
    return j === ours.length;
  };
  return {
    frames: ours.length,
    lldb: [agreeingPrefix(ours, l), l.length],
    breakpad: [agreeingPrefix(ours, b), b.length],
    inBreakpad: within(b),
    inLldb: within(l),
  };
}

it('the corpus has the dumps the references describe', () => {
  expect(DUMPS.length).toBeGreaterThanOrEqual(59);
  expect(Object.keys(FRAME_AGREEMENT).sort()).toEqual([...DUMPS].sort());
  for (const rel of DUMPS) expect([rel, referenceText('lldb', `${rel.split('/').pop()}.txt`) !== null]).toEqual([rel, true]);
});

describe.each(DUMPS)('%s', (rel) => {
  let d: Loaded;
  beforeAll(async () => {
    d = await load(rel);
  });

  if (rel in INVALID) {
    it(`is refused or degraded with a clear message (${INVALID[rel]})`, () => {
      expect(d.lldb.loaded).toBe(false);
      expect(d.breakpad.loaded).toBe(false);
      if (d.error) {
        expect(d.error).toBeInstanceOf(DumpError);
        expect((d.error as DumpError).message).not.toContain('\n');
        return;
      }
      const r = d.report!;
      expect(r.warnings.length).toBeGreaterThan(0);
      expect(r.missing).toContain('thread list');
      for (const w of r.warnings) {
        expect(w.kind).toMatch(/^[a-z0-9-]+$/);
        expect(w.message).not.toContain('\n');
      }
    });
    return;
  }

  it('is analysed without an error, and the report keeps its schema', () => {
    expect(d.error).toBeNull();
    expect(() => Report.parse(d.report)).not.toThrow();
    expect(d.report!.analysis.detectorErrors).toEqual([]);
  });

  it('has the threads LLDB lists, and Breakpad lists all but the dump-writing thread', () => {
    const r = d.report!;
    expect(d.lldb.loaded).toBe(true);
    expect(r.threads.length).toBe(d.lldb.threads.length);
    if (!d.breakpad.loaded) return; // Breakpad prints nothing for a dump without threads
    const hidden = d.dumpThreadId !== null && r.threads.some((t) => t.id === d.dumpThreadId) ? 1 : 0;
    expect(d.breakpad.threads.length).toBe(r.threads.length - hidden);
  });

  it('has the modules Breakpad lists (name, base, size) and LLDB lists (path, base)', () => {
    const r = d.report!;
    const byBase = [...r.modules].sort((a, b) => (big(a.base) < big(b.base) ? -1 : 1));
    if (d.breakpad.loaded) {
      expect(byBase.map((m) => [m.name, big(m.base), big(m.size)])).toEqual(d.breakpad.modules.map((m) => [m.name, m.base, m.size]));
      // Breakpad's main module is the first one listed, and so is our process name.
      const main = d.breakpad.modules.find((m) => m.main);
      if (main) expect(r.process.name).toBe(main.name);
    }
    // LLDB shows a file mapped twice (an ELF's code and data segments) once, at its lowest base.
    const lowest = new Map<string, bigint>();
    for (const m of r.modules) {
      const key = m.path ?? m.name;
      const base = big(m.base);
      if (!lowest.has(key) || base < lowest.get(key)!) lowest.set(key, base);
    }
    const ours = [...lowest].map(([path, base]) => `${path}@${base.toString(16)}`).sort();
    expect(ours).toEqual(d.lldb.modules.map((m) => `${m.path}@${m.base.toString(16)}`).sort());
  });

  it('names the faulting thread LLDB selects and Breakpad marks crashed', () => {
    const r = d.report!;
    if (r.exception === null) {
      expect(r.threads.some((t) => t.faulting)).toBe(false);
      expect(d.breakpad.threads.some((t) => t.crashed)).toBe(false);
      return;
    }
    const ours = r.threads.find((t) => t.faulting);
    expect(ours).toBeDefined();
    const selected = d.lldb.threads.find((t) => t.selected);
    expect(ours!.ordinal).toBe(selected!.number - 1);
    const crashed = d.breakpad.threads.find((t) => t.crashed);
    if (crashed && !(rel in FRAME0_DIFFERS)) expect(big(ours!.frames[0]!.address)).toBe(crashed.frames[0]!.pc);
  });

  it('reads the exception as Breakpad does', () => {
    const r = d.report!;
    const reason = d.breakpad.crashReason;
    if (!d.breakpad.loaded) return;
    if (reason === null || reason === 'No crash') {
      expect(r.exception).toBeNull();
      return;
    }
    const ex = r.exception!;
    expect(ex).not.toBeNull();
    if (r.system.platform === 'windows') {
      const av = /^EXCEPTION_ACCESS_VIOLATION_(READ|WRITE|EXEC)$/.exec(reason);
      if (av) {
        expect(ex.code).toBe('0xc0000005');
        expect(ex.access?.kind).toBe({ READ: 'read', WRITE: 'write', EXEC: 'execute' }[av[1]!]);
        expect(big(ex.access!.address)).toBe(d.breakpad.crashAddress);
      } else {
        if (/^0x[0-9a-f]{8} /.test(reason)) expect(ex.code).toBe(reason.slice(0, 10));
        expect(big(ex.address!)).toBe(d.breakpad.crashAddress);
      }
      return;
    }
    // POSIX: the signal (Linux) or Mach exception (macOS) names Breakpad's reason; the crash
    // address is si_addr / the Mach code, which we keep as the access address where it is one.
    if (reason === 'Uncaught NSException') expect(ex.name).toBe('NSException');
    else if (ex.name === null) expect(reason).toMatch(/^0x/);
    else expect(reason.startsWith(ex.name)).toBe(true);
    if (ex.access) expect(big(ex.access.address)).toBe(d.breakpad.crashAddress);
    const crashed = breakpadCrashThread(d.breakpad);
    expect(big(ex.address!)).toBe(crashed?.frames[0]?.pc);
  });

  it('walks the faulting thread to the frames recorded in expectations.ts', () => {
    const got = frameAgreement(d.report!, d.lldb, d.breakpad);
    const want = FRAME_AGREEMENT[rel]!;
    const { why, ...numbers } = want;
    expect(got).toEqual(numbers);
    const full = got.lldb[0] === got.frames && got.lldb[1] === got.frames && got.breakpad[0] === got.frames && got.breakpad[1] === got.frames;
    // A difference with no reason written down is not accepted.
    if (!full) expect(why?.length ?? 0, `${rel} differs from a peer: say why in expectations.ts`).toBeGreaterThan(40);
    else expect(why).toBeUndefined();
  });

  it('starts every thread at the PC LLDB shows', () => {
    if (rel in FRAME0_DIFFERS) return;
    const ours = d.report!.threads.map((t) => (t.frames[0] ? big(t.frames[0].address) : null));
    expect(ours).toEqual(d.lldb.threads.map((t) => t.frames[0] ?? null));
  });
});

describe('facts the sources assert', () => {
  it('lldb/fizzbuzz_no_heap.dmp: the six PCs of LLDB\'s test, by the EBP chain', async () => {
    const { report } = await load('lldb/fizzbuzz_no_heap.dmp');
    const t = report!.threads[0]!;
    expect(t.frames.map((f) => f.address)).toEqual(['0x164d14', '0x167c79', '0x167e6d', '0x7510336a', '0x77759882', '0x77759855']);
    expect(t.frames.map((f) => f.trust)).toEqual(['context', 'frame-pointer', 'frame-pointer', 'frame-pointer', 'frame-pointer', 'frame-pointer']);
    // ChildEBP column: Breakpad's ebp of each frame (reference/breakpad/fizzbuzz_no_heap.dmp.txt).
    expect(t.frames.map((f) => f.sp)).toEqual(['0x31f7cc', '0x31f81c', '0x31f824', '0x31f830', '0x31f870', '0x31f888']);
    expect(report!.process).toMatchObject({ pid: 4440, name: 'fizzbuzz.exe', bitness: 32, wow64: false, uptimeSeconds: 23 });
    expect(report!.modules.map((m) => m.name)).toEqual(['fizzbuzz.exe', 'ntdll.dll', 'kernel32.dll', 'KERNELBASE.dll', 'MSVCP120D.dll', 'MSVCR120D.dll']);
    expect(report!.modules.some((m) => m.x86)).toBe(false); // a 32-bit dump: not WOW64 from the dump's view
  });

  it('wine/nullptr.dmp with nullptr.exe walks LLDB\'s five frames by unwind info', async () => {
    const report = await analyzeInput({ fixture: 'corpus/wine/nullptr.dmp', images: ['corpus/wine/nullptr.exe'] });
    const lldb = parseLldb(referenceText('lldb', 'nullptr.dmp.with-exe.txt')!);
    const t = report.threads.find((x) => x.faulting)!;
    const five = t.frames.slice(0, 5);
    expect(five.map((f) => big(f.address))).toEqual(lldb.threads[0]!.frames);
    expect(five.map((f) => f.trust)).toEqual(['context', 'unwind-info', 'unwind-info', 'unwind-info', 'unwind-info']);
    expect(report.warnings.filter((w) => w.kind === 'image-mismatch')).toEqual([]);
  });

  it('breakpad/minidump2.dmp: the model agrees with minidump2.dump.out and minidump2.stackwalk.out', async () => {
    const { report } = await load('breakpad/minidump2.dmp');
    const r = report!;
    const text = (f: string): string => readFileSync(new URL(`../../fixtures/corpus/breakpad/${f}`, import.meta.url), 'utf8');
    const out = parseDumpOut(text('minidump2.dump.out'));
    const walk = parseBreakpad(text('minidump2.stackwalk.out'));
    // Threads: both of the dump's (dump.out); stackwalk shows only the crashed one, leaving out
    // the thread that wrote the dump (MDRawBreakpadInfo dump_thread_id 0x11c0).
    const threads = blocksTitled(out, 'MDRawThread');
    expect(r.threads.map((t) => t.id)).toEqual(threads.map((t) => Number(num(t, 'thread_id'))));
    expect(r.threads.map((t) => t.teb)).toEqual(threads.map((t) => `0x${num(t, 'teb').toString(16)}`));
    expect(walk.threads).toHaveLength(1);
    // Modules: dump.out's order, names, bases, sizes and PDB ids; stackwalk's versions.
    const modules = blocksTitled(out, 'MDRawModule');
    expect(r.modules.map((m) => [m.path, big(m.base), big(m.size), m.pdb?.name ?? null])).toEqual(
      modules.map((m) => [str(m, '(code_file)'), num(m, 'base_of_image'), num(m, 'size_of_image'), str(m, '(cv_record).pdb_file_name')]),
    );
    const versions = new Map(walk.modules.map((m) => [m.name, m.version]));
    for (const m of r.modules) expect([m.name, m.version]).toEqual([m.name, versions.get(m.name) ?? null]);
    // Exception: thread, code, address, parameters; the write to 0x45 Breakpad reports.
    const [ex] = blocksTitled(out, 'MDException');
    expect(r.exception).toMatchObject({
      code: '0xc0000005',
      threadId: Number(num(ex!, 'thread_id')),
      address: `0x${num(ex!, 'exception_record.exception_address').toString(16)}`,
      parameters: ['0x1', '0x45'],
      access: { kind: 'write', address: '0x45' },
    });
    expect(walk.crashReason).toBe('EXCEPTION_ACCESS_VIOLATION_WRITE');
    expect(walk.crashAddress).toBe(0x45n);
    // System and process.
    const [sys] = blocksTitled(out, 'MDRawSystemInfo');
    expect(r.system).toMatchObject({ platform: 'windows', arch: 'x86', version: '5.1.2600', build: 2600, servicePack: str(sys!, '(csd_version)'), cpuCount: 1, cpu: 'GenuineIntel', product: 'WinNt, suite: SingleUserTS' });
    const [misc] = blocksTitled(out, 'MDRawMiscInfo');
    expect(r.process.pid).toBe(Number(num(misc!, 'process_id')));
    expect(r.process.uptimeSeconds).toBe(walk.uptimeSeconds);
    expect(r.process.name).toBe('test_app.exe');
    // Frames: the four of stackwalk, with its ebp of each frame as the ChildEBP column.
    const frames = r.threads.find((t) => t.faulting)!.frames;
    expect(frames.map((f) => big(f.address))).toEqual(walk.threads[0]!.frames.map((f) => f.pc));
    expect(frames.map((f) => f.sp)).toEqual(['0x12fe88', '0x12ff70', '0x12ffc0', '0x12fff0']);
    expect(frames.map((f) => `${f.module}+${f.offset}`)).toEqual(['test_app+0x429e', 'test_app+0x4200', 'test_app+0x53ec', 'kernel32+0x16fd7']);
  });
});
