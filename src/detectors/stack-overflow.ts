// Stack Overflow: a thread used up its stack. Windows raises STATUS_STACK_OVERFLOW when the
// guard page below the committed stack is touched and no more can be committed; on Linux the
// thread gets SIGSEGV at an address just below its stack pointer.
import type { Evidence } from '../engine/report/schema.ts';
import type { Frame, Thread } from '../engine/core/dump-model.ts';
import { big } from '../engine/core/hex.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { addr, faultAccess, faultPlace, STATUS, windowsCode, exceptionConfidence } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultSiteEvidence } from './lib/exception-evidence.ts';
import { faultingThread } from './lib/model-queries.ts';
import { frameText } from '../engine/core/frame-text.ts';

/** How far below the stack pointer a fault still counts as running off the stack's end. */
const GUARD_REACH = 0x10000n;
const MAX_HIGHLIGHTED = 64;

export default defineDetector({
  id: 'stack-overflow',
  messages: {
    overflow: '{{subject}} overflowed its stack{{at}}{{depth}}.',
    belowStackPointer: '{{subject}} faulted at {{address}}, just below its stack pointer {{sp}}{{at}}: it ran off the end of its stack{{depth}}.',
  },
  detect(model) {
    const e = model.exception;
    if (!e) return [];
    const thread = faultingThread(model);
    const recursion = thread ? repeatedFrames(thread.frames) : null;
    const evidence: Evidence[] = [
      ...exceptionEvidence(model, e.name ?? e.code, ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID']),
      ...faultSiteEvidence(model, 'the instruction that touched the guard page'),
    ];
    if (thread && recursion) {
      evidence.push({
        kind: 'frames',
        threadId: thread.id,
        view: 'native',
        frames: recursion.indices.slice(0, MAX_HIGHLIGHTED),
        note: `the same return address ${recursion.count} times: recursion`,
      });
    }
    const place = faultPlace(model);
    const at = place ? ` at ${place}` : '';
    const depth = recursion
      ? `; ${recursion.count} of its ${thread!.frames.length} frames return to ${frameText(recursion.frame)}: recursion${truncated(thread!)}`
      : thread && thread.frames.length > 0
        ? `; no repeating frame among the ${thread.frames.length} recovered: look for large local variables (alloca, big arrays)`
        : '';

    if (windowsCode(model) === STATUS.STACK_OVERFLOW) {
      return [{ confidence: exceptionConfidence(model, 'certain'), messageId: 'overflow', data: { subject: exceptionSubject(model), at, depth }, evidence }];
    }

    // Not the stack-overflow code, but a fault just below the stack pointer: the guard page
    // was already used up (a second overflow), or this is Linux, which only has SIGSEGV.
    const access = faultAccess(model);
    const sp = stackPointer(thread);
    if (access && access.kind !== 'execute' && sp !== null && access.address < sp + 0x100n && access.address + GUARD_REACH >= sp) {
      return [
        {
          confidence: 'likely',
          messageId: 'belowStackPointer',
          data: { subject: exceptionSubject(model), address: addr(access.address), sp: addr(sp), at, depth },
          evidence,
        },
      ];
    }
    return [];
  },
});

function stackPointer(thread: Thread | undefined): bigint | null {
  const r = thread?.registers;
  const v = r?.['rsp'] ?? r?.['esp'] ?? r?.['sp'] ?? thread?.frames[0]?.sp ?? null;
  return v ? big(v) : null;
}

/** The return address that repeats most on the stack, when one repeats at least 3 times. */
function repeatedFrames(frames: readonly Frame[]): { frame: Frame; count: number; indices: number[] } | null {
  const byAddress = new Map<string, Frame[]>();
  for (const f of frames) {
    if (f.index === 0) continue;
    const list = byAddress.get(f.address) ?? [];
    list.push(f);
    byAddress.set(f.address, list);
  }
  let best: Frame[] | null = null;
  for (const list of byAddress.values()) if (!best || list.length > best.length) best = list;
  if (!best || best.length < 3) return null;
  return { frame: best[0]!, count: best.length, indices: best.map((f) => f.index) };
}

function truncated(thread: Thread): string {
  return thread.framesNote ? ` (${thread.framesNote})` : '';
}
