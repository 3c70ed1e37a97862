// Input → dump model. Tells a minidump from debugger text by content (the MDMP signature),
// never by file name, and hands each to its reader.
import { Budget } from './core/budget.ts';
import type { ByteSource } from './io/byte-source.ts';
import type { DumpModel } from './core/dump-model.ts';
import { readMinidumpModel, type MinidumpReadOptions } from './model/from-minidump.ts';
import { sniff } from './sniff.ts';
import { decodeTextSource, MAX_TEXT_BYTES } from './text-decode.ts';
import { notDebuggerOutput, readWindbgText } from './windbg-text/reader.ts';
import { addTextWaitGraph } from './model/text-waits.ts';
import { loadCodeNames } from './names/exception-codes.ts';

/** Images, progress, unwinder limits, and the time budget (`budgetMs`, `signal`, `now`). */
export type ReadOptions = MinidumpReadOptions;

export async function readDump(source: ByteSource, options: ReadOptions = {}): Promise<DumpModel> {
  const budget = new Budget(options);
  budget.throwIfCancelled();
  await loadCodeNames();
  const head = await source.read(0, 16);
  const kind = sniff(head, source.size);
  if (kind === 'minidump') return readMinidumpModel(source, options);
  const { text, truncated } = await decodeTextSource(source);
  budget.throwIfCancelled();
  return readTextModel(text, source.name, source.size, truncated, budget);
}

/** Text already decoded; the caller has awaited loadCodeNames() (analyzeText does). */
export function readTextModel(text: string, name: string, size = text.length, truncated = false, budget?: Budget): DumpModel {
  const model = readWindbgText(text, name, budget ? { budget } : {});
  model.input.size = size;
  addTextWaitGraph(model);
  if (truncated) {
    model.warnings.push({
      kind: 'cap-text-size',
      message: `only the first ${MAX_TEXT_BYTES / (1024 * 1024)} MiB of this text were read`,
    });
  }
  if (!looksRecognised(model)) {
    throw notDebuggerOutput();
  }
  return model;
}

function looksRecognised(model: DumpModel): boolean {
  return (
    model.threads.length > 0 ||
    model.exception !== null ||
    model.modules.length > 0 ||
    model.system.os !== null ||
    model.dump.description !== null ||
    (model.locks?.length ?? 0) > 0 ||
    Object.keys(model.annotations).length > 0
  );
}
