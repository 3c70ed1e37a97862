// Dynamic Memory Corruption: the process heap's own bookkeeping is damaged (a buffer overrun
// into the next block's header, a double free, a write after free). Either the heap manager
// noticed and stopped the process (STATUS_HEAP_CORRUPTION, a heap fail-fast, its debug break
// after "HEAP[app.exe]: …" or Application Verifier's "VERIFIER STOP …"), or it tripped over the
// damage itself (an access violation inside the heap functions), or full page heap caught the
// bad access as it happened (an access violation just past a page's end, in its guard page).
import type { DumpModel, Frame } from '../engine/core/dump-model.ts';
import type { Evidence } from '../engine/report/schema.ts';
import { big } from '../engine/core/hex.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { addr, exceptionConfidence, fastFailCode, faultAccess, faultPlace, HEAP_FAST_FAIL_CODES, NULL_REGION_END, STATUS, windowsCode, type FaultAccess } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultingFramesEvidence, faultSiteEvidence, framesEvidence, threadNoun } from './lib/exception-evidence.ts';
import { faultingThread, frameIn } from './lib/model-queries.ts';
import { exceptionFrameRole } from './lib/exception-frames.ts';
import { frameText } from '../engine/core/frame-text.ts';

/** The heap manager reporting corruption it found (Windows 7 and later). */
const HEAP_REPORTERS = new Set([
  'RtlReportCriticalFailure', 'RtlReportFatalFailure', 'RtlpReportHeapFailure', 'RtlpHeapHandleError', 'RtlpHpHeapHandleError', 'RtlpLogHeapFailure',
  // The debug heap's and page heap's own breaks into a debugger (with "HEAP[…]:" or "VERIFIER STOP" before them).
  'RtlpBreakPointHeap', 'RtlpDphReportCorruptedBlock', 'AVrfpDphReportCorruptedBlock', 'VerifierStopMessage', 'VerifierStopMessageEx',
]);

/** Application Verifier's heap stops (the "Heaps" layer) are numbered below 0x100. */
const VERIFIER_HEAP_STOP_END = 0x100;

/** How far past a page boundary an access still counts as running into page heap's guard page. */
const GUARD_PAGE_REACH = 0x100n;
const PAGE_MASK = 0xfffn;

/** "RtlReportFatalFailure$filt$0" is the filter funclet of RtlReportFatalFailure. */
function baseSymbol(f: Frame): string | null {
  return f.symbol === null ? null : f.symbol.replace(/\$filt\$\d+$/, '');
}

/** Heap manager and C runtime allocator functions. */
const HEAP_FUNCTIONS = new Set([
  'RtlAllocateHeap', 'RtlpAllocateHeap', 'RtlpAllocateHeapInternal', 'RtlFreeHeap', 'RtlpFreeHeap', 'RtlpFreeHeapInternal',
  'RtlReAllocateHeap', 'RtlpReAllocateHeap', 'RtlpReAllocateHeapInternal', 'RtlSizeHeap', 'RtlpCoalesceFreeBlocks',
  'RtlpInsertFreeBlock', 'RtlpFindEntry', 'RtlpDeCommitFreeBlock', 'RtlpHeapRemoveListEntry', 'RtlpLowFragHeapAllocFromContext',
  'RtlpLowFragHeapFree', 'RtlpValidateHeap', 'RtlpValidateHeapEntry', 'RtlpHpFreeHeap', 'RtlpHpAllocWithExceptionProtection',
  'HeapAlloc', 'HeapFree', 'HeapReAlloc', 'HeapSize', 'LocalAlloc', 'LocalFree', 'GlobalAlloc', 'GlobalFree',
  'malloc', 'free', 'realloc', 'calloc', '_malloc_base', '_free_base', '_realloc_base', '_calloc_base', '_free_dbg', '_malloc_dbg',
  '_heap_alloc', '_msize', 'operator new', 'operator delete',
]);
const HEAP_MODULES = ['ntdll', 'kernel32', 'kernelbase', 'msvcrt', 'ucrtbase', 'ucrtbased', 'msvcr71', 'msvcr80', 'msvcr90', 'msvcr100', 'msvcr110', 'msvcr120', 'libc'];

