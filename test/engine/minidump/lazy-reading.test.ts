// Opening a dump reads the header and the directory; reading threads and modules reads those
// streams and the strings they point at: a small fraction of the file, never all of it.
import { describe, expect, it } from 'vitest';
import { openMinidump } from '../../../src/engine/minidump/minidump.ts';
import { RecordingSource } from '../../synth/recording-source.ts';
import { openCorpusFile } from './support/corpus.ts';

describe('lazy reading of breakpad/stack_exhaustion.dmp (1 MB)', () => {
  it('uncached: open reads 32 + directory bytes; threads and modules a few KiB', async () => {
    const file = await openCorpusFile('breakpad/stack_exhaustion.dmp');
    try {
      const counting = new RecordingSource(file);
      const md = await openMinidump(counting, { cache: false });
      expect(counting.bytesRead).toBe(32 + md.header.streamCount * 12);
      const threads = (await md.threads())!;
      const modules = (await md.modules())!;
      expect(threads.length).toBe(2);
      expect(modules.length).toBe(26);
      await md.threadContext(threads[0]!);
      // Thread list, module list, 26 names, 26 CodeView records, one context: ~8 KiB of 1 MiB.
      expect(counting.bytesRead).toBeLessThan(16 * 1024);
      expect(counting.bytesRead / file.size).toBeLessThan(0.02);
    } finally {
      await file.close();
    }
  });

  it('cached (the default): whole blocks, still a small fraction, and few reads', async () => {
    const file = await openCorpusFile('breakpad/stack_exhaustion.dmp');
    try {
      const counting = new RecordingSource(file);
      const md = await openMinidump(counting);
      await md.threads();
      await md.modules();
      await md.systemInfo();
      await md.exception();
      // Everything above lies in the first 64 KiB block.
      expect(counting.reads).toBe(1);
      expect(counting.bytesRead).toBe(64 * 1024);
      expect(counting.bytesRead / file.size).toBeLessThan(0.07);
    } finally {
      await file.close();
    }
  });
});
