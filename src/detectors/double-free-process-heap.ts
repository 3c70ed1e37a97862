// Double Free (Process Heap): a heap block was freed a second time (or a pointer the heap never
// handed out was freed). The heap manager checks the block it is given: on Windows 8 and later
// it stops the process with STATUS_HEAP_CORRUPTION and WinDbg's analysis names the failure
// ("BlockNotBusy_DOUBLE_FREE" in the bucket); with the debug heap (a process started under a
// debugger, or heap checking on) it prints "HEAP[app.exe]: Invalid address specified to
// RtlFreeHeap( heap, block )" and breaks in RtlpBreakPointHeap; Application Verifier's heap
// checks stop with "heap block already freed". All of these name the free call, not the first
// free: that one has returned long ago.
import type { DumpModel, Frame } from '../engine/core/dump-model.ts';
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { exceptionEvidence, framesEvidence, threadNoun } from './lib/exception-evidence.ts';
import { faultingThread } from './lib/model-queries.ts';
import { runtimeName } from './lib/runtime-functions.ts';
import { isSystemFrame } from './lib/system-modules.ts';

/** Annotation keys where WinDbg's analysis names the failure bucket. */
const BUCKET_KEYS = ['FAILURE_BUCKET_ID', 'Failure.Bucket', 'DEFAULT_BUCKET_ID', 'BUCKET_ID', 'PRIMARY_PROBLEM_CLASS'];
const BUCKET_DOUBLE_FREE = /DOUBLE_FREE/;
/** Application Verifier's "heap block already freed" stop (the Heaps layer). */
const VERIFIER_ALREADY_FREED = 0x7;
/** The heap manager's debug-heap message for a free of a block it does not hold as busy. */
const INVALID_FREE = /Invalid address specified to RtlFreeHeap/i;
const ALREADY_FREED = /already freed|double free/i;

/** The heap's free path, where the block handed to it is checked. */
const FREE_FUNCTIONS = new Set(['RtlFreeHeap', 'RtlpFreeHeap', 'RtlpFreeHeapInternal', 'RtlDebugFreeHeap', 'HeapFree', 'free', '_free_base', '_free_dbg', 'operator delete']);
/** The heap's checks that find a bad block and report it. */
const CHECK_FUNCTIONS = new Set(['RtlpBreakPointHeap', 'RtlpValidateHeapEntry', 'RtlpLogHeapFailure', 'RtlpHeapHandleError', 'RtlpHpHeapHandleError', 'RtlReportCriticalFailure']);

/** The debug heap's validation of a block handed to it, which breaks into the debugger. */
const DEBUG_CHECKS = new Set(['RtlpBreakPointHeap', 'RtlpValidateHeapEntry']);

function named(f: Frame, names: ReadonlySet<string>): boolean {
  return f.symbol !== null && f.trust !== 'scan' && names.has(runtimeName(f.symbol));
}

function bucketOf(model: DumpModel): { key: string; value: string } | null {
  for (const key of BUCKET_KEYS) {
    const value = model.annotations[key];
    if (value && BUCKET_DOUBLE_FREE.test(value)) return { key, value };
  }
  return null;
}

export default defineDetector({
  id: 'double-free-process-heap',
  messages: {
    analysis: "WinDbg's analysis classified the heap failure as a double free ({{bucket}}){{during}}.",
    verifier: 'Application Verifier stopped the process: a heap block was freed that was already freed ({{stop}}){{during}}.',
    heapMessage: 'The heap manager rejected a free: "{{message}}"{{during}}. The block was not an allocated block of that heap: freed already (a double free), or never allocated from it.',
    freeCheck: "The heap manager's check of the block being freed failed{{during}}: a double free, a pointer that did not come from this heap, or a damaged block header.",
  },
  detect(model) {
    const thread = faultingThread(model);
    const frames = thread?.frames ?? [];
    const checks = frames.filter((f) => named(f, CHECK_FUNCTIONS));
    const frees = frames.filter((f) => named(f, FREE_FUNCTIONS));
    // The free the program called: the first frame after the heap's own run that is not the system's.
    const lastFree = frees[frees.length - 1];
    const caller = lastFree ? frames.find((f) => f.index > lastFree.index && !isSystemFrame(f) && !named(f, FREE_FUNCTIONS)) : undefined;
    const during = lastFree ? `, in ${frameText(lastFree)}${caller ? ` called from ${frameText(caller)}` : ''}` : '';
    const evidence: Evidence[] = [];
    if (model.exception) evidence.push(...exceptionEvidence(model, model.exception.name ?? model.exception.code));
    if (thread) {
      if (checks.length > 0) evidence.push(...framesEvidence(thread, checks.map((f) => f.index), 'the heap manager checking the block'));
      if (frees.length > 0) evidence.push(...framesEvidence(thread, frees.map((f) => f.index), `the free, on ${threadNoun(thread)}`));
      if (caller) evidence.push(...framesEvidence(thread, [caller.index], 'the code that freed the block'));
    }

    const bucket = bucketOf(model);
    if (bucket) {
      evidence.unshift({ kind: 'field', path: `annotations.${bucket.key}`, note: "the analysis's failure bucket" });
      return [{ confidence: 'certain', messageId: 'analysis', data: { bucket: bucket.value, during }, evidence }];
    }
    const stop = model.annotations['VERIFIER_STOP'];
    if (stop && Number.parseInt(stop, 16) === VERIFIER_ALREADY_FREED) {
      evidence.unshift({ kind: 'field', path: 'annotations.VERIFIER_STOP', note: "Application Verifier's stop" });
      return [{ confidence: 'certain', messageId: 'verifier', data: { stop: `VERIFIER STOP ${stop}`, during }, evidence }];
    }
    const message = model.annotations['HEAP_ERROR'];
    if (message && (INVALID_FREE.test(message) || ALREADY_FREED.test(message))) {
      evidence.unshift({ kind: 'field', path: 'annotations.HEAP_ERROR', note: "the heap manager's message to the debugger" });
      return [{ confidence: ALREADY_FREED.test(message) ? 'certain' : 'likely', messageId: 'heapMessage', data: { message, during }, evidence }];
    }
    // Without the heap's words: the debug heap's validation of the block being freed breaking
    // in is all the stack says (a fatal-failure report during a free has more causes).
    const validation = checks.some((f) => DEBUG_CHECKS.has(runtimeName(f.symbol!)));
    if (validation && frees.length > 0 && model.exception) {
      return [{ confidence: 'possible', messageId: 'freeCheck', data: { during }, evidence }];
    }
    return [];
  },
});
