// Module list records as model modules. The model's `name` is the file name; WinDbg's short
// name (what frames carry) is derived by the namer.
import type { MinidumpModule } from '../../minidump/module-list.ts';
import type { MinidumpUnloadedModule } from '../../minidump/unloaded-module-list.ts';
import { fileNameOf } from '../../names/module-names.ts';
import { hex } from '../../core/hex.ts';
import type { Module } from '../../core/dump-model.ts';

function isoTime(timeT: number): string | null {
  // 0 and 0xffffffff are what writers put when the image had no stamp (ELF, reproducible builds).
  if (timeT === 0 || timeT === 0xffffffff) return null;
  return new Date(timeT * 1000).toISOString();
}

/** What loaded and unloaded modules say alike: where the image lay and under which name. */
function placement(m: MinidumpModule | MinidumpUnloadedModule): Pick<Module, 'name' | 'path' | 'base' | 'size'> {
  return {
    name: fileNameOf(m.name) || `module@${hex(m.base)}`,
    path: m.name || null,
    base: hex(m.base),
    size: hex(m.size),
  };
}

export function moduleRecord(m: MinidumpModule, x86: boolean): Module {
  const cv = m.codeView;
  const pdb =
    cv && (cv.kind === 'pdb70' || cv.kind === 'pdb20')
      ? { name: cv.pdbName, id: cv.debugId }
      : cv && cv.kind === 'elf'
        ? { name: fileNameOf(m.name), id: cv.debugId }
        : null;
  return {
    ...placement(m),
    version: m.version,
    timestamp: isoTime(m.timestamp),
    pdb,
    ...(x86 ? { x86: true } : {}),
  };
}

export function unloadedModuleRecord(m: MinidumpUnloadedModule): Module {
  return {
    ...placement(m),
    version: null,
    timestamp: isoTime(m.timestamp),
    pdb: null,
    unloaded: true,
  };
}
