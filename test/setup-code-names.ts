// Tests that call a reader below the engine's entry points (readWindbgText, the minidump model)
// need the exception-code tables those entry points load first (see loadCodeNames).
import { loadCodeNames } from '../src/engine/names/exception-codes.ts';

await loadCodeNames();
