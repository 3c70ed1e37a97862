// The failure bucket: one signature per failure, so that a folder of dumps from many machines
// can be counted by crash ("how many different crashes are these?"), the way WinDbg's
// FAILURE_BUCKET_ID and crash servers' signatures group them. The signature is made only of
// what the same failure keeps on every machine and in every run:
//
//   reason   the exception code ("c0000005"), or "hang" for a dump taken of a stuck process, or
//            "no-crash" for a dump taken on request with nothing waiting
//   frame    the first frame in the program's own code, skipping the operating system's modules
//            and the compiler runtimes, as WinDbg's bucketing skips them: "module!function"
//            when a name is known, else "module+0x1374" — an offset from the module's base,
//            which changes between builds but not between machines (base addresses do)
//   pattern  the strongest catalogued pattern that explains the failure
//
// Thread ids, addresses, dump times and environment patterns (a virtual machine, WOW64, a
// truncated file) are left out on purpose: they differ between two runs of the same crash.
// docs/buckets.md gives the rule with examples.
import type { DumpModel, Frame, Thread } from '../core/dump-model.ts';
import { faultingThread } from '../core/faulting-thread.ts';
import { big } from '../core/hex.ts';
import { shortModuleName } from '../names/module-names.ts';
import { moduleKey, isSystemOrRuntimeModule } from '../names/system-modules.ts';
import type { Bucket, Confidence, Finding, StackView } from './schema.ts';

/**
 * Patterns that make a dump without a crash a hang, and name the bucket's pattern: the most
 * confident, and among equals the first here (the most specific: a deadlock before a chain,
 * a chain before threads merely blocked). Where the model's wait graph (model.waitGraph) shows
 * who waits for whom, it gives the hang's frame (a deadlock's ring, else the head of the longest
 * chain); only without one do these findings' evidence point at the threads.
 */
export const HANG_PATTERNS: readonly string[] = [
  'deadlock-critical-sections',
  'deadlock-mixed-objects-user-space',
  'wait-chain-critical-sections',
  'wait-chain-mutex-objects',
  'wait-chain-thread-objects',
  'wait-chain-process-objects',
  'blocked-threads',
];

/**
 * Functions a compiler links into the program itself that raise or abort on its behalf: the
 * failure is in their caller (a smashed stack cookie, a bad CRT argument, a pure virtual call).
 */
const RUNTIME_FUNCTIONS: ReadonlySet<string> = new Set([
  '__report_gsfailure',
  '__report_rangecheckfailure',
  '__report_securityfailure',
  '__fastfail',
  '_invalid_parameter',
  '_invalid_parameter_noinfo',
  '_invalid_parameter_noinfo_noreturn',
  '_invoke_watson',
  '_purecall',
  '_CxxThrowException',
  'CxxThrowException',
  '__cxa_throw',
  '__cxa_rethrow',
  '_Unwind_RaiseException',
  'abort',
  'raise',
  'terminate',
  '_assert',
  '_wassert',
  '__assert_fail',
  '__stack_chk_fail',
  '__chk_fail',
]);

/** Codes a debugger raises when it attaches: with no program frame on the thread, a break-in, not a crash. */
const BREAK_IN_CODES: ReadonlySet<string> = new Set(['0x80000003', '0x4000001f']);

/**
 * Beyond this offset a name is the nearest export before some internal function (what a dump
 * without symbol files gives), not the function: the module offset is the better signature.
 */
const MAX_CREDIBLE_OFFSET = 0x1000n;

/** "reason @ frame (pattern)": the bucket as one line; equal ids are one failure. */
export function bucketId(reason: string, frame: string | null, pattern: string | null): string {
  return `${reason} @ ${frame ?? 'unknown'}${pattern ? ` (${pattern})` : ''}`;
}

export function failureBucket(model: DumpModel, findings: readonly Finding[]): Bucket {
  const ex = model.exception;
  const thread = ex ? faultingThread(model) : undefined;
  const own = thread ? firstOwnFrame(model, stackOf(thread, null)) : null;
  const breakIn = ex !== null && BREAK_IN_CODES.has(ex.code) && own === null;
  if (ex && model.dump.manual !== true && !breakIn) {
    const reason = ex.code.slice(2);
    const frame = own ?? exceptionSite(model) ?? processFrame(model);
    const pattern = strongest(findings.filter((f) => f.evidence.some((e) => e.kind === 'exception')));
    return { id: bucketId(reason, frame, pattern), reason, frame, pattern };
  }
  const hang = strongestHang(findings);
  if (hang) {
    const frame = graphHead(model) ?? hangHead(model, hang) ?? processFrame(model);
    return { id: bucketId('hang', frame, hang.pattern), reason: 'hang', frame, pattern: hang.pattern };
  }
  const first = [...model.threads].sort((a, b) => a.ordinal - b.ordinal)[0];
  const frame = (first ? firstOwnFrame(model, stackOf(first, null)) : null) ?? processFrame(model);
  return { id: bucketId('no-crash', frame, null), reason: 'no-crash', frame, pattern: null };
}

/**
 * The frame of a hang from the wait graph. A deadlock comes first: its threads wait for each
 * other, whatever else waits in the process, so the threads on its rings each give their first
 * program frame and the smallest text is taken (a ring has no first thread; its order in the
 * graph follows the dump's thread order, which the bucket must not). Without a ring, the head of
 * the longest chain — the thread every waiter in it ends up waiting for — gives its frame. Null
 * when the graph names no thread of this dump with a program frame (no graph; a chain that ends
 * in another process): the hang finding's evidence is read instead.
 */
