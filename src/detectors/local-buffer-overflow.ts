// Local Buffer Overflow: a function wrote past the end of a buffer on its own stack and over
// what lies above it: saved registers, the return address, the caller's locals. Built with
// stack protection (/GS, -fstack-protector) the function's epilogue finds its cookie changed
// and stops the process: __report_gsfailure with FAST_FAIL_STACK_COOKIE_CHECK_FAILURE (or the
// legacy STATUS_STACK_BUFFER_OVERRUN with no parameter), __stack_chk_fail. Without it the
// function returns into whatever the overflow left in the return slot; when that is text, the
// return address reads as characters ("AAAA", " the Thi"), which is the overflow's signature.
import type { Frame } from '../engine/core/dump-model.ts';
import type { Evidence } from '../engine/report/schema.ts';
import { big, hex } from '../engine/core/hex.ts';
import { archBits } from '../engine/core/arch.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { executedAt, faultAccess, fastFailCode, faultPlace, moduleAt, STATUS, windowsCode } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultingFramesEvidence, faultSiteEvidence } from './lib/exception-evidence.ts';
import { faultingThread } from './lib/model-queries.ts';
import { runtimeFrames } from './lib/runtime-functions.ts';
import { scanCapped } from './lib/scanned-frames.ts';

const GS_SUBCODES = new Set([0 /* FAST_FAIL_LEGACY_GS_VIOLATION */, 2 /* FAST_FAIL_STACK_COOKIE_CHECK_FAILURE */]);
const COOKIE_CHECKS = new Set(['__report_gsfailure', '__security_check_cookie', '__GSHandlerCheck', '__GSHandlerCheckCommon', '__GSHandlerCheck_SEH', '__stack_chk_fail', '__stack_chk_fail_local']);
/** RET, RET imm16 and REP RET (the forms compilers emit), as hex at the start of the fault's code. */
const RETURNS = ['c3', 'c2', 'f3c3'];
/** Frames trusted to have read the return slot itself, not guessed it. */
const READ_FROM_SLOT = new Set<Frame['trust']>(['unwind-info', 'frame-pointer', 'text']);

/** The value's bytes as text when nearly all of them are printable ASCII, else null. */
function asText(value: bigint, bytes: number): string | null {
  let text = '';
  let printable = 0;
  for (let i = 0; i < bytes; i++) {
    const c = Number((value >> BigInt(8 * i)) & 0xffn);
    if (c >= 0x20 && c < 0x7f) {
      printable++;
      text += String.fromCharCode(c);
    } else text += '.';
  }
  // One byte may be a NUL terminator or a partial overwrite of the old address.
  return printable >= bytes - 1 ? text : null;
}

export default defineDetector({
  id: 'local-buffer-overflow',
  messages: {
    cookie: '{{subject}} failed a stack cookie check ({{how}}){{at}}: a function overran a buffer on its stack and the check caught it on return.',
    textReturn: '{{subject}} returned to {{address}}, which reads as text ("{{text}}"){{at}}: a string written into a buffer on the stack ran over the return address of {{victim}}.',
  },
  detect(model) {
    const e = model.exception;
    const code = windowsCode(model);
    if (!e) return [];
    const thread = faultingThread(model);
    const subject = exceptionSubject(model);
    const place = faultPlace(model);
    const at = place ? ` at ${place}` : '';
    const checks = runtimeFrames(thread, COOKIE_CHECKS);
    const evidence: Evidence[] = [...exceptionEvidence(model, e.name ?? e.code, ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID'])];

    if (code === STATUS.STACK_BUFFER_OVERRUN) {
      const sub = fastFailCode(e);
      if (sub === null || GS_SUBCODES.has(sub.code)) {
        if (checks.frames.length > 0) evidence.push(...faultingFramesEvidence(model, checks.frames.map((f) => f.index), 'the stack cookie check'));
        evidence.push(...faultSiteEvidence(model, 'where the check stopped the process'));
        return [{ confidence: 'certain', messageId: 'cookie', data: { subject, how: sub ? sub.name : 'STATUS_STACK_BUFFER_OVERRUN with no sub-code: a /GS report', at }, evidence }];
      }
      return [];
    }
    if (checks.frames.length > 0) {
      evidence.push(...faultingFramesEvidence(model, checks.frames.map((f) => f.index), 'the stack cookie check'));
      return [{ confidence: scanCapped('certain', checks.frames), messageId: 'cookie', data: { subject, how: checks.frames[0]!.symbol!, at }, evidence }];
    }

    // No protection: the CPU faults on the return into text. On x64 a text address is not
    // canonical, so the `ret` itself faults and the text is the caller frame's address, read
    // from the return slot by the unwinder; on x86 the CPU jumps there and faults executing it.
    const access = faultAccess(model);
    if (!access || !thread) return [];
    const bits = archBits(model.system.arch) === 32 || model.process.bitness === 32 ? 4 : 8;
    const executed = executedAt(access);
    if (executed !== null && moduleAt(model, executed) === null) {
      const text = asText(executed, bits);
      if (text) {
        evidence.push(...faultSiteEvidence(model, 'the return into text'));
        return [{ confidence: 'likely', messageId: 'textReturn', data: { subject, address: hex(executed), text, at: '', victim: 'the function that returned here' }, evidence }];
      }
    }
    // A minidump: the faulting instruction is a return and the word it returns to is text.
    const fb = model.faultBytes;
    const ret = fb?.code ? RETURNS.some((r) => fb.code!.startsWith(r)) : false;
    const slot = fb?.stack[0];
    if (ret && slot !== undefined) {
      const value = big(slot);
      const text = moduleAt(model, value) === null ? asText(value, bits) : null;
      if (text) {
        evidence.push(...faultSiteEvidence(model, 'the return that faulted'), { kind: 'field', path: 'faultBytes', note: 'the ret instruction and the overwritten return address at the stack pointer' });
        return [{ confidence: 'likely', messageId: 'textReturn', data: { subject, address: slot, text, at, victim: place ?? 'the faulting function' }, evidence }];
      }
    }
    // Debugger text: the caller's frame, read from the return slot by the debugger's walk.
    const frame0 = thread.frames[0];
    const caller = thread.frames[1];
    if (frame0?.trust === 'context' && caller && READ_FROM_SLOT.has(caller.trust)) {
      const value = big(caller.address);
      const text = moduleAt(model, value) === null ? asText(value, bits) : null;
      if (text) {
        evidence.push(...faultingFramesEvidence(model, [0], 'the function returning'), ...faultingFramesEvidence(model, [1], 'its return address, overwritten with text'));
        return [{ confidence: 'likely', messageId: 'textReturn', data: { subject, address: hex(value), text, at, victim: place ?? 'the faulting function' }, evidence }];
      }
    }
    return [];
  },
});
