import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { unloadedModuleWithList } from '../synth/augmented-dumps.ts';

export default defineCases({
  fire: [
    {
      bytes: unloadedModuleWithList,
      name: 'unloaded-module.dmp',
      confidence: 'certain',
      why: "real Wine dump of a call into plugin.dll after FreeLibrary, with the UnloadedModuleList from the loader's unload trace (Wine writes none)",
      check: (finding, report) => {
        expect(report.unloadedModules.map((m) => m.name)).toEqual(['plugin.dll']);
        expect(finding).toMatchObject({ messageId: 'onStack', data: { address: '0x190001370', module: 'plugin.dll', what: 'was executing at' } });
        expect(finding.evidence[0]).toMatchObject({ kind: 'frames', frames: [0] });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'exception' }));
      },
    },
    { fixture: 'synth/unloaded-module-unload-list.dmp', confidence: 'certain', why: "the page's example: the same bytes, committed" },
    {
      fixture: 'windbg/variants/managed-unloaded-frames.txt',
      confidence: 'certain',
      why: 'debugger output: <Unloaded_PrintHook.dll>+0x1a2b with lm\'s unloaded list',
      check: (finding) => expect(finding).toMatchObject({ data: { module: 'PrintHook.dll', address: '0x7ffa1c2d1a2b' } }),
    },
  ],
  silent: [
    { fixture: 'dumps/unloaded-module.dmp', why: 'the same crash without the unloaded-module list: nothing says whose code it was' },
    { fixture: 'windbg/lmv-wow64-listing.txt', why: 'an unloaded-module list, but no code address inside one' },
    { fixture: 'dumps/wild-code-pointer.dmp', why: 'a wild code pointer, no unloads' },
  ],
});
