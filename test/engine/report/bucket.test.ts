// The failure bucket: what goes into the signature (the exception, the first frame in the
// program's own code, the strongest pattern), what is skipped (the OS, compiler runtimes, frames
// in no module), and what may differ between two dumps of one failure without changing it
// (bases, thread ids, the order of threads). End to end, two runs of one crash written as two
// machines would write them share a bucket; another crash of the same program does not.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, loadDetectors } from '../../../src/catalog/load-node.ts';
import { analyze } from '../../../src/engine/analyze.ts';
import type { DumpModel, Frame, Thread, WaitLink } from '../../../src/engine/core/dump-model.ts';
import { emptyModel } from '../../../src/engine/core/empty-model.ts';
import { buildWaitGraph } from '../../../src/engine/model/wait-graph.ts';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { bucketId, failureBucket } from '../../../src/engine/report/bucket.ts';
import type { Finding, Report } from '../../../src/engine/report/schema.ts';
import { analyzeInput } from '../../lib/analyze-input.ts';
import { bucketDump, RUN_A, RUN_B, RUN_OTHER } from '../../synth/bucket-dumps.ts';

function frame(index: number, module: string | null, symbol: string | null, offset: string | null, address = '0x1000'): Frame {
  return { index, address, sp: null, retAddr: null, module, symbol, offset, trust: 'unwind-info' };
}

function thread(id: number, ordinal: number, frames: Frame[], extra: Partial<Thread> = {}): Thread {
  return { id, ordinal, name: null, teb: null, suspendCount: null, frozen: null, priority: null, faulting: false, times: null, frames, framesNote: null, ...extra };
}

function crashModel(threads: Thread[], code = '0xc0000005', threadId = threads[0]?.id ?? null): DumpModel {
  const m = emptyModel('minidump', 'x.dmp', 100);
  m.threads = threads;
  m.process.name = 'App-Main.exe';
  m.exception = { code, name: null, description: null, flags: '0x0', address: '0x1000', threadId, parameters: [], access: null, module: null, symbol: null, chance: null };
  return m;
}

function finding(pattern: string, confidence: Finding['confidence'], evidence: Finding['evidence']): Finding {
  return { pattern, title: pattern, confidence, messageId: 'm', data: {}, summary: 's', evidence };
}

const onException = (pattern: string, confidence: Finding['confidence'] = 'certain'): Finding => finding(pattern, confidence, [{ kind: 'exception', note: 'n' }]);

