// Issue 12 fact (Hooked Functions), without the module files: an x64 function's first bytes
// checked against its own unwind information. The UNWIND_INFO of every non-leaf x64 function
// records its prolog, each code at the offset just past the instruction it describes, and the
// compiler must emit exactly those instructions there or the function could not be unwound.
// So when the dump holds a function's first bytes and its unwind codes, the first prolog
// instruction can be checked: a `push <reg>` (50+r, or 41 50+r for r8–r15) or a
// stack allocation (`sub rsp, imm`, or `sub rsp, rax` after a stack probe) that the codes place
// first must be there. A hook overwrites those bytes with a jump; the check finds it with no file
// to compare with. Only a jump counts: other bytes could be an encoding the check does not know.
//
// It proves less than a comparison with the file (only the first instruction of functions with
// a prolog, and not the leaf functions, such as ntdll's system-call stubs, that hooks often
// patch), and it is bounded: at most MAX_PROLOGS_CHECKED functions per dump, only where the
// dump holds the function's first bytes.
import { u32 } from '../../io/little-endian.ts';
import type { DumpMemory } from '../../memory/dump-memory.ts';
import { fileNameOf } from '../../names/module-names.ts';
import { readUnwindInfo, UNW_FLAG_CHAININFO, type UnwindCode } from '../../pe/unwind-info.ts';
import type { ModuleIndex } from '../../unwind/module-index.ts';
import { callSiteOf, nameAddress } from '../../unwind/symbolize.ts';
import { frameText } from '../../core/frame-text.ts';
import { hex } from '../../core/hex.ts';
import type { CodePatch, Warning } from '../../core/dump-model.ts';
import { decodeJumpCovering, rangesOverlapping } from './code-patches.ts';

/** Functions checked per dump, all modules together. */
export const MAX_PROLOGS_CHECKED = 200_000;
/** Module images opened for it (a real process has a few hundred modules). */
export const MAX_IMAGES_OPENED = 1024;
/** Mismatches kept per dump. */
const MAX_MISMATCHES = 64;
/** Bytes read at each function's start. */
const HEAD = 16;

/**
 * The encodings the first prolog instruction may have, each ending at the code's offset, or
 * null when it varies too much to check. A `push <reg>` is 50+r (41 50+r for r8–r15; a REX
 * prefix before it, as hot-patchable code has, ends at the same offset). A stack allocation is
 * `sub rsp, imm8` or `sub rsp, imm32`, `sub rsp, rax` after a stack probe for large frames, or,
 * for 8 bytes, a `push` of any register, as clang writes it.
 */
function expectedFirst(codes: readonly UnwindCode[]): { end: number; encodings: number[][] } | null {
  const prolog = codes.filter((c) => c.op !== 'UWOP_EPILOG');
  if (prolog.length === 0) return null;
  // Codes are listed last instruction first: the smallest offset is the first instruction.
  const first = prolog.reduce((a, b) => (b.codeOffset < a.codeOffset ? b : a));
  if (first.op === 'UWOP_PUSH_NONVOL') {
    const r = first.register;
    return { end: first.codeOffset, encodings: [r < 8 ? [0x50 + r] : [0x41, 0x50 + (r - 8)]] };
  }
  if (first.op === 'UWOP_ALLOC_SMALL' || first.op === 'UWOP_ALLOC_LARGE') {
    const size = first.size;
    const imm32 = [size & 0xff, (size >>> 8) & 0xff, (size >>> 16) & 0xff, (size >>> 24) & 0xff];
    const encodings = [[0x48, 0x81, 0xec, ...imm32], [0x48, 0x29, 0xc4], [0x48, 0x2b, 0xe0]];
    if (size < 0x80) encodings.push([0x48, 0x83, 0xec, size]);
    if (size === 8) for (let r = 0; r < 16; r++) encodings.push(r < 8 ? [0x50 + r] : [0x41, 0x50 + (r - 8)]);
    return { end: first.codeOffset, encodings };
  }
  return null;
}

function bytesText(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

export interface PrologCheck {
  checked: number;
  patches: CodePatch[];
}

/**
 * Checks the first prolog instruction of each x64 function whose start the dump holds, in every
 * module whose image (from dump memory or a given file) has a function table.
 */
export async function checkPrologs(modules: ModuleIndex, memory: DumpMemory, warnings: Warning[], timeUp: () => boolean): Promise<PrologCheck> {
  const out: PrologCheck = { checked: 0, patches: [] };
  let cut = false;
  let images = 0;
  for (const m of modules.modules) {
    if (timeUp() || out.checked >= MAX_PROLOGS_CHECKED) break;
    // Cheap refusal: a module none of whose pages the dump holds has nothing to check.
    if (rangesOverlapping(memory, m.base, m.base + m.size).next().done) continue;
    if (++images > MAX_IMAGES_OPENED) {
      warnings.push({ kind: 'cap-count', message: `function prologs checked in the first ${MAX_IMAGES_OPENED} modules whose code the dump holds` });
      break;
    }
    const image = await m.image();
    const table = image && image.is64 ? await image.functionTable() : null;
    if (!image || !table) continue;
    for (let i = 0; i < table.count; i++) {
      if (out.checked >= MAX_PROLOGS_CHECKED) {
        cut = true;
        break;
      }
      if ((i & 0x3ff) === 0 && timeUp()) return out;
      const fn = await table.entry(i);
      if (!fn) continue;
      const start = m.base + BigInt(fn.begin);
      if (!memory.rangeAt(start)) continue;
      const head = await memory.read(start, HEAD);
      if (!head) continue;
      const flags = await image.read(fn.unwindInfo, 4);
      // A chained entry continues another fragment's prolog: its start is not a prolog.
      if (!flags || ((u32(flags, 0) & 0xff) >> 3) & UNW_FLAG_CHAININFO) continue;
      const info = await readUnwindInfo(image.reader, fn.unwindInfo, fn);
      if (!info.ok || info.info.chained) continue;
      const want = expectedFirst(info.info.codes);
      if (!want || want.end > HEAD || want.end <= 0) continue;
      out.checked++;
      if (want.encodings.some((e) => want.end >= e.length && e.every((b, k) => head[want.end - e.length + k] === b))) continue;
      // Without the file only a jump in place of the prolog counts: other bytes may be an
      // encoding this check does not know.
      const jump = await decodeJumpCovering(start, { memory });
      if (jump === null || out.patches.length >= MAX_MISMATCHES) continue;
      const shortest = Math.min(...want.encodings.map((e) => e.length));
      out.patches.push({
        basis: 'unwind info',
        module: fileNameOf(m.name),
        address: hex(start),
        place: frameText(callSiteOf(await nameAddress(start, modules), start)),
        length: want.end,
        found: bytesText(head.subarray(0, Math.max(want.end, 12))),
        expected: bytesText(want.encodings.find((e) => e.length === shortest)!),
        jumpTarget: hex(jump),
        jumpTargetPlace: frameText(callSiteOf(await nameAddress(jump, modules), jump)),
      });
    }
  }
  if (cut) warnings.push({ kind: 'cap-count', message: `function prologs checked against unwind information stopped at ${MAX_PROLOGS_CHECKED}` });
  return out;
}
