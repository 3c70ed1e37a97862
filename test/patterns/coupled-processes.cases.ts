import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'windbg/coupled-processes-alpc.txt',
      confidence: 'possible',
      why: 'the main thread waits in an ALPC RPC call',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'coupled', data: { calls: '~0 (id 0x2f4c) waits in RPCRT4!NdrClientCall2+0x6b2 from LicClient!LicCheckoutSeat+0x3c', more: '' } });
        expect(finding.evidence).toEqual([expect.objectContaining({ kind: 'frames', threadId: 0x2f4c, frames: [0, 1, 2, 3, 4, 5] })]);
      },
    },
    {
      fixture: 'windbg/virtualized-process-seed.txt',
      confidence: 'possible',
      why: 'the seed: an RPC call to the firewall service failed with 0x6d9 (x86 view)',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'coupled',
          data: { calls: '~0 (id 0x2fe4): a call through rpcrt4!NdrClientCall2+0x197 from hnetcfg!FwOpenDynamicFwPort+0x1d failed and raised 0x000006d9' },
        });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'frames', threadId: 0x2fe4, view: 'x86', frames: [0, 3, 4] }));
      },
    },
  ],
  silent: [
    { fixture: 'windbg/deadlock-critical-sections-kb.txt', why: 'waits inside one process' },
    { fixture: 'windbg/manual-dump-breakin.txt', why: 'an RPC server thread listening is not a client waiting' },
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'a plain crash' },
  ],
});
