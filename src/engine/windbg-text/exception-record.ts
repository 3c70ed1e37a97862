// The model's exception record, put together from whatever the log printed of it: `.exr`
// (the most exact), the event line, `!analyze -v`'s fields (ERROR_CODE, EXCEPTION_PARAMETER1,
// READ_ADDRESS, FAULTING_IP…) and the faulting instruction shown under the event line or by
// `.ecxr`. Each field takes the first source that has it; an address no source gave stays
// unknown (see exceptionAddressKnown), never guessed.
import { chanceFromComment } from '../core/exception-chance.ts';
import { code32, hex, parseHex } from '../core/hex.ts';
import type { ExceptionRecord } from '../core/dump-model.ts';
import { describeCode } from '../names/exception-codes.ts';
import { parseErrorCode } from './analyze-v.ts';
import { chosenStop, inferredFault } from './event-stops.ts';
import { labelModuleSymbol, parseDisassembly } from './exception-line.ts';
import { parseCallSite, type CallSite } from './frame-line.ts';
import { memoryAccess } from './instruction-operands.ts';
import type { EventStop, ReaderState, ShownInstruction } from './reader-state.ts';
import { UNLOADED } from './text-frames.ts';

/** ntdll/win32u system-call stubs: where a thread sits in a wait, never where it faults. */
function isSyscallStub(label: string): boolean {
  return /^(?:ntdll\w*|win32u)!(?:Nt|Zw)[A-Za-z]+(?:\+0x[0-9a-f]+)?$|!KiFastSystemCallRet(?:\+0x0)?$|^wow64cpu!/i.test(label);
}

/**
 * Old `!analyze -v` prints the faulting instruction under FAULTING_IP: its symbol (offset in
 * hex without "0x": "App!Crash+17") and the disassembly line with its address.
 */
function faultingIp(value: string | undefined): { address: bigint; site: CallSite | null } | null {
  if (!value) return null;
  const [label, code] = value.split('\n');
  const dis = code ? parseDisassembly(code) : null;
  if (!dis || !label) return null;
  const site = parseCallSite(label.trim().replace(/\+([0-9a-f]+)$/i, '+0x$1'));
  return { address: dis.address, site };
}

