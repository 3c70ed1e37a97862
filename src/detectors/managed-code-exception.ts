// Managed Code Exception: a .NET exception that no managed handler caught. The runtime raises
// it to Windows as a native exception with its own code, 0xE0434352 ("CCR", .NET Framework 4
// and later, .NET Core and .NET 5+) or 0xE0434F4D ("COM", .NET Framework 1.0–3.5); the first
// parameter is the exception's HRESULT and, from .NET 4 on, the fifth the runtime module's base.
// The exception object itself (type, message, managed stack) lives in the managed heap, which a
// minidump without heap memory does not hold: `!pe` and `!clrstack` of SOS need a dump with it.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { big } from '../engine/core/hex.ts';
import { clrExceptionType } from '../engine/names/clr-hresults.ts';
import { faultPlace, windowsCode } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, framesEvidence } from './lib/exception-evidence.ts';
import { faultingThread, shortName } from './lib/model-queries.ts';

const CLR_CODES: ReadonlyMap<number, string> = new Map([
  [0xe0434352, '.NET Framework 4+ / .NET'],
  [0xe0434f4d, '.NET Framework 1.0–3.5'],
]);
/** The runtime's own DLL, by version: its presence says managed code ran in the process. */
const RUNTIMES = new Set(['clr', 'coreclr', 'mscorwks', 'mscorsvr', 'libcoreclr', 'mrt100_app', 'mscorlib.ni']);

export default defineDetector({
  id: 'managed-code-exception',
  messages: {
    managed: '{{subject}} has an unhandled .NET exception ({{code}}, {{family}}){{type}}{{runtime}}{{at}}. The exception object is in the managed heap: open the dump with SOS (!pe, !clrstack) to read its type, message and managed stack.',
    thrown: '{{subject}} threw a .NET exception ({{code}}, {{family}}){{type}}{{runtime}}{{at}}, seen at its first chance: a managed handler may still catch it. SOS (!pe, !clrstack) reads the exception object from the managed heap.',
  },
  detect(model) {
    const e = model.exception;
    const code = windowsCode(model);
    const family = code === null ? undefined : CLR_CODES.get(code);
    if (!e || !family) return [];
    const runtime = model.modules.find((m) => RUNTIMES.has(shortName(m.name)));
    // A log without `lm` still names the runtime in its frames (coreclr!IL_Throw).
    const thread = faultingThread(model);
    const runtimeFrames = runtime ? [] : (thread?.frames ?? []).filter((f) => f.module !== null && f.trust !== 'scan' && RUNTIMES.has(shortName(f.module)));
    const hresult = e.parameters[0] === undefined ? null : Number(big(e.parameters[0]) & 0xffffffffn);
    const type = hresult === null ? null : clrExceptionType(hresult);
    const place = faultPlace(model);
    const evidence: Evidence[] = [...exceptionEvidence(model, `${e.name ?? e.code}: the runtime's code for a managed exception`, ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID'])];
    if (runtime) evidence.push({ kind: 'module', name: runtime.name, note: 'the .NET runtime is loaded' });
    if (thread && runtimeFrames.length > 0) evidence.push(...framesEvidence(thread, runtimeFrames.map((f) => f.index), 'the .NET runtime raising it'));
    const runtimeName = runtime?.name ?? runtimeFrames[0]?.module ?? null;
    return [
      {
        // The code alone is a convention a native program could imitate; with the runtime
        // loaded it is the runtime's own raise.
        // At its first chance a managed exception is thrown, not yet unhandled.
        confidence: runtimeName !== null && e.chance !== 'first' ? 'certain' : 'likely',
        messageId: e.chance === 'first' ? 'thrown' : 'managed',
        data: {
          subject: exceptionSubject(model),
          code: e.code,
          family,
          type: hresult === null ? '' : `; HRESULT 0x${hresult.toString(16).padStart(8, '0')}${type ? `, by default ${type}` : ''}`,
          runtime: runtime ? `; runtime ${runtime.name}` : runtimeName ? `; runtime ${runtimeName} (on the stack)` : '; no .NET runtime module in the module list or on the stack',
          at: place ? ` at ${place}` : '',
        },
        evidence,
      },
    ];
  },
});
