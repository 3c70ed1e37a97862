// Virtualized Process: a 64-bit dump of a 32-bit (WOW64) process. The native stacks end in
// the WOW64 layer (wow64, wow64cpu, wow64win) because the debugger that wrote or read the dump
// saw the 64-bit side of the emulation; the real stacks are the 32-bit ones behind it.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { faultingThread, findModule, frameIn, frameIndices, plural } from './lib/model-queries.ts';
import { archBits } from '../engine/core/arch.ts';

const WOW64_LAYER = ['wow64', 'wow64cpu', 'wow64win', 'wow64base', 'xtajit', 'xtajit64'];

export default defineDetector({
  id: 'virtualized-process',
  messages: {
    wow64: 'A 32-bit process in a 64-bit dump: {{where}}; {{x86}}.',
  },
  detect(model) {
    if (archBits(model.system.arch) !== 64) return [];
    const evidence: Evidence[] = [];
    let threadsInLayer = 0;
    for (const thread of model.threads) {
      const frames = frameIndices(thread.frames, (f) => frameIn(f, WOW64_LAYER));
      if (frames.length === 0) continue;
      threadsInLayer++;
      evidence.push({
        kind: 'frames',
        threadId: thread.id,
        view: 'native',
        frames,
        note: 'WOW64 emulation layer: the 32-bit code is behind these frames',
      });
    }
    const layerModules = WOW64_LAYER.map((m) => findModule(model, m)).filter((m) => m !== undefined);
    for (const m of layerModules) evidence.push({ kind: 'module', name: m.name, note: 'loaded only in 32-bit processes on 64-bit Windows' });
    if (threadsInLayer === 0 && layerModules.length === 0 && !model.process.wow64) return [];
    if (model.process.wow64 && evidence.length === 0) {
      evidence.push({ kind: 'field', path: 'process.wow64', note: 'the reader recognised a WOW64 process' });
    }

    const withX86 = model.threads.filter((t) => (t.x86Frames?.length ?? 0) > 0);
    const faulting = faultingThread(model);
    const x86Top = faulting?.x86Frames?.[0];
    if (faulting && x86Top) {
      evidence.push({
        kind: 'frames',
        threadId: faulting.id,
        view: 'x86',
        frames: [x86Top.index],
        note: 'top of the real 32-bit stack (.effmach x86 view)',
      });
    }
    const where =
      threadsInLayer > 0
        ? `${plural(threadsInLayer, 'thread')} of ${model.threads.length} show only WOW64 frames natively`
        : `the WOW64 layer (${layerModules.map((m) => m.name).join(', ') || 'process.wow64'}) is loaded`;
    const x86 =
      withX86.length > 0
        ? `32-bit stacks recovered for ${plural(withX86.length, 'thread')}${x86Top ? `; the faulting thread's starts at ${x86Top.module ?? x86Top.address}${x86Top.symbol ? `!${x86Top.symbol}` : ''}` : ''}`
        : 'the 32-bit stacks are not in this input: in WinDbg run .load wow64exts; .effmach x86; ~*k';
    return [
      {
        confidence: 'certain',
        messageId: 'wow64',
        data: { where, x86 },
        evidence,
      },
    ];
  },
});