/** The first address-width number (8 or 16 hex digits, as WinDbg prints addresses) of an annotation. */
function firstHex(text: string | undefined): bigint | null {
  if (!text) return null;
  for (const tok of text.split(/\s+/)) {
    const v = parseHex(tok);
    if (v !== null && /^[0-9a-f`]{8,17}$/i.test(tok)) return v;
  }
  return null;
}

/**
 * The instruction under the event line, when it is the faulting one. Opening a dump whose
 * exception is stored apart (".ecxr" shows it), WinDbg shows the thread where it sat when the
 * dump was written, typically a system call inside the crash handler's wait: that is not
 * where the exception happened.
 */
function eventFaultIp(s: ReaderState, stop: EventStop | null): ShownInstruction | null {
  if (!stop) return null;
  if (stop.ecxrIp) return stop.ecxrIp;
  const ip = stop.eventIp ?? stop.shownIp;
  if (!ip) return null;
  if (s.exception.stored && ip.label && isSyscallStub(ip.label)) return null;
  return ip;
}

/**
 * The bytes of the faulting instruction as the debugger printed them, for model.faultBytes:
 * only when that instruction stands at the exception's address (a stop elsewhere, or a record
 * that names another address, says nothing of the code at the fault).
 */
export function faultInstructionBytes(s: ReaderState, exception: ExceptionRecord | null): string | null {
  const ip = eventFaultIp(s, chosenStop(s));
  if (!ip || exception?.address == null || BigInt(exception.address) !== ip.address) return null;
  return ip.bytes.slice(0, 32);
}

/** The text told the exception's address (one of `.exr`, the event line, FAULTING_IP). */
export function exceptionAddressKnown(s: ReaderState, annotations: Record<string, string>): boolean {
  const stop = chosenStop(s);
  return (stop !== null && stop.record.address !== null) || eventFaultIp(s, stop) !== null || faultingIp(annotations['FAULTING_IP']) !== null;
}

/** The faulting thread's registers and the process's width, for an operand's address. */
export interface FaultContext {
  regs: ReadonlyMap<string, bigint> | null;
  bits: 32 | 64;
  /** The dump writer's comment (procdump says whether the exception was unhandled). */
  comment: string | null;
  /** Frame 0 of the faulting thread's stack, as module and symbol. */
  top?: { module: string | null; symbol: string | null } | null;
}

export function buildException(
  s: ReaderState,
  annotations: Record<string, string>,
  faultingTid: number | null,
  fault: FaultContext = { regs: null, bits: 64, comment: null },
): ExceptionRecord | null {
  const stop = chosenStop(s);
  const e = stop?.record ?? { code: null, codeText: null, address: null, site: null, flags: null, parameters: new Map<number, bigint>(), attempt: null, sealed: false };
  const line = stop?.line ?? null;
  const errorCode = annotations['ERROR_CODE'] ? parseErrorCode(annotations['ERROR_CODE']) : null;
  const codeStr = annotations['EXCEPTION_CODE_STR'] ? parseErrorCode(annotations['EXCEPTION_CODE_STR']) : null;
  const exceptionCode = annotations['EXCEPTION_CODE'] ? parseErrorCode(annotations['EXCEPTION_CODE']) : null;
  const stated = e.code ?? line?.code ?? codeStr?.code ?? exceptionCode?.code ?? errorCode?.code ?? null;
  const inferred = stated === null && inferredFault(stop);
  const code = stated ?? (inferred ? 0xc0000005 : null);
  if (code === null) return null;

  const params: bigint[] = [];
  for (let i = 0; e.parameters.has(i); i++) params.push(e.parameters.get(i)!);
  if (params.length === 0) {
    const p1 = firstHex(annotations['EXCEPTION_PARAMETER1']);
    const p2 = firstHex(annotations['EXCEPTION_PARAMETER2']);
    if (p1 !== null) params.push(p1);
    if (p1 !== null && p2 !== null) params.push(p2);
  }

  let access: ExceptionRecord['access'] = null;
  // An access violation / in-page error says what it tried in Parameter[0] and where in [1].
  if ((code === 0xc0000005 || code === 0xc0000006) && params.length >= 2) {
    const kind = params[0] === 0n ? 'read' : params[0] === 1n ? 'write' : params[0] === 8n ? 'execute' : 'unknown';
    access = { kind, address: hex(params[1]!) };
  } else if (e.attempt) {
    access = { kind: e.attempt.access, address: hex(e.attempt.address) };
  } else if (code === 0xc0000005) {
    const read = firstHex(annotations['READ_ADDRESS']);
    const write = firstHex(annotations['WRITE_ADDRESS']);
    if (write !== null) access = { kind: 'write', address: hex(write) };
    else if (read !== null) access = { kind: 'read', address: hex(read) };
  }
  const eventIp = eventFaultIp(s, stop);
  // No record said what the access violation tried: the faulting instruction's operand does.
  if (access === null && code === 0xc0000005 && eventIp) {
    const op = memoryAccess(eventIp.text, fault.regs, fault.bits);
    if (op) access = { kind: op.kind, address: hex(op.address) };
  }

  const named = describeCode(code);
  const debuggerText =
    (errorCode && errorCode.code === code ? errorCode.text : null) ??
    e.codeText ??
    (line && line.code === code && !/^(?:Unknown exception|Exception)$/i.test(line.text) ? line.text : null);

  let module: string | null = e.site?.module ?? null;
  let symbol: string | null = e.site?.symbol ?? null;
  const fip = faultingIp(annotations['FAULTING_IP']);
  // The label under the event line names the place even when the paste cut its instruction off.
  const cutLabel = stop?.ipLabel && !(s.exception.stored && isSyscallStub(stop.ipLabel)) ? stop.ipLabel : null;
  const label = eventIp?.label ?? cutLabel;
  if (!module && e.address === null && label) {
    ({ module, symbol } = labelModuleSymbol(label));
  }
  // A live session stopped at the event: the event thread's own stack starts at the fault
  // (a dump's thread state does not: its exception is stored apart, ".ecxr" shows it).
  if (!module && e.address === null && !eventIp && !fip && line?.chance != null && !s.exception.stored && fault.top?.module) {
    module = fault.top.module;
    symbol = fault.top.symbol;
  }
  if (!module && e.address === null && !eventIp && fip?.site) {
    module = fip.site.module;
    symbol = fip.site.symbol;
  }
  // "<Unloaded_PrintHook.dll>+0x1a2b": no module holds the address any more.
  if (module && UNLOADED.test(module)) {
    module = null;
    symbol = null;
  }
  // Unknown stays unknown: null, with `missing` saying "exception address" (model-assembly.ts).
  const address = e.address ?? eventIp?.address ?? fip?.address ?? null;
  const record: ExceptionRecord = {
    code: code32(code),
    name: named.name,
    description: named.description ?? debuggerText,
    flags: hex(e.flags ?? 0n),
    address: address === null ? null : hex(address),
    threadId: faultingTid,
    parameters: params.map((p) => hex(p)),
    access,
    chance: line?.chance ?? chanceFromComment(fault.comment),
    module,
    symbol,
  };
  if (inferred) record.inferred = true;
  return record;
}
