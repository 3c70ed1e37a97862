// Wait Chain (Process Objects): a thread waits for another process to end (WaitForSingleObject on a
// process handle), so the hang continues in a process this dump does not hold. Which process the
// handle names comes from the dump's handle table (MiniProcessInformation1) and the handle from
// the wait's registers and stack, resolved into the wait graph by model assembly. One link is
// enough: the chain leaves the dump there, and its head is that process. Certain when the link
// does not rest only on scanned frames. A handle of a process that has ended is no link.
import { defineDetector } from '../engine/report/detector.ts';
import { WAIT_CHAIN_MESSAGES, waitChainFinding } from './lib/wait-chain-finding.ts';

export default defineDetector({
  id: 'wait-chain-process-objects',
  messages: WAIT_CHAIN_MESSAGES,
  detect(model) {
    return waitChainFinding(model, 'process', 1);
  },
});
