// Errors are values with a kind and a one-line human message. Readers throw DumpError only
// when nothing useful can be read at all; anything less becomes a model warning instead.

export type DumpErrorKind =
  | 'not-a-dump' // wrong file type: PNG, ZIP, random bytes, prose without debugger output
  | 'truncated' // the file ends before the part we need
  | 'corrupt' // the bytes are there but contradict themselves
  | 'unsupported' // a real format we do not read (kernel dump, unknown CPU…)
  | 'io' // the byte source failed
  | 'too-large' // a bound was hit before anything useful was read
  | 'cancelled';

export class DumpError extends Error {
  readonly kind: DumpErrorKind;
  constructor(kind: DumpErrorKind, message: string) {
    super(message);
    this.kind = kind;
    this.name = 'DumpError';
  }
}

/** One line for a user, whatever was thrown. Never a stack trace. */
export function describeError(err: unknown): { kind: DumpErrorKind | 'internal'; message: string } {
  if (err instanceof DumpError) return { kind: err.kind, message: err.message };
  const msg = err instanceof Error ? err.message : String(err);
  // Some messages are whole JSON documents (a schema error): squeeze to one short line.
  const line = msg.replace(/\s+/g, ' ').trim();
  const name = err instanceof Error && err.name && err.name !== 'Error' ? `${err.name}: ` : '';
  return { kind: 'internal', message: `internal error: ${name}${line.length > 200 ? `${line.slice(0, 200)}…` : line}` };
}
