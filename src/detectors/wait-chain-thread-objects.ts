// Wait Chain (Thread Objects): a thread waits for another thread to end (WaitForSingleObject on a
// thread handle), which itself waits for a third to end, and so on: the shutdown that never
// finishes. Which thread each handle names comes from the dump's handle table
// (MiniThreadInformation1) and the handle from the wait's registers and stack, resolved into the
// wait graph by model assembly. At least two links; certain when no link rests only on scanned
// frames. A thread handle of a thread that has ended is signalled: such a wait is no link.
import { defineDetector } from '../engine/report/detector.ts';
import { WAIT_CHAIN_MESSAGES, waitChainFinding } from './lib/wait-chain-finding.ts';

export default defineDetector({
  id: 'wait-chain-thread-objects',
  messages: WAIT_CHAIN_MESSAGES,
  detect(model) {
    return waitChainFinding(model, 'thread', 2);
  },
});