describe('failureBucket', () => {
  it('is the exception code, the first frame outside the OS and the runtimes, and the strongest pattern on the exception', () => {
    const m = crashModel([
      thread(0x2f10, 0, [
        frame(0, 'ntdll', 'RtlpLowFragHeapFree', '0x1c'),
        frame(1, 'KERNELBASE', 'HeapFree', '0x14'),
        frame(2, 'vcruntime140', '_CxxThrowException', '0x60'),
        frame(3, 'ucrtbase', 'free_base', '0x1b'),
        frame(4, 'CrashLib', 'parse_record', '0x14'),
        frame(5, 'app', null, '0x1049'),
      ]),
    ]);
    const b = failureBucket(m, [onException('wild-pointer-data', 'likely'), onException('dynamic-memory-corruption'), finding('virtualized-system', 'certain', [{ kind: 'field', path: 'system.virtualization', note: 'n' }])]);
    expect(b).toEqual({
      id: 'c0000005 @ crashlib!parse_record (dynamic-memory-corruption)',
      reason: 'c0000005',
      frame: 'crashlib!parse_record',
      pattern: 'dynamic-memory-corruption',
    });
  });

  it('names a frame without a symbol by its offset in the module, never by its address', () => {
    const a = crashModel([thread(1, 0, [frame(0, 'app', null, '0x1374', '0x7ff612341374')])]);
    const b = crashModel([thread(99, 0, [frame(0, 'app', null, '0x1374', '0x140001374')])]);
    expect(failureBucket(a, []).frame).toBe('app+0x1374');
    expect(failureBucket(a, []).id).toBe(failureBucket(b, []).id);
  });

  it('takes a far export name for what it is, the nearest export, and uses the module offset instead', () => {
    const m = crashModel([thread(1, 0, [frame(0, 'plugin', 'DllRegisterServer', '0x5a10', '0x180016a10')])]);
    m.modules = [{ name: 'plugin.dll', path: null, base: '0x180000000', size: '0x40000', version: null, timestamp: null, pdb: null }];
    expect(failureBucket(m, []).frame).toBe('plugin+0x16a10');
  });

  it('skips the CRT functions a program links that raise on its behalf', () => {
    const m = crashModel([thread(1, 0, [frame(0, 'importer', '__report_gsfailure', '0x20'), frame(1, 'importer', 'CsvReader::ReadField', '0x8d')])], '0xc0000409');
    expect(failureBucket(m, []).frame).toBe('importer!CsvReader::ReadField');
  });

  it('reads the 32-bit stack of a WOW64 thread, and drops the base WinDbg appends to a second ntdll', () => {
    const t = thread(1, 0, [frame(0, 'wow64cpu', null, '0x1d')], {
      x86Frames: [frame(0, 'ntdll_77d40000', 'KiUserExceptionDispatcher', '0x1'), frame(1, 'Legacy_App', null, '0x188f3')],
    });
    expect(failureBucket(crashModel([t]), []).frame).toBe('legacy_app+0x188f3');
  });

  it('stands the process image in when no frame of the program is on the stack', () => {
    const m = crashModel([thread(1, 0, [frame(0, 'ntdll', null, '0x25e4a')])], '0xc0000008');
    expect(failureBucket(m, [onException('invalid-handle')]).id).toBe('c0000008 @ app_main!unknown (invalid-handle)');
  });

  it('treats a debugger break-in (a breakpoint on a thread running no program code) as no crash', () => {
    const m = crashModel([
      thread(1, 0, [frame(0, 'app', 'main', '0x10')]),
      thread(2, 1, [frame(0, 'ntdll', 'DbgBreakPoint', '0x0'), frame(1, 'ntdll', 'DbgUiRemoteBreakin', '0x2e')]),
    ], '0x80000003', 2);
    expect(failureBucket(m, [onException('manual-dump')])).toMatchObject({ reason: 'no-crash', frame: 'app!main', pattern: null });
    // A breakpoint in the program's own code is a crash.
    const real = crashModel([thread(1, 0, [frame(0, 'app', 'check', '0x10')])], '0x80000003');
    expect(failureBucket(real, [onException('breakpoint')]).id).toBe('80000003 @ app!check (breakpoint)');
  });

  describe('a hang', () => {
    const waits = (id: number, caller: string): Thread =>
      thread(id, 0, [frame(0, 'ntdll', 'NtWaitForSingleObject', '0x14'), frame(1, 'ntdll', 'RtlpWaitOnCriticalSection', '0xa0'), frame(2, 'app', caller, '0x30')]);
    const deadlock = (threads: Thread[]): Finding =>
      finding('deadlock-critical-sections', 'likely', threads.map((t) => ({ kind: 'frames' as const, threadId: t.id, view: 'native' as const, frames: [0, 1, 2], note: 'n' })));

    it('is the waiting threads’ first program frame that sorts first, whatever their ids and order', () => {
      const a = [waits(0x10, 'Index::Update'), waits(0x14, 'Cache::Write')];
      const b = [waits(0x99c, 'Cache::Write'), waits(0x2e8, 'Index::Update')];
      const ma = emptyModel('minidump', 'a.dmp', 1);
      ma.threads = a;
      ma.dump.manual = true;
      const mb = emptyModel('minidump', 'b.dmp', 1);
      mb.threads = b;
      const blocked = (ts: Thread[]): Finding => finding('blocked-threads', 'possible', [{ kind: 'thread', threadId: ts[0]!.id, note: 'n' }]);
      const ba = failureBucket(ma, [deadlock(a), blocked(a)]);
      expect(ba).toEqual({ id: 'hang @ app!Cache::Write (deadlock-critical-sections)', reason: 'hang', frame: 'app!Cache::Write', pattern: 'deadlock-critical-sections' });
      expect(failureBucket(mb, [blocked(b), deadlock(b)]).id).toBe(ba.id);
    });

    describe('from the wait graph', () => {
      const at = (id: number, ordinal: number, caller: string, top: [string, string] = ['NtWaitForSingleObject', 'RtlpWaitOnCriticalSection']): Thread =>
        thread(id, ordinal, [frame(0, 'ntdll', top[0], '0x14'), frame(1, 'ntdll', top[1], '0xa0'), frame(2, 'app', caller, '0x30')]);
      const link = (threadId: number, ownerThreadId: number, record: number): WaitLink => ({
        threadId,
        view: 'native',
        on: { kind: 'critical-section', address: `0x${(0x7000 + record * 0x28).toString(16)}`, handle: null, name: null, record },
        ownerThreadId,
        ownerProcessId: null,
        frames: [0, 1, 2],
        source: 'memory',
      });
      const hangModel = (threads: Thread[], links: WaitLink[]): DumpModel => {
        const m = emptyModel('minidump', 'hang.dmp', 1);
        m.threads = threads;
        m.dump.manual = true;
        m.waitGraph = buildWaitGraph(links, new Set(threads.map((t) => t.id)));
        return m;
      };
      // blocked-threads points at every waiter; the one that sorts first is a waiter of the chain.
      const blocked = (ids: number[]): Finding => finding('blocked-threads', 'likely', ids.map((threadId) => ({ kind: 'thread' as const, threadId, note: 'n' })));

      it('is the head of the longest chain: the thread the waiters wait for, not a waiter', () => {
        // ~1 and ~2 queue on sections owned by ~3, which sleeps holding them.
        const threads = [at(1, 0, 'Aaa::Read'), at(2, 1, 'Abb::Write'), at(3, 2, 'Zzz::Flush', ['NtDelayExecution', 'SleepEx'])];
        const m = hangModel(threads, [link(1, 2, 0), link(2, 3, 1)]);
        expect(m.waitGraph?.head?.threadId).toBe(3);
        expect(failureBucket(m, [blocked([1, 2])]).id).toBe('hang @ app!Zzz::Flush (blocked-threads)');
      });

      it('takes a deadlock’s ring before a chain elsewhere in the process, whatever the thread order', () => {
        const ring = [at(0x20, 0, 'Ring::Swap'), at(0x24, 1, 'Ring::Lock')];
        const chain = [at(0x30, 2, 'Aaa::Wait'), at(0x34, 3, 'Aaa::Sleep', ['NtDelayExecution', 'SleepEx'])];
        const links = [link(0x20, 0x24, 0), link(0x24, 0x20, 1), link(0x30, 0x34, 2)];
        const a = hangModel([...ring, ...chain], links);
        const b = hangModel([...chain, ...ring].reverse(), [...links].reverse());
        expect(a.waitGraph?.cycles).toHaveLength(1);
        expect(a.waitGraph?.head?.threadId).toBe(0x34);
        const findings = [blocked([0x20, 0x24, 0x30])];
        expect(failureBucket(a, findings).id).toBe('hang @ app!Ring::Lock (blocked-threads)');
        expect(failureBucket(b, findings).id).toBe('hang @ app!Ring::Lock (blocked-threads)');
      });

      it('reads the finding’s threads when the chain leaves the process', () => {
        const m = hangModel([at(1, 0, 'Job::WaitChild')], []);
        m.waitGraph = buildWaitGraph(
          [{ threadId: 1, view: 'native', on: { kind: 'process', address: null, handle: '0x38', name: null, record: 0 }, ownerThreadId: null, ownerProcessId: 0x10c, frames: [0, 1, 2], source: 'handle-data' }],
          new Set([1]),
        );
        expect(m.waitGraph?.head).toMatchObject({ threadId: null, processId: 0x10c });
        expect(failureBucket(m, [blocked([1])]).frame).toBe('app!Job::WaitChild');
      });
    });

    it('without a hang finding is "no-crash" at the first thread’s program frame', () => {
      const m = emptyModel('minidump', 'idle.dmp', 1);
      m.threads = [thread(7, 1, [frame(0, 'app', 'worker', '0x1')]), thread(5, 0, [frame(0, 'user32', 'NtUserGetMessage', '0x14'), frame(1, 'app', 'WinMain', '0x60')])];
      expect(failureBucket(m, []).id).toBe('no-crash @ app!WinMain');
    });
  });

  it('spells one line from its parts', () => {
    expect(bucketId('c0000005', null, null)).toBe('c0000005 @ unknown');
  });
});

