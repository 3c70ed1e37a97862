// Pure Virtual Function Call: code called a virtual function through an object whose vtable
// still (or again) held the slot of a pure virtual function: from a base-class constructor or
// destructor (the object is only the base class there), or through a dangling pointer to an
// object already destroyed. The compiler fills such slots with a runtime function that reports
// and stops: MSVC's _purecall ("R6025 - pure virtual function call"; a handler set with
// _set_purecall_handler runs first, then abort), the Itanium C++ ABI's __cxa_pure_virtual (g++,
// clang on Linux and MinGW: "pure virtual method called", then std::terminate). Breakpad's
// client records it in its assertion stream.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { faultPlace } from './lib/exception-codes.ts';
import { capitalize, exceptionEvidence, exceptionSubject, framesEvidence, threadNoun } from './lib/exception-evidence.ts';
import { faultingThread } from './lib/model-queries.ts';
import { runtimeFrames } from './lib/runtime-functions.ts';
import { scanCapped } from './lib/scanned-frames.ts';

const PURECALL = new Set(['_purecall', '__purecall', 'purecall', '__cxa_pure_virtual']);

export default defineDetector({
  id: 'pure-virtual-function-call',
  messages: {
    purecall: '{{subject}} called a pure virtual function: {{handler}}{{caller}}. The object was still being constructed, already destroyed, or the pointer to it dangles.',
    reported: 'The crash handler recorded a pure virtual function call (its assertion stream){{at}}{{handler}}{{caller}}: an object was used while being constructed or destroyed, or through a dangling pointer.',
  },
  detect(model) {
    // The faulting thread first; without an exception (a hang in _purecall's R6025 message box,
    // dumped by hand) any thread inside the handler.
    const faulting = faultingThread(model);
    const threads = [...(faulting ? [faulting] : []), ...(model.exception ? [] : model.threads.filter((t) => t !== faulting))];
    const thread = threads.find((t) => runtimeFrames(t, PURECALL).frames.length > 0) ?? faulting;
    const found = runtimeFrames(thread, PURECALL);
    const frame = found.frames[0];
    const stack = found.view === 'x86' ? (thread?.x86Frames ?? []) : (thread?.frames ?? []);
    const callerFrame = frame ? stack.find((f) => f.index === frame.index + 1) : undefined;
    const caller = callerFrame ? `, called from ${frameText(callerFrame)}` : '';
    const evidence: Evidence[] = [];
    if (thread && frame) {
      evidence.push(...framesEvidence(thread, [frame.index], 'the runtime function in the pure virtual slot', found.view));
      if (callerFrame) evidence.push(...framesEvidence(thread, [callerFrame.index], 'the code that made the virtual call', found.view));
    }
    if (model.exception) evidence.push(...exceptionEvidence(model, model.exception.name ?? model.exception.code));

    if (model.annotations['ASSERTION_KIND'] === 'pure-virtual-call') {
      const place = faultPlace(model);
      evidence.unshift({ kind: 'field', path: 'annotations.ASSERTION', note: "the crash handler's record of the pure virtual call" });
      return [
        {
          confidence: 'certain',
          messageId: 'reported',
          data: { at: place ? ` at ${place}` : '', handler: frame ? `, through ${frameText(frame)}` : '', caller },
          evidence,
        },
      ];
    }
    if (!frame || !thread) return [];
    return [
      {
        confidence: scanCapped('certain', found.frames),
        messageId: 'purecall',
        data: { subject: model.exception ? exceptionSubject(model) : capitalize(threadNoun(thread)), handler: frameText(frame), caller },
        evidence,
      },
    ];
  },
});
