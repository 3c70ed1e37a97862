// The one finding the four Wait Chain patterns make, each for its kind of object: the longest
// chain of waits (thread → object → owner → …) that runs through that kind, with its head
// named. The chains themselves come from the model's wait graph (lib/wait-graph.ts).
import type { DumpModel } from '../../engine/core/dump-model.ts';
import type { Evidence } from '../../engine/report/schema.ts';
import type { DetectorFinding } from '../../engine/report/detector.ts';
import { plural } from './model-queries.ts';
import {
  chainsWith,
  chainThreadCount,
  headEvidence,
  headText,
  linkEvidence,
  linksConfidence,
  linksOf,
  linkText,
  type WaitObjectKind,
} from './wait-graph.ts';

/** The messages every Wait Chain detector declares (the `data` below fills them). */
export const WAIT_CHAIN_MESSAGES = {
  chain: '{{threads}} in a chain of waits that ends at {{head}}: {{chain}}.{{more}}',
} as const;

/**
 * The finding for the longest chain through an object of `kind` with at least `minLinks` links,
 * or none. Certain when every link was read from the dump (or the debugger's !locks) and no link
 * rests only on frames found by scanning; likely otherwise.
 */
export function waitChainFinding(model: DumpModel, kind: WaitObjectKind, minLinks: number): DetectorFinding<keyof typeof WAIT_CHAIN_MESSAGES>[] {
  const chains = chainsWith(model, kind, minLinks);
  const chain = chains[0];
  if (!chain) return [];
  const links = linksOf(model, chain.links);
  const evidence: Evidence[] = links.flatMap((l) => linkEvidence(model, l));
  evidence.push(...headEvidence(model, chain.head));
  const others = chains.length - 1;
  return [
    {
      confidence: linksConfidence(model, links),
      messageId: 'chain',
      data: {
        threads: plural(chainThreadCount(model, chain), 'thread'),
        head: headText(model, chain.head),
        chain: links.map((l) => linkText(model, l)).join('; '),
        more: others > 0 ? ` ${plural(others, 'more chain')} through ${others === 1 ? 'such an object ends' : 'such objects end'} elsewhere.` : '',
        headThreadId: chain.head.threadId ?? -1,
        headProcessId: chain.head.processId ?? -1,
        links: links.length,
      },
      evidence,
    },
  ];
}
