// Embedded Comments: the dump carries a comment — text its writer stored beside the memory
// (CommentStreamA/W): procdump's command line and trigger ("Unhandled exception: C0000005"),
// a WinDbg `.dump /c` note, an application's own "what the user was doing", a first-chance
// marker. It is often the only record of why and how the dump was taken, and WinDbg prints it
// in the banner as `Comment: '…'`.
//
// Certain whenever the dump (or the banner of pasted output) has one; the finding quotes it.
// Comment text comes from the dump: it is shown as text, never interpreted.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';

/** Characters of each comment quoted in the summary. */
const QUOTED = 200;

function quote(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > QUOTED ? `${one.slice(0, QUOTED)}…` : one;
}

export default defineDetector({
  id: 'embedded-comments',
  messages: {
    one: 'The dump carries a comment from its writer{{writer}}: "{{text}}".',
    several: 'The dump carries {{count}} comments{{writer}}: {{texts}}.',
  },
  detect(model) {
    const comments = model.dump.comments ?? (model.dump.comment ? [{ stream: null, text: model.dump.comment }] : []);
    if (comments.length === 0) return [];
    const writer = model.dump.writer ? ` (written by ${model.dump.writer})` : '';
    const evidence: Evidence[] = [{ kind: 'field', path: model.dump.comments ? 'dump.comments' : 'dump.comment', note: 'the comment the dump carries' }];
    if (comments.length === 1) {
      return [{ confidence: 'certain', messageId: 'one', data: { writer, text: quote(comments[0]!.text), count: 1 }, evidence }];
    }
    return [
      {
        confidence: 'certain',
        messageId: 'several',
        data: {
          writer,
          count: comments.length,
          texts: comments.map((c) => `${c.stream ? `${c.stream} ` : ''}"${quote(c.text)}"`).join('; '),
        },
        evidence,
      },
    ];
  },
});
