// Wild Pointer (data): an access violation reading or writing an address that is neither NULL
// nor inside anything loaded: the pointer held garbage (uninitialised, overwritten, freed).
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { addr, executedAt, faultAccess, faultPlace, isUnknownNonCanonical, moduleAt, NULL_REGION_END, exceptionConfidence } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultSiteEvidence } from './lib/exception-evidence.ts';
import { faultingThread } from './lib/model-queries.ts';
import { archBits } from '../engine/core/arch.ts';

/** Fill bytes of the debug heaps and /RTC: a pointer made of them was never set, or was freed. */
const FILL_PATTERNS: readonly [number, string][] = [
  [0xcd, 'CRT debug heap: allocated but never initialised'],
  [0xdd, 'CRT debug heap: already freed'],
  [0xfd, 'CRT debug heap: guard bytes around a block'],
  [0xcc, '/RTC: uninitialised stack memory'],
  [0xab, 'Windows heap: guard bytes after a block'],
];
const WORD_PATTERNS: readonly [bigint, string][] = [
  [0xfeeefeeen, 'Windows debug heap: already freed, HeapFree fill'],
  [0xbaadf00dn, 'debug heap fill: allocated but never initialised'],
];

function fillPattern(address: bigint): string | null {
  // Compare without the low byte: the access is often the pattern plus a field offset.
  const low32 = address & 0xffffff00n;
  for (const [w, meaning] of WORD_PATTERNS) if ((address >> 32n === 0n || address >> 32n === w) && low32 === (w & 0xffffff00n)) return meaning;
  for (const [b, meaning] of FILL_PATTERNS) {
    const rep = BigInt(b) * 0x01010101n;
    const rep64 = (rep << 32n) | rep;
    if (address >> 32n === 0n && low32 === (rep & 0xffffff00n)) return meaning;
    if ((address & ~0xffn) === (rep64 & ~0xffn)) return meaning;
  }
  return null;
}

/** Addresses x64 (and ARM64 without tagging) can never map: between the two canonical halves. */
function nonCanonical(address: bigint): boolean {
  return address >= 0x0000800000000000n && address < 0xffff800000000000n;
}

export default defineDetector({
  id: 'wild-pointer-data',
  messages: {
    wildAccess: '{{subject}} {{verb}} {{why}}{{place}}.',
  },
  detect(model) {
    const access = faultAccess(model);
    if (!access || access.address < NULL_REGION_END) return [];
    // A failed instruction fetch is a wild code pointer, not data.
    if (executedAt(access) !== null) return [];
    // Writing into a loaded image (a string literal, a read-only table) is a valid pointer used
    // wrongly, not a wild one.
    const inModule = moduleAt(model, access.address);
    if (inModule) return [];
    // Just below the stack pointer is the stack's guard region: Stack Overflow territory.
    const sp = spOf(model);
    if (sp !== null && access.address < sp + 0x100n && access.address + 0x10000n >= sp) return [];

    const place = faultPlace(model);
    const unknownGp = isUnknownNonCanonical(model, access);
    const fill = fillPattern(access.address);
    const canonicalHole = archBits(model.system.arch) === 64 && nonCanonical(access.address);
    let why: string;
    let confidence: 'certain' | 'likely' | 'possible';
    if (unknownGp) {
      why = 'a non-canonical address (Windows reports it as 0xffffffffffffffff: read the operands of the faulting instruction for the real value)';
      confidence = 'certain';
    } else if (canonicalHole) {
      why = `${addr(access.address)}, a non-canonical address no pointer can hold`;
      confidence = 'certain';
    } else if (fill) {
      why = `${addr(access.address)}, a fill pattern (${fill})`;
      confidence = 'certain';
    } else if (model.modules.length === 0) {
      // With no module list, "outside every module" is not known: only that it is not NULL.
      why = `${addr(access.address)} (the input lists no modules, so whether a module holds it is not known)`;
      confidence = 'possible';
    } else {
      why = `${addr(access.address)}, outside every loaded module`;
      // A dangling pointer to freed, released memory looks the same from the dump alone.
      confidence = 'likely';
    }
    const verb = access.kind === 'read' ? 'read' : access.kind === 'write' ? 'wrote' : 'accessed';
    const evidence: Evidence[] = [
      ...exceptionEvidence(model, `${access.kind} access at ${addr(access.address)}`, ['READ_ADDRESS', 'WRITE_ADDRESS', 'FAILURE_BUCKET_ID']),
      ...faultSiteEvidence(model, 'the instruction that used the wild pointer'),
    ];
    return [
      {
        confidence: exceptionConfidence(model, confidence),
        messageId: 'wildAccess',
        data: { subject: exceptionSubject(model), verb, why, place: place ? ` at ${place}` : '' },
        evidence,
      },
    ];
  },
});

function spOf(model: Parameters<typeof faultAccess>[0]): bigint | null {
  const t = faultingThread(model);
  const r = t?.registers;
  const v = r?.['rsp'] ?? r?.['esp'] ?? r?.['sp'] ?? t?.frames[0]?.sp ?? null;
  return v ? BigInt(v) : null;
}
