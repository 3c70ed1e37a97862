// The four Wine dumps of kernel-object waits with the HandleData stream Windows would have
// written (Wine writes none): fixtures/dumps/NAME.dmp plus the stream built from NAME.handles.json
// by test/synth/handle-data-augmenter.ts (see fixtures/dumps/README.md, "The HandleData stream").
import { fixtureBytes } from './analyze-input.ts';
import { WINE_IMAGES } from './wine-images.ts';
import { addHandleData, parseHandleFacts } from '../synth/handle-data-augmenter.ts';

export type HandleDataDump = 'deadlock-mixed-objects-user-space' | 'wait-chain-mutex-objects' | 'wait-chain-thread-objects' | 'wait-chain-process-objects';

/** NAME.dmp with its HandleData stream. */
export function withHandleData(name: HandleDataDump): Uint8Array {
  const facts = parseHandleFacts(new TextDecoder().decode(fixtureBytes(`dumps/${name}.handles.json`)));
  return addHandleData(fixtureBytes(`dumps/${name}.dmp`), facts);
}

/** A case input: the augmented dump, with Wine's DLLs and the program beside it (the small dump holds no code to name frames by). */
export function handleDataCase(name: HandleDataDump, images = true): { bytes: () => Uint8Array; name: string; images: string[] } {
  return { bytes: () => withHandleData(name), name: `${name}.dmp + HandleData`, images: images ? [...WINE_IMAGES, `dumps/${name}.exe`] : [] };
}