function graphHead(model: DumpModel): string | null {
  const g = model.waitGraph;
  if (!g) return null;
  const byId = new Map(model.threads.map((t) => [t.id, t]));
  const ring: string[] = [];
  for (const cycle of g.cycles) {
    for (const i of cycle) {
      const link = g.links[i];
      const t = link ? byId.get(link.threadId) : undefined;
      const frame = t ? firstOwnFrame(model, stackOf(t, link!.view)) : null;
      if (frame) ring.push(frame);
    }
  }
  if (ring.length > 0) return ring.sort()[0]!;
  const head = g.head;
  if (!head || head.threadId === null || !head.inDump) return null;
  const t = byId.get(head.threadId);
  return t ? firstOwnFrame(model, stackOf(t, null)) : null;
}

/**
 * The frame of a hang the wait graph does not explain (a log without `!locks`, a dump whose
 * waits did not resolve): each thread the hang finding points at contributes its first frame in
 * the program's code, and the smallest of those texts is taken — an order that does not depend
 * on thread ids or on the order the dump listed the threads in, so two dumps of one hang agree.
 */
function hangHead(model: DumpModel, finding: Finding): string | null {
  const byId = new Map(model.threads.map((t) => [t.id, t]));
  const candidates: string[] = [];
  for (const e of finding.evidence) {
    if (e.kind !== 'frames' && e.kind !== 'thread') continue;
    const t = byId.get(e.threadId);
    if (!t) continue;
    const frame = firstOwnFrame(model, stackOf(t, e.kind === 'frames' ? e.view : null));
    if (frame) candidates.push(frame);
  }
  candidates.sort();
  return candidates[0] ?? null;
}

/** The stack that is the thread's real one: the 32-bit stack of a WOW64 thread, else the native one. */
function stackOf(thread: Thread, view: StackView | null): readonly Frame[] {
  if (view === 'native') return thread.frames;
  if (thread.x86Frames && thread.x86Frames.length > 0) return thread.x86Frames;
  return thread.frames;
}

function firstOwnFrame(model: DumpModel, frames: readonly Frame[]): string | null {
  for (const f of frames) {
    // A frame outside every module (a wild jump, JIT code) has no stable name; its caller has.
    if (f.module === null || isSystemOrRuntimeModule(f.module)) continue;
    if (f.symbol !== null && RUNTIME_FUNCTIONS.has(f.symbol)) continue;
    return siteText(model, f.module, f.symbol, f.offset, f.address);
  }
  return null;
}

/** The exception address itself, when no stack names a frame (a log with only `.exr`). */
function exceptionSite(model: DumpModel): string | null {
  const ex = model.exception;
  if (!ex || ex.module === null || ex.address === null || isSystemOrRuntimeModule(ex.module)) return null;
  return siteText(model, ex.module, ex.symbol, null, ex.address);
}

/**
 * When no frame of the program's code is on the stack (a walk that stopped inside the OS for
 * lack of its images), the process's image stands in, as WinDbg writes "app.exe!Unknown": two
 * programs failing alike stay two buckets.
 */
function processFrame(model: DumpModel): string | null {
  return model.process.name ? `${bucketModule(shortModuleName(model.process.name))}!unknown` : null;
}

/**
 * A module as the bucket spells it: WinDbg's short name ("bucketlib", "libstdc___6"), lower
 * case (a log and a dump of one crash may differ in case), without the base WinDbg appends to
 * tell two modules of one name apart ("ntdll_77d40000"), which differs between machines.
 */
function bucketModule(shortName: string): string {
  return moduleKey(shortName).replace(/[^a-z0-9_]/g, '_');
}

function siteText(model: DumpModel, module: string, symbol: string | null, offset: string | null, address: string): string {
  const mod = bucketModule(module);
  if (symbol !== null && (offset === null || big(offset) <= MAX_CREDIBLE_OFFSET)) return `${mod}!${symbol}`;
  if (symbol === null && offset !== null) return `${mod}+${offset}`;
  const rva = moduleOffset(model, mod, address);
  if (rva !== null) return `${mod}+0x${rva.toString(16)}`;
  return symbol !== null ? `${mod}!${symbol}` : mod;
}

/** The address's offset from the base of the module of that name, or null when no such module holds it. */
function moduleOffset(model: DumpModel, key: string, address: string): bigint | null {
  const at = big(address);
  for (const m of model.modules) {
    if (bucketModule(shortModuleName(m.name)) !== key) continue;
    const base = big(m.base);
    if (at >= base && at < base + big(m.size)) return at - base;
  }
  return null;
}

const RANK: Record<Confidence, number> = { certain: 0, likely: 1, possible: 2 };

/** The most confident finding; among equals, the first by pattern id, so the choice is stable. */
function strongestHang(findings: readonly Finding[]): Finding | null {
  let best: Finding | null = null;
  for (const f of findings) {
    const order = HANG_PATTERNS.indexOf(f.pattern);
    if (order < 0) continue;
    if (!best || RANK[f.confidence] < RANK[best.confidence] || (RANK[f.confidence] === RANK[best.confidence] && order < HANG_PATTERNS.indexOf(best.pattern))) best = f;
  }
  return best;
}

function strongestFinding(findings: readonly Finding[]): Finding | null {
  let best: Finding | null = null;
  for (const f of findings) {
    if (!best || RANK[f.confidence] < RANK[best.confidence] || (RANK[f.confidence] === RANK[best.confidence] && f.pattern < best.pattern)) best = f;
  }
  return best;
}

function strongest(findings: readonly Finding[]): string | null {
  return strongestFinding(findings)?.pattern ?? null;
}
