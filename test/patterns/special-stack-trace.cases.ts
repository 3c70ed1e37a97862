import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/special-stack-trace.dmp',
      confidence: 'certain',
      why: "real Wine dump: main in ExitProcess, the loader in journal.dll's DllMain waiting for a thread ExitProcess ended",
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'moment', data: { moment: 'process-exit', frame: 'kernel32!ExitProcess+0xa', inner: ', inside journal+0x120d' } });
        expect(finding.evidence[0]).toMatchObject({ kind: 'frames', frames: [9, 10, 11] });
      },
    },
    {
      fixture: 'dumps/special-stack-trace.dmp',
      images: [...WINE_IMAGES, 'dumps/special-stack-trace.exe', 'dumps/journal.dll'],
      confidence: 'certain',
      why: 'the same with the images',
    },
    {
      fixture: 'windbg/real/dumpanalysis-late-crash-dump-exit-x86.txt',
      confidence: 'certain',
      why: 'real (Late Crash Dump article): a `~*k` without thread headers, exit → __crtExitProcess → ExitProcessStub → RtlExitUserProcess → ZwTerminateProcess: the dump was saved while the process ended',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'moment', data: { moment: 'process-exit', frame: 'kernel32!ExitProcessStub+0x12', inner: '', others: '' } });
        expect(finding.evidence[0]).toMatchObject({ kind: 'frames' });
      },
    },
  ],
  silent: [
    { fixture: 'dumps/blocked-threads.dmp', why: 'threads blocked in ordinary waits' },
    { fixture: 'dumps/manual-dump.dmp', why: 'a healthy process dumped on request' },
    { fixture: 'windbg/manual-dump-taskmgr.txt', why: 'a message box still up: the dump came before the exit' },
  ],
});
