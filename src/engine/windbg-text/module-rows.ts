// The process's modules, from `lm` in all its forms (rows, lmv's detail lines, the unloaded
// list) and from a live session's "ModLoad:" lines, which fill in what no `lm` listed.
import type { DumpModel } from '../core/dump-model.ts';
import { isModuleHeader, isUnloadedHeader, moduleFromRow, parseModLoad, parseModuleDetail, parseModuleRow } from './module-list.ts';
import type { ReaderState } from './reader-state.ts';
import { isSymbolNoise } from './stack-line.ts';

/**
 * A line of `lm` output or a ModLoad line. True when the line was taken; a line that ends an
 * `lm` listing also ends module mode and is left for the other readers.
 */
export function takeModuleLine(s: ReaderState, line: string): boolean {
  if (isModuleHeader(line)) {
    s.moduleMode = 'loaded';
    s.lastRow = null;
    s.recognised++;
    return true;
  }
  if (isUnloadedHeader(line)) {
    s.moduleMode = 'unloaded';
    s.lastRow = null;
    s.recognised++;
    return true;
  }
  if (s.moduleMode) {
    const row = parseModuleRow(line);
    if (row) {
      (s.moduleMode === 'loaded' ? s.moduleRows : s.unloadedRows).push(row);
      s.lastRow = row;
      s.recognised++;
      return true;
    }
    const detail = s.lastRow ? parseModuleDetail(line) : null;
    if (detail && s.lastRow) {
      s.lastRow.details[detail.key] ??= detail.value;
      return true;
    }
    // lmv's detail lines without a colon ("Browse all global symbols…", "Image was built with /Brepro flag.").
    if (s.lastRow && /^\s/.test(line)) return true;
    // Symbol loading can interrupt `lm` as it interrupts a stack.
    if (isSymbolNoise(line)) return true;
    s.moduleMode = null;
    s.lastRow = null;
  }

  const modLoad = /^\s*ModLoad:/.test(line) ? parseModLoad(line) : null;
  if (modLoad) {
    s.modLoadRows.push(modLoad);
    s.recognised++;
    return true;
  }
  return false;
}

/** A live session's ModLoad lines fill in what lm did not list (or all of it, with no lm). */
export function mergeModLoads(s: ReaderState): void {
  const listed = new Set(s.moduleRows.map((r) => r.start));
  for (const r of s.modLoadRows) {
    if (!listed.has(r.start)) {
      listed.add(r.start);
      s.moduleRows.push(r);
    }
  }
}

/** The model's loaded and unloaded modules. Needs `process.wow64` decided. */
export function assembleModules(s: ReaderState, model: DumpModel): void {
  model.modules = s.moduleRows.map((r) => moduleFromRow(r, false));
  model.unloadedModules = s.unloadedRows.map((r) => moduleFromRow(r, true));
  if (model.process.wow64) {
    // In a WOW64 process the 32-bit DLLs come from SysWOW64; lm's path column says so when printed.
    for (const m of model.modules) if (m.path && /\\syswow64\\/i.test(m.path)) m.x86 = true;
  }
}
