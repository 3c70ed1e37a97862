// What a symbol file (a PDB, a Breakpad .sym) tells the engine, whatever its format. The two
// readers (src/engine/pdb, src/engine/breakpad-sym) implement this; the namer and the x86
// walker use only this, so a third format would plug in here too.
//
// Every method is asynchronous because a reader reads its file lazily through a ByteSource:
// opening reads the headers it needs, a lookup reads the pages that lookup needs, and a PDB of
// 2 GB is never read whole. Addresses are RVAs (offsets from the module's load base): a symbol
// file knows nothing of where the module was loaded.

/** A place in the program's source, as the line table gives it. */
export interface SourceLine {
  /** The path as the symbol file spells it ("C:\\src\\app\\order.c"). */
  file: string;
  /** 1-based line number. */
  line: number;
}

/**
 * One level of the code at an address. A plain function gives one level; code inlined into it
 * gives one more level per inlined call, innermost first, as WinDbg shows inline frames.
 */
export interface SymbolLevel {
  /** The function's name as the file spells it ("Order::submit", "fault_in_dll"). */
  name: string;
  /**
   * The RVA the offset is counted from: the function's start for the outermost level; for an
   * inlined level the start of the inline site's first range (WinDbg prints inline frames
   * without an offset, so this is informational).
   */
  startRva: number;
  /** True for a level inlined into the one after it. */
  inlined: boolean;
  /**
   * The source line this level is at: for the innermost level the line of the address itself;
   * for an outer level the line of the call that was inlined into it.
   */
  source: SourceLine | null;
}

export interface SymbolLookup {
  /** Innermost first; the last entry is the real (outermost) function. Never empty. */
  levels: SymbolLevel[];
  /**
   * 'private': a procedure record (with lines when the file has them);
   * 'public': only a public symbol / PUBLIC record covers the address (a stripped PDB), so the
   * name is the nearest preceding public and the size of the function is unknown.
   */
  from: 'private' | 'public';
}

/** Who a symbol file says it belongs to, as the module's CodeView record must also say. */
export interface SymbolIdentity {
  /** The PDB file name the image refers to ("test_app.pdb"), as the file records it. */
  debugFile: string;
  /**
   * The symbol-store id: the PDB70 GUID as 32 upper-case hex digits in the GUID's printed
   * order (Data1-Data2-Data3-Data4, no dashes) followed by the age in upper-case hex without
   * padding — "5A9832E5287241C1838ED98914E9B7FF1" — the folder name of the symbol-store layout
   * `name.pdb/<id>/name.pdb` and Breakpad's MODULE line id.
   */
  debugId: string;
}

/**
 * How to find the caller of an x86 frame that keeps no frame pointer: FPO_DATA / FRAMEDATA from
 * a PDB, STACK WIN from a .sym. Sizes in bytes.
 */
export interface X86FrameInfo {
  /** 'fpo' = FPO_DATA (or STACK WIN type 0), 'framedata' = FRAMEDATA (STACK WIN type 4). */
  kind: 'fpo' | 'framedata';
  /** Range this record covers, as RVAs [start, start + codeSize). */
  startRva: number;
  codeSize: number;
  prologSize: number;
  savedRegsSize: number;
  localsSize: number;
  paramsSize: number;
  /** Upper bound of stack the function may use, when known (FRAMEDATA); else null. */
  maxStackSize: number | null;
  /** True when EBP is used as a frame pointer in this range (FPO's fHasBP / STACK WIN allocates_base_pointer). */
  allocatesBasePointer: boolean;
  /**
   * The postfix program that computes the caller's registers ("$T0 .raSearch = $eip $T0 ^ = …"),
   * when the record has one; null means use the sizes above.
   */
  program: string | null;
}

/**
 * Breakpad STACK CFI rules at one address: for each register ('.cfa', '.ra', '$rbp', …) the
 * postfix expression that recovers it, with the INIT record and every delta up to the address
 * already applied.
 */
export type CfiRules = ReadonlyMap<string, string>;

/** What can go wrong inside a symbol file without costing the report: a one-line message each. */
export interface SymbolWarning {
  kind: 'symbols-unreadable' | 'symbols-partial';
  message: string;
}

export interface SymbolFile {
  readonly format: 'pdb' | 'breakpad-sym';
  /** The file's name as the user gave it, for messages. */
  readonly name: string;
  readonly identity: SymbolIdentity;
  /** Names the code at `rva`, or null when the file holds nothing that covers it. */
  lookup(rva: number): Promise<SymbolLookup | null>;
  /** x86 frame data covering `rva`, or null. Files of 64-bit modules return null. */
  x86FrameInfo(rva: number): Promise<X86FrameInfo | null>;
  /** STACK CFI rules at `rva` (Breakpad files only), or null. */
  cfiRules(rva: number): Promise<CfiRules | null>;
  /** Trouble met so far (a stream that could not be read, a record cut short…). */
  readonly warnings: readonly SymbolWarning[];
}

/** Limits a reader keeps whatever the file claims; see docs/limits.md. */
export interface SymbolReadLimits {
  /** Bytes one reader may hold in parsed tables and cached pages at once. */
  maxHeldBytes: number;
  /** Bytes one lookup may read from the file before it gives up with a warning. */
  maxBytesPerLookup: number;
}

export const DEFAULT_SYMBOL_READ_LIMITS: SymbolReadLimits = {
  maxHeldBytes: 32 * 1024 * 1024,
  maxBytesPerLookup: 16 * 1024 * 1024,
};
