// Hooked Functions: code in memory differs from the module file it was loaded from — the first
// bytes of a function overwritten with a jump to somewhere else (a detour: security software,
// an injected DLL, a profiler, malware, or the program's own patching). The call then runs the
// hook's code, and a crash in or after it belongs to whoever installed the hook.
//
// Two comparisons find it (codeIntegrity in the model). With the module files given beside the
// dump, every byte of code the dump holds is compared with the file, relocations applied: a
// differing run that decodes as a jump (jmp rel32, jmp [rip], mov rax/jmp rax, push/ret) is
// certain, other differences (a breakpoint byte left in, a patched instruction) likely. Without
// the files, an x64 function's first bytes are checked against its own unwind codes, which say
// what its prolog's first instruction is: a jump in its place is likely a hook (other bytes are
// not reported: they could be an encoding the check does not know). Leaf functions (no unwind
// codes) and x86 code are only seen with the files.
import type { CodePatch } from '../engine/core/dump-model.ts';
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { big } from '../engine/core/hex.ts';
import { plural } from './lib/model-queries.ts';

/** Patches named in the summary, at most. */
const LISTED = 3;

function describe(p: CodePatch): string {
  const to = p.jumpTargetPlace ?? p.jumpTarget;
  return to ? `${p.place} jumps to ${to}` : `${p.place} (${p.length} bytes changed)`;
}

export default defineDetector({
  id: 'hooked-functions',
  messages: {
    hooked: 'Code in memory was changed after it was loaded, in {{count}}: {{list}}{{more}}{{basis}}.',
  },
  detect(model) {
    const integrity = model.codeIntegrity;
    if (!integrity || integrity.patches.length === 0) return [];
    const patches = [...integrity.patches].sort((a, b) => Number(b.jumpTarget !== null) - Number(a.jumpTarget !== null));
    const jumps = patches.filter((p) => p.jumpTarget !== null);
    const evidence: Evidence[] = patches.slice(0, LISTED).map((p) => ({
      kind: 'module' as const,
      name: model.modules.find((m) => m.name.toLowerCase().endsWith(p.module.toLowerCase()) && big(p.address) >= big(m.base) && big(p.address) < big(m.base) + big(m.size))?.name ?? p.module,
      note: `${p.place}: ${p.found} in memory, ${p.expected} ${p.basis === 'module file' ? 'in the file' : 'by its unwind codes'}`,
    }));
    evidence.push({
      kind: 'field',
      path: 'codeIntegrity',
      note: `code compared with ${plural(integrity.modules.length, 'module file')}; ${plural(integrity.prologsChecked, 'function prolog')} checked against unwind codes`,
    });
    // Frames that run inside the hook's target or at the patched bytes.
    for (const t of model.threads) {
      const at = t.frames.filter((f) => patches.some((p) => {
        const a = big(f.address);
        const start = big(p.address);
        return (a >= start && a < start + BigInt(p.length)) || (p.jumpTarget !== null && a >= big(p.jumpTarget) && a < big(p.jumpTarget) + 0x400n && f.index === 0);
      }));
      if (at.length > 0) evidence.push({ kind: 'frames', threadId: t.id, view: 'native', frames: at.map((f) => f.index), note: 'running in patched code or in the hook it jumps to' });
    }
    const fromFile = patches.filter((p) => p.basis === 'module file');
    // The file proves a change, and a jump makes it a hook; a jump where a function's own unwind
    // codes put its prolog is a hook short of that proof (damaged unwind data could say the same).
    const confidence = fromFile.some((p) => p.jumpTarget !== null) ? 'certain' : 'likely';
    return [
      {
        confidence,
        messageId: 'hooked',
        data: {
          count: plural(patches.length, 'place'),
          list: patches.slice(0, LISTED).map(describe).join('; '),
          more: patches.length > LISTED ? `; and ${patches.length - LISTED} more` : '',
          jumps: jumps.length,
          basis:
            fromFile.length > 0
              ? ' (compared with the module files given)'
              : ' (the first bytes contradict the functions\' own unwind codes; give the module files beside the dump to compare every byte)',
        },
        evidence,
      },
    ];
  },
});
