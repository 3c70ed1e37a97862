// Errors are values with a kind and a one-line message. openPdb rejects with a PdbError when the
// file cannot be used at all (not a PDB, an MSF 2.0 "JG" database, a directory that contradicts
// itself); a lookup that meets a damaged record catches it and records a SymbolWarning instead.
// Messages raised below the file level leave out the file name: openPdb and the lookups prefix it.

export type PdbErrorKind =
  | 'not-a-pdb' // no MSF 7.0 signature: some other file
  | 'unsupported' // a real program database we do not read (MSF 2.0)
  | 'truncated' // the file ends before a part it says it has
  | 'corrupt' // the bytes are there but contradict themselves
  | 'io' // the byte source failed
  | 'too-large'; // a bound was hit (a count, a size, the bytes one lookup may read)

export class PdbError extends Error {
  readonly kind: PdbErrorKind;
  constructor(kind: PdbErrorKind, message: string) {
    super(message);
    this.kind = kind;
    this.name = 'PdbError';
  }
}

/** `err` as a PdbError whose message starts with `fileName: ` (other throws become 'io'/'corrupt'). */
export function withFileName(err: unknown, fileName: string): PdbError {
  if (err instanceof PdbError) {
    if (err.message.startsWith(`${fileName}: `)) return err;
    return new PdbError(err.kind, `${fileName}: ${err.message}`);
  }
  const text = err instanceof Error ? err.message : String(err);
  const line = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  // RangeError and friends would be a bug in a bound here; the byte source's own failures are 'io'.
  const kind = err instanceof RangeError || err instanceof TypeError ? 'corrupt' : 'io';
  return new PdbError(kind, `${fileName}: ${line}`);
}
