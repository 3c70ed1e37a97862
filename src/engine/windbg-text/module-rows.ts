// The process's modules, from `lm` in all its forms (rows, lmv's detail lines, the unloaded
// list) and from a live session's "ModLoad:" lines, which fill in what no `lm` listed.
import type { DumpModel, Module } from '../core/dump-model.ts';
import { isModuleHeader, isUnloadedHeader, looksLikeModuleRow, moduleFromRow, parseModLoad, parseModuleDetail, parseModuleRow, type ModuleRow } from './module-list.ts';
import type { ReaderState } from './reader-state.ts';
import type { WorkMeter } from './work-meter.ts';
import { isSymbolNoise } from './stack-line.ts';

/**
 * Module rows kept per list (loaded, unloaded, ModLoad lines), as a minidump's module list is
 * capped: a real process loads a few thousand at most, and an `lm` of 10^6 rows (40 MB) would
 * otherwise hold a million rows through assembly. Rows past it are recognised, so no other
 * reader takes them, but not taken apart or kept (`cap-count`).
 */
export const MAX_TEXT_MODULES = 100_000;

/**
 * A line of `lm` output or a ModLoad line. True when the line was taken; a line that ends an
 * `lm` listing also ends module mode and is left for the other readers.
 */
export function takeModuleLine(s: ReaderState, line: string): boolean {
  if (s.modules.mode) {
    const list = s.modules.mode === 'loaded' ? s.modules.rows : s.modules.unloaded;
    if (list.length >= MAX_TEXT_MODULES && looksLikeModuleRow(line)) {
      s.modules.skipped++;
      s.modules.lastRow = null;
      s.recognised++;
      return true;
    }
  }
  if (isModuleHeader(line)) {
    s.modules.mode = 'loaded';
    s.modules.lastRow = null;
    s.recognised++;
    return true;
  }
  if (isUnloadedHeader(line)) {
    s.modules.mode = 'unloaded';
    s.modules.lastRow = null;
    s.recognised++;
    return true;
  }
  if (s.modules.mode) {
    const row = parseModuleRow(line);
    if (row) {
      (s.modules.mode === 'loaded' ? s.modules.rows : s.modules.unloaded).push(row);
      s.modules.lastRow = row;
      s.recognised++;
      return true;
    }
    const detail = s.modules.lastRow ? parseModuleDetail(line) : null;
    if (detail && s.modules.lastRow) {
      s.modules.lastRow.details[detail.key] ??= detail.value;
      return true;
    }
    // lmv's detail lines without a colon ("Browse all global symbols…", "Image was built with /Brepro flag.").
    if (s.modules.lastRow && /^\s/.test(line)) return true;
    // Symbol loading can interrupt `lm` as it interrupts a stack.
    if (isSymbolNoise(line)) return true;
    s.modules.mode = null;
    s.modules.lastRow = null;
  }

  const modLoad = /^\s*ModLoad:/.test(line) ? parseModLoad(line) : null;
  if (modLoad) {
    if (s.modules.modLoads.length >= MAX_TEXT_MODULES) s.modules.skipped++;
    else s.modules.modLoads.push(modLoad);
    s.recognised++;
    return true;
  }
  return false;
}

/** A live session's ModLoad lines fill in what lm did not list (or all of it, with no lm). */
export function mergeModLoads(s: ReaderState): void {
  const listed = new Set(s.modules.rows.map((r) => r.start));
  for (const r of s.modules.modLoads) {
    if (!listed.has(r.start)) {
      listed.add(r.start);
      s.modules.rows.push(r);
    }
  }
}

/** Assembly work one module row counts for on the work meter: about a line of text. */
const ROW_COST = 128;

/** The model's loaded and unloaded modules. Needs `process.wow64` decided. */
export function assembleModules(s: ReaderState, model: DumpModel, meter?: WorkMeter): void {
  if (s.modules.skipped > 0) {
    model.warnings.push({ kind: 'cap-count', message: `${s.modules.skipped} module rows past the first ${MAX_TEXT_MODULES} of a list were not read` });
  }
  const take = (rows: ModuleRow[], unloaded: boolean) => {
    const out: Module[] = [];
    for (const r of rows) {
      // The time budget holds here too: past it, the rest of the list is left out, with a warning.
      if (meter?.spend(ROW_COST + (r.trailing?.length ?? 0))) {
        model.warnings.push(meter.warning(`only ${out.length} of ${rows.length} ${unloaded ? 'unloaded ' : ''}modules were put together`));
        break;
      }
      out.push(moduleFromRow(r, unloaded));
    }
    return out;
  };
  model.modules = take(s.modules.rows, false);
  model.unloadedModules = take(s.modules.unloaded, true);
  if (model.process.wow64) {
    // In a WOW64 process the 32-bit DLLs come from SysWOW64; lm's path column says so when printed.
    for (const m of model.modules) if (m.path && /\\syswow64\\/i.test(m.path)) m.x86 = true;
  }
}
