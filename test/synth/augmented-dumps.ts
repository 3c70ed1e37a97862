// Real Wine dumps with the stream Wine's dbghelp does not write, added from what the same run of
// the program reported (fixtures/dumps/NAME.handles.json[.gz], NAME.unloaded.json): the inputs of
// the patterns whose evidence lives in those streams. The cases build them at test time; the
// pattern pages need a file to show and to "Try it" with, so scripts/make-augmented-fixtures.ts
// writes the same bytes to fixtures/synth/ (and a test checks they still match).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { addHandleData, parseHandleFacts } from './handle-data-augmenter.ts';
import { addUnloadedModules, parseUnloadFacts } from './unloaded-module-augmenter.ts';

const DUMPS = new URL('../../fixtures/dumps/', import.meta.url);

function file(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, DUMPS)));
}

/** handle-leak.dmp with the HandleData stream of its 8012 handles (8000 leaked events). */
export function handleLeakWithHandleData(): Uint8Array {
  const facts = parseHandleFacts(gunzipSync(file('handle-leak.handles.json.gz')).toString('utf8'));
  return addHandleData(file('handle-leak.dmp'), facts);
}

/** unloaded-module.dmp with the UnloadedModuleList of the loader's unload trace (plugin.dll). */
export function unloadedModuleWithList(): Uint8Array {
  const facts = parseUnloadFacts(readFileSync(new URL('unloaded-module.unloaded.json', DUMPS), 'utf8'));
  return addUnloadedModules(file('unloaded-module.dmp'), facts);
}

/** fixtures/synth file name → how it is built. */
export const AUGMENTED_FIXTURES: Record<string, () => Uint8Array> = {
  'handle-leak-handle-data.dmp': handleLeakWithHandleData,
  'unloaded-module-unload-list.dmp': unloadedModuleWithList,
};
