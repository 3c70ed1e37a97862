import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { fixtureBytes } from '../lib/analyze-input.ts';
import { handleDataCase } from '../lib/handle-data-dumps.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';
import { parseHandleFacts } from '../synth/handle-data-augmenter.ts';

// The child's process id, as the program reported its process handle 0x38.
const child = parseHandleFacts(new TextDecoder().decode(fixtureBytes('dumps/wait-chain-process-objects.handles.json'))).handles.find((h) => h.handle === 0x38)!.process!.processId;

export default defineCases({
  fire: [
    {
      fixture: 'dumps/handle-data/wait-chain-process-objects-full.dmp',
      confidence: 'certain',
      why: 'full-memory Wine dump with its HandleData stream, no images (the page’s example)',
      check: (finding, report) => {
        const child = report.handles!.find((h) => h.value === '0x38')!.process!.processId;
        expect(finding.data).toMatchObject({ links: 1, headThreadId: -1, headProcessId: child });
        expect(report.waitGraph?.head).toEqual({ threadId: null, processId: child, inDump: false, waitsOn: null });
      },
    },
    {
      ...handleDataCase('wait-chain-process-objects'),
      confidence: 'certain',
      why: 'real Wine dump + HandleData: main waits on its child process, which the dump does not hold: the head is that process',
      check: (finding, report) => {
        expect(finding.data).toMatchObject({ threads: '1 thread', links: 1, headThreadId: -1, headProcessId: child });
        expect(finding.data.chain).toBe(`~0 (id 0x${report.threads[0]!.id.toString(16)}) waits for the process ${child} (0x${child.toString(16)}) to end (process handle 0x38)`);
        expect(report.waitGraph?.head).toEqual({ threadId: null, processId: child, inDump: false, waitsOn: null });
        expect(report.handles?.find((h) => h.value === '0x38')?.process).toEqual({ processId: child, exitStatus: '0x00000103' });
      },
    },
  ],
  silent: [
    { fixture: 'dumps/handle-data/wait-chain-thread-objects-full.dmp', why: 'waits for threads of this process' },
    { fixture: 'dumps/wait-chain-process-objects.dmp', images: [...WINE_IMAGES, 'dumps/wait-chain-process-objects.exe'], why: 'without the HandleData stream the handle is not known to be a process' },
    { ...handleDataCase('wait-chain-thread-objects'), why: 'waits for threads of this process, not another process' },
    { fixture: 'windbg/coupled-processes-alpc.txt', why: 'an RPC wait for another process: Coupled Processes, no process handle' },
  ],
});
