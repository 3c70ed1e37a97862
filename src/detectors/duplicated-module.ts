// Duplicated Module: the same DLL loaded twice, from two paths. The loader keys modules by
// path, so a copy left in another folder (an old install, a plugin folder, a side-by-side
// directory) loads as a second module with its own globals, its own heap state and its own
// exports: two singletons, two loggers, objects freed by the copy that did not allocate them.
// WinDbg names the second copy with its base appended ("plugin_7ff81234").
//
// The module list proves it: two loaded modules with the same file name at different bases.
// Certain when both copies have the same size and link timestamp (the same file twice); likely
// when they differ (two versions of one DLL — which one a caller got depends on who loaded
// it). System DLLs a WOW64 process legitimately has twice (the 64-bit and the 32-bit ntdll)
// are not duplicates.
import type { Module } from '../engine/core/dump-model.ts';
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { fileNameOf } from '../engine/names/module-names.ts';
import { moduleKey } from './lib/system-modules.ts';

/** A WinDbg module name with its base appended ("plugin_190000000"): the same file, loaded again. */
const BASE_SUFFIX = /_[0-9a-f]{6,16}$/i;

function key(m: Module): string {
  // The 32-bit copies of system DLLs in a WOW64 process are another module set, not a duplicate.
  return `${m.x86 ? 'x86:' : ''}${moduleKey(fileNameOf(m.name)).replace(BASE_SUFFIX, '')}`;
}

export default defineDetector({
  id: 'duplicated-module',
  messages: {
    duplicated: '{{module}} is loaded {{times}} times, {{how}}: {{places}}{{more}}.',
  },
  detect(model) {
    const groups = new Map<string, Module[]>();
    for (const m of model.modules) {
      if (m.unloaded) continue;
      const k = key(m);
      // Appended in place: copying the group on every member was quadratic in a group of 10^5.
      const group = groups.get(k);
      if (group) group.push(m);
      else groups.set(k, [m]);
    }
    const dups = [...groups.values()].filter((g) => g.length > 1 && new Set(g.map((m) => m.base)).size > 1);
    if (dups.length === 0) return [];
    const g = dups[0]!;
    const same = g.every((m) => m.size === g[0]!.size && m.timestamp === g[0]!.timestamp && m.version === g[0]!.version);
    const places = g.map((m) => `${m.path ?? m.name} at ${m.base}`).join(' and ');
    const evidence: Evidence[] = dups.flatMap((group) =>
      group.map((m) => ({ kind: 'module' as const, name: m.name, note: `${fileNameOf(m.name)} at ${m.base}, ${m.size} bytes${m.path ? `, from ${m.path}` : ''}` })),
    );
    return [
      {
        confidence: same ? 'certain' : 'likely',
        messageId: 'duplicated',
        data: {
          module: fileNameOf(g[0]!.path ?? g[0]!.name).replace(BASE_SUFFIX, ''),
          times: g.length,
          how: same ? 'the same file (same size and timestamp) from different places' : 'in different builds (size, timestamp or version differ)',
          places,
          more: dups.length > 1 ? `; ${dups.length - 1} more module(s) are loaded twice` : '',
        },
        evidence,
      },
    ];
  },
});
