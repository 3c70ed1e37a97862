// Handle Leak: the process holds far more handles of one type than its work needs — each
// request, connection or timer opens one and an error path (or every path) forgets to close
// it. Handles cost kernel memory (paged and non-paged pool) and, at 16 million per process or
// when the pool runs out, calls start to fail. A dump written with handle data
// (MiniDumpWithHandleData: procdump -ma, .dump /mh, WER's full dumps) lists every handle with
// its type; WinDbg's `!handle 0 0` prints the counts per type.
//
// One dump shows how many, not that they grow: a leak is proved by two dumps (or two `!handle`
// summaries) taken apart. So the finding is never certain. Thousands of handles of one type,
// mostly unnamed (events, threads, sections created per use), are the usual shape of a leak;
// healthy processes keep hundreds, and busy servers a few thousand.
import { defineDetector } from '../engine/report/detector.ts';
import { plural } from './lib/model-queries.ts';

/** Handles of one type from which a leak is the likely story. */
export const LIKELY_HANDLES = 5000;
/** Handles of one type worth a look. */
export const POSSIBLE_HANDLES = 2000;

export default defineDetector({
  id: 'handle-leak',
  messages: {
    many: 'The process holds {{count}} {{type}} handles ({{share}}% of its {{total}} handles, {{unnamed}} of them unnamed){{next}}.',
  },
  detect(model) {
    const handles = model.handles;
    if (handles === null || handles.length < POSSIBLE_HANDLES) return [];
    const byType = new Map<string, { count: number; unnamed: number }>();
    for (const h of handles) {
      const t = h.type ?? 'untyped';
      const e = byType.get(t) ?? { count: 0, unnamed: 0 };
      e.count++;
      if (!h.object) e.unnamed++;
      byType.set(t, e);
    }
    const [type, top] = [...byType.entries()].sort((a, b) => b[1].count - a[1].count)[0]!;
    if (top.count < POSSIBLE_HANDLES) return [];
    const others = [...byType.entries()].filter(([t]) => t !== type).sort((a, b) => b[1].count - a[1].count).slice(0, 3);
    return [
      {
        confidence: top.count >= LIKELY_HANDLES ? 'likely' : 'possible',
        messageId: 'many',
        data: {
          count: top.count,
          type,
          total: handles.length,
          share: Math.round((100 * top.count) / handles.length),
          unnamed: top.unnamed,
          next: others.length > 0 ? `; next: ${others.map(([t, e]) => plural(e.count, t)).join(', ')}` : '',
        },
        evidence: [{ kind: 'field', path: 'handles', note: `${top.count} of the ${handles.length} handles are ${type} handles` }],
      },
    ];
  },
});