/** A name far from its export is probably some other internal function (see exception-frames.ts). */
function credible(f: Frame): boolean {
  return f.symbol !== null && (f.offset === null || big(f.offset) <= 0x1000n) && f.trust !== 'scan';
}

export default defineDetector({
  id: 'dynamic-memory-corruption',
  messages: {
    heapDamaged: 'The heap manager found its structures damaged ({{what}}){{during}}; the code that corrupted the heap ran earlier.',
    heapReported: 'The heap manager reported damage or misuse of the heap ({{report}}){{during}}; the breakpoint after it is the heap’s report, not the program’s.',
    pageHeapGuard: '{{subject}} {{what}} {{address}}, just past the end of a page, with page heap on{{at}}: a heap buffer overrun (or a use of a freed block) ran into the page heap’s guard page.',
    faultInHeap: "{{subject}} faulted inside {{heapFrame}}{{caller}}: the heap's metadata is probably corrupt (enable full page heap to catch the writer).",
  },
  detect(model) {
    const e = model.exception;
    const code = windowsCode(model);
    const sub = e && code === STATUS.STACK_BUFFER_OVERRUN ? fastFailCode(e) : null;
    const faulting = faultingThread(model);
    // The thread whose stack shows the heap manager reporting: the faulting one first.
    const reporting = [...(faulting ? [faulting] : []), ...model.threads.filter((t) => t !== faulting)]
      .map((t) => ({ t, reporters: t.frames.filter((f) => credible(f) && HEAP_REPORTERS.has(baseSymbol(f)!)) }))
      .find((x) => x.reporters.length > 0);
    const storedSays = code === STATUS.HEAP_CORRUPTION || (sub !== null && HEAP_FAST_FAIL_CODES.has(sub.code));
    const report = heapReport(model);

    if (report) {
      const evidence: Evidence[] = [{ kind: 'field', path: `annotations.${report.key}`, note: 'the heap manager’s own message to the debugger' }];
      if (e) evidence.push(...exceptionEvidence(model, `${e.name ?? e.code}: the heap’s break after its report`));
      let during = '';
      if (reporting) {
        evidence.push(...framesEvidence(reporting.t, reporting.reporters.map((f) => f.index), 'the heap manager reporting what it found'));
        const caller = firstOutside(reporting.t.frames, reporting.reporters);
        if (caller) {
          evidence.push(...framesEvidence(reporting.t, [caller.index], 'the heap call that found it'));
          during = `, during ${frameText(caller)} on ${threadNoun(reporting.t)}`;
        }
      }
      // The heap manager's own words are the proof; no exception's chance weighs on them.
      return [{ confidence: 'certain', messageId: 'heapReported', data: { report: report.text, during }, evidence }];
    }

    if (storedSays || reporting) {
      const evidence: Evidence[] = e ? exceptionEvidence(model, e.name ?? e.code, ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID']) : [];
      let during = '';
      if (reporting) {
        evidence.push(...framesEvidence(reporting.t, reporting.reporters.map((f) => f.index), 'the heap manager reporting the corruption it found'));
        const caller = firstOutside(reporting.t.frames, reporting.reporters);
        if (caller) {
          evidence.push(...framesEvidence(reporting.t, [caller.index], 'the heap call that found the damage (the damage was done earlier)'));
          during = `, during ${frameText(caller)} on ${threadNoun(reporting.t)}`;
        }
      }
      const what = code === STATUS.HEAP_CORRUPTION ? 'STATUS_HEAP_CORRUPTION' : sub && HEAP_FAST_FAIL_CODES.has(sub.code) ? sub.name : `${baseSymbol(reporting!.reporters[0]!)} on the stack`;
      return [
        {
          // The report frames alone, without the stored code, could belong to a failure the
          // heap was still reporting when a different exception or a manual dump intervened.
          confidence: storedSays ? exceptionConfidence(model, 'certain') : 'likely',
          messageId: 'heapDamaged',
          data: { what, during },
          evidence,
        },
      ];
    }

    // An access violation inside the allocator: it followed a damaged block header or free-list link.
    const access = faultAccess(model);
    if (!access || !e) return [];
    const guard = pageHeapGuard(model, access);
    if (guard) return [guard];
    const frames = faulting?.frames ?? [];
    const inHeap = frames.filter((f) => f.index <= 3 && credible(f) && HEAP_FUNCTIONS.has(f.symbol!) && frameIn(f, HEAP_MODULES));
    if (inHeap.length === 0 || inHeap[0]!.index > 1) return [];
    const evidence: Evidence[] = [
      ...exceptionEvidence(model, e.name ?? e.code, ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID']),
      ...faultingFramesEvidence(model, inHeap.map((f) => f.index), 'the fault is inside the heap functions'),
    ];
    const caller = frames.find((f) => f.index > inHeap[inHeap.length - 1]!.index && !(f.symbol && HEAP_FUNCTIONS.has(f.symbol)));
    return [
      {
        confidence: 'likely',
        messageId: 'faultInHeap',
        data: { subject: exceptionSubject(model), heapFrame: frameText(inHeap[0]!), caller: caller ? ` called from ${frameText(caller)}` : '' },
        evidence,
      },
    ];
  },
});

function firstOutside(frames: readonly Frame[], reporters: readonly Frame[]): Frame | undefined {
  const last = reporters.length > 0 ? reporters[reporters.length - 1]!.index : -1;
  // The outermost heap function above the report is the API the program called (RtlFreeHeap);
  // failing that, the first frame after the report.
  const heap = frames.filter((f) => f.index > last && f.symbol !== null && HEAP_FUNCTIONS.has(f.symbol));
  // Else the first frame after the report that is not exception processing (the report raises
  // an exception and its filter runs under the dispatcher's frames).
  return heap[heap.length - 1] ?? frames.find((f) => f.index > last && exceptionFrameRole(f) === null);
}

/** The heap manager's or Application Verifier's message about the heap, when the log printed one. */
function heapReport(model: DumpModel): { key: string; text: string } | null {
  const heap = model.annotations['HEAP_ERROR'];
  if (heap) return { key: 'HEAP_ERROR', text: heap };
  const stop = model.annotations['VERIFIER_STOP'];
  const code = stop ? Number.parseInt(stop, 16) : NaN;
  if (stop && code < VERIFIER_HEAP_STOP_END) return { key: 'VERIFIER_STOP', text: `VERIFIER STOP ${stop}` };
  return null;
}

/**
 * Full page heap puts each block at the end of a page with an inaccessible guard page after it:
 * a read or write just past a page boundary, with page heap on, is the overrun it was set to
 * catch (a freed block's pages are made inaccessible too).
 */
function pageHeapGuard(model: DumpModel, access: FaultAccess) {
  if (!model.annotations['PAGE_HEAP'] || access.kind === 'execute' || access.kind === 'unknown') return null;
  if (access.address < NULL_REGION_END || (access.address & PAGE_MASK) >= GUARD_PAGE_REACH) return null;
  const place = faultPlace(model);
  return {
    confidence: 'likely' as const,
    messageId: 'pageHeapGuard' as const,
    data: { subject: exceptionSubject(model), what: access.kind === 'write' ? 'wrote' : 'read', address: addr(access.address), at: place ? ` at ${place}` : '' },
    evidence: [
      ...exceptionEvidence(model, `${access.kind} access at ${addr(access.address)}`),
      { kind: 'field' as const, path: 'annotations.PAGE_HEAP', note: 'page heap was on: the debugger showed it creating its heaps' },
      ...faultSiteEvidence(model, 'the access that ran past the block'),
    ],
  };
}
