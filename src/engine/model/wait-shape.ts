// Which kind of wait a stack shows at its top, read from frame names: entering a critical
// section, waiting for one handle, or for several. Both readers ask it (the minidump's wait
// recovery, to know where to look for the lock's address or the handle; the text reader's, to
// pair a kb argument with `!locks`), so both name the same frames as the wait's evidence.
import type { Frame } from '../core/dump-model.ts';
import { big } from '../core/hex.ts';
import {
  CRITICAL_SECTION_FUNCTIONS,
  MULTIPLE_OBJECT_WAITS,
  SINGLE_OBJECT_WAITS,
  WAIT_SYSTEM_CALLS,
  waitTableName,
} from '../names/wait-function-names.ts';

export type WaitFamily = 'critical-section' | 'single-object' | 'multiple-objects';

export interface WaitShape {
  family: WaitFamily;
  /** Index (in the stack) of the first frame of the wait: the system call or the innermost wait function. */
  first: number;
  /** Index of the outermost wait function: the API the program called (RtlEnterCriticalSection, WaitForSingleObject). */
  api: number;
  /** Indices of the critical-section functions in the run, innermost first (their first argument is the section). */
  sectionFrames: number[];
  /** Index of the frame that called the API, when the stack has one. */
  caller: number | null;
  /** The frames that show the wait, for evidence: first..api, then the caller. */
  frames: number[];
}

const CS = new Set(CRITICAL_SECTION_FUNCTIONS);
const SINGLE = new Set(SINGLE_OBJECT_WAITS);
const MULTIPLE = new Set(MULTIPLE_OBJECT_WAITS);
const ANY = new Set([...CRITICAL_SECTION_FUNCTIONS, ...SINGLE_OBJECT_WAITS, ...MULTIPLE_OBJECT_WAITS, ...WAIT_SYSTEM_CALLS]);

/**
 * The modules these waits run through. The run of the wait stops at the first frame outside
 * them: that frame is the program's (or another library's) call. WinDbg prints the 32-bit
 * ntdll of a WOW64 process as "ntdll_77xx0000": the suffix is dropped.
 */
const WAIT_MODULES = new Set(['ntdll', 'kernelbase', 'kernel32', 'wow64', 'wow64cpu', 'wow64win']);

/** A wait shows within the first frames: after at most a KiFastSystemCallRet, a WOW64 thunk or a timed-out section's DbgBreakPoint. */
const WAIT_WITHIN = 4;
/** How far the run of the wait is followed. */
const MAX_RUN = 16;
/** A name farther than this from its symbol is a nearest export before some other function. */
const MAX_CREDIBLE_OFFSET = 0x1000n;

function moduleKey(module: string | null): string | null {
  if (module === null) return null;
  return module.toLowerCase().replace(/\.(dll|exe)$/, '').replace(/_[0-9a-f]{8}(?:[0-9a-f]{8})?$/, '');
}

function tableName(f: Frame): string | null {
  if (f.symbol === null) return null;
  if (f.offset !== null && big(f.offset) > MAX_CREDIBLE_OFFSET) return null;
  return waitTableName(f.symbol);
}

function inWaitModule(f: Frame): boolean {
  const key = moduleKey(f.module);
  return key !== null && WAIT_MODULES.has(key);
}

export function waitShape(frames: readonly Frame[]): WaitShape | null {
  let first = -1;
  for (let i = 0; i < Math.min(WAIT_WITHIN, frames.length); i++) {
    const n = tableName(frames[i]!);
    if (n !== null && ANY.has(n) && inWaitModule(frames[i]!)) {
      first = i;
      break;
    }
  }
  if (first < 0) return null;
  let end = first;
  while (end < frames.length && end < first + MAX_RUN && inWaitModule(frames[end]!)) end++;
  const sectionFrames: number[] = [];
  let api = first;
  let outerObject: string | null = null;
  for (let i = first; i < end; i++) {
    const n = tableName(frames[i]!);
    if (n === null) continue;
    if (CS.has(n)) {
      sectionFrames.push(i);
      api = i;
    } else if (SINGLE.has(n) || MULTIPLE.has(n)) {
      if (sectionFrames.length === 0) {
        api = i;
        outerObject = n;
      }
    }
  }
  let family: WaitFamily;
  if (sectionFrames.length > 0) family = 'critical-section';
  else if (outerObject !== null) family = SINGLE.has(outerObject) ? 'single-object' : 'multiple-objects';
  else return null;
  const caller = api + 1 < frames.length ? api + 1 : null;
  const frameList: number[] = [];
  for (let i = first; i <= api; i++) frameList.push(frames[i]!.index);
  if (caller !== null) frameList.push(frames[caller]!.index);
  return { family, first, api, sectionFrames, caller, frames: frameList };
}