describe('failure buckets of whole dumps', () => {
  let reports: Report[];
  beforeAll(async () => {
    const detectors = await loadDetectors();
    const catalog = loadCatalog();
    reports = await Promise.all(
      [RUN_A, RUN_B, RUN_OTHER].map((run, i) => analyze(new Uint8ArraySource(bucketDump(run), `run-${i}.dmp`), { detectors, catalog })),
    );
  });

  it('gives the same crash one bucket on two machines (other bases, process and thread ids, times)', () => {
    const [a, b] = reports as [Report, Report];
    // The two dumps really differ where a machine makes them differ.
    expect(a.modules.map((m) => m.base)).not.toEqual(b.modules.map((m) => m.base));
    expect(a.threads.map((t) => t.id)).not.toEqual(b.threads.map((t) => t.id));
    expect(a.process.pid).not.toBe(b.process.pid);
    expect(a.bucket).toEqual({ id: 'c0000005 @ crashlib!parse_record (null-pointer-data)', reason: 'c0000005', frame: 'crashlib!parse_record', pattern: 'null-pointer-data' });
    expect(b.bucket).toEqual(a.bucket);
  });

  it('gives another crash of the same program another bucket', () => {
    expect(reports[2]!.bucket.id).toBe('c0000094 @ app+0x1144 (divide-by-zero)');
  });
});

