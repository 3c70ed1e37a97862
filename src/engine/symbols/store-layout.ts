// Where a symbol file for a module lies under a folder the user names, in the layouts the
// tools write (the same ones WinDbg's _NT_SYMBOL_PATH and Breakpad's minidump_stackwalk read):
//   name.pdb/<id>/name.pdb      a Microsoft symbol store (symstore, symchk, a debugger's cache)
//   name.pdb/<id>/name.sym      Breakpad's store (symupload's layout; dump_syms names the .sym
//                               after the PDB without its extension)
//   name/<id>/name.sym          Breakpad's store for ELF / Mach-O modules (no .pdb in the name)
//   name.pdb, name.sym          a plain folder: the files beside the dump
// <id> is the GUID in upper-case hex and the age (SymbolIdentity.debugId). The ids are not
// trusted to be in the right case on disk by every tool, so the caller compares identities
// after opening; these are only the places to look.

/** What is known of the module whose symbols are wanted. */
export interface SymbolRequest {
  /** The debug file's name as the CodeView record gives it, path stripped ("test_app.pdb"); null when unknown. */
  debugFile: string | null;
  /** The symbol-store id (GUID + age), when the module's CodeView record is known. */
  debugId: string | null;
  /** The module's own file name ("test_app.exe"). */
  codeFile: string;
}

/** The last element of a Windows or POSIX path. */
export function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut >= 0 ? path.slice(cut + 1) : path;
}

function stem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** Characters a store folder name may not hold: a name from a dump must not climb out of the folder. */
function safe(part: string): boolean {
  return part !== '' && part !== '.' && part !== '..' && !/[\\/:\u0000]/.test(part);
}

/**
 * Relative paths (with '/') to try under one search folder, most specific first. Names come from
 * the dump and are untrusted: anything that is not a plain file name is left out.
 */
export function storeCandidates(request: SymbolRequest): string[] {
  const out: string[] = [];
  const add = (path: string): void => {
    if (!out.includes(path)) out.push(path);
  };
  const debugFile = request.debugFile === null ? null : baseName(request.debugFile);
  const code = baseName(request.codeFile);
  if (debugFile !== null && safe(debugFile)) {
    const sym = `${stem(debugFile)}.sym`;
    if (request.debugId !== null && safe(request.debugId)) {
      add(`${debugFile}/${request.debugId}/${debugFile}`);
      add(`${debugFile}/${request.debugId}/${sym}`);
    }
    add(debugFile);
    add(sym);
  }
  if (safe(code)) {
    // Modules without a CodeView record (Wine's dumps, ELF modules named by their file).
    if (request.debugId !== null && safe(request.debugId)) add(`${code}/${request.debugId}/${code}.sym`);
    add(`${stem(code)}.pdb`);
    add(`${stem(code)}.sym`);
  }
  return out;
}
