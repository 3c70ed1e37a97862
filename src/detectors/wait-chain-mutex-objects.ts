// Wait Chain (Mutex Objects): threads waiting one behind another through mutexes (kernel mutants):
// ~3 waits on a mutex ~2 owns, ~2 on one ~1 owns. The owner of each mutex comes from the dump's
// handle table (HandleData stream, MiniMutantInformation2) and the handle each thread waits on
// from its wait's registers and stack, both resolved by model assembly into the wait graph. A
// chain is at least two links (three threads); certain when no link rests only on scanned frames.
import { defineDetector } from '../engine/report/detector.ts';
import { WAIT_CHAIN_MESSAGES, waitChainFinding } from './lib/wait-chain-finding.ts';

export default defineDetector({
  id: 'wait-chain-mutex-objects',
  messages: WAIT_CHAIN_MESSAGES,
  detect(model) {
    return waitChainFinding(model, 'mutex', 2);
  },
});