describe('failure buckets of the Wine-made bucket dumps', () => {
  // bucket-same-a and -b: one NULL write in bucketlib.dll from two runs (other process and
  // thread ids; the DLL relocated); bucket-other: a divide by zero in the exe (fixtures/dumps/README.md).
  const buckets = async (images: string[]) =>
    Promise.all(['bucket-same-a', 'bucket-same-b', 'bucket-other'].map(async (n) => (await analyzeInput({ fixture: `dumps/${n}.dmp`, images })).bucket.id));

  it('gives the two runs of one crash one bucket, and the other crash another', async () => {
    const [a, b, other] = await buckets([]);
    expect(a).toBe('c0000005 @ bucketlib+0x1374 (null-pointer-data)');
    expect(b).toBe(a);
    expect(other).toBe('c0000094 @ bucket+0x186d (divide-by-zero)');
  });

  it('names the function once the DLL is given, still one bucket for both runs', async () => {
    const [a, b, other] = await buckets(['dumps/bucketlib.dll', 'dumps/bucket.exe']);
    expect(a).toBe('c0000005 @ bucketlib!bucketlib_parse_record (null-pointer-data)');
    expect(b).toBe(a);
    expect(other).not.toBe(a);
  });
});

describe('failure buckets of the Wine-made hang dumps', () => {
  // Each waiter's first program frame is not the hang's: the thread they all wait for is. The
  // head sleeps (a different function of the program); the waiters' frames sort before it, so
  // taking the smallest waiter frame, as a bucket without the wait graph does, names a waiter.
  const headFrame = (report: Report): string => {
    const head = report.waitGraph?.head;
    const t = report.threads.find((x) => x.id === head?.threadId)!;
    const own = t.frames.find((f) => f.module !== null && !/^(ntdll|kernelbase|kernel32)$/i.test(f.module))!;
    return `${own.module!.toLowerCase()}+${own.offset}`;
  };

  it('names the head of a chain of mutexes (the owner that sleeps), not a waiter', async () => {
    const r = await analyzeInput({ fixture: 'dumps/handle-data/wait-chain-mutex-objects-full.dmp' });
    expect(r.waitGraph?.chains[0]?.links).toHaveLength(2);
    expect(headFrame(r)).toBe('wait_chain_mutex_objects_full+0x1d50');
    expect(r.bucket).toEqual({ id: 'hang @ wait_chain_mutex_objects_full+0x1d50 (wait-chain-mutex-objects)', reason: 'hang', frame: 'wait_chain_mutex_objects_full+0x1d50', pattern: 'wait-chain-mutex-objects' });
    // The blocked-threads finding names the waiters, whose frames sort first.
    const waiters = r.findings.find((f) => f.pattern === 'blocked-threads')!.evidence.flatMap((e) => ('threadId' in e ? [e.threadId] : []));
    expect(waiters).not.toContain(r.waitGraph!.head!.threadId);
  });

  it('names the owner of a contended critical section, not the six threads queued on it', async () => {
    const r = await analyzeInput({ fixture: 'dumps/high-contention-critical-sections.dmp' });
    expect(r.waitGraph?.chains).toHaveLength(6);
    expect(headFrame(r)).toBe('high_contention_critical_sections+0x15e6');
    expect(r.bucket.id).toBe('hang @ high_contention_critical_sections+0x15e6 (blocked-threads)');
  });

  it('names a deadlock by its ring, the same as before the graph', async () => {
    const r = await analyzeInput({ fixture: 'dumps/deadlock-critical-sections-full.dmp' });
    expect(r.waitGraph?.cycles).toHaveLength(1);
    expect(r.waitGraph?.head).toBeNull();
    expect(r.bucket.id).toBe('hang @ deadlock_critical_sections_full+0x15ff (deadlock-critical-sections)');
  });
});
