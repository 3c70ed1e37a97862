// Wait Chain (Critical Sections): threads waiting one behind another through critical sections —
// ~3 waits for a section ~2 owns, ~2 for one ~1 owns — ending at a head that waits for nothing
// the chain can follow. The owners come from the model's wait graph: each section read from a
// full-memory dump's memory and validated, or reported by a pasted `!locks`. A chain is at least
// two links (three threads); one waiter behind one owner is only a blocked thread. Certain when
// every link was read and none rests only on frames found by stack scanning.
import { defineDetector } from '../engine/report/detector.ts';
import { WAIT_CHAIN_MESSAGES, waitChainFinding } from './lib/wait-chain-finding.ts';

export default defineDetector({
  id: 'wait-chain-critical-sections',
  messages: WAIT_CHAIN_MESSAGES,
  detect(model) {
    return waitChainFinding(model, 'critical-section', 2);
  },
});
