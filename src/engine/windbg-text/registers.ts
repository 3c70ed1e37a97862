// Register dumps: `r`, `.ecxr`, `.cxr`, the lines under the event line and under CONTEXT: in
// `!analyze -v`:
//   rax=0000000000000000 rbx=000000c54f2ff8f0 rcx=0000000000000001
//    r8=0000000000000000  r9=0000000000000000 r10=0000000000000000
//   iopl=0         nv up ei pl zr na po nc
//   cs=0033  ss=002b  ds=002b  es=002b  fs=0053  gs=002b             efl=00010246
// `r r8` prints one "r8=…" line. Names follow WinDbg except efl, which the model (like the
// minidump reader) calls eflags.

/** Names WinDbg prints that are not registers: the I/O privilege level of the flags line. */
const NOT_REGISTERS = new Set(['iopl']);

const PAIR = /^([a-z][a-z0-9]{1,5})=([0-9a-f]{1,16})$/;
// The flag mnemonics of the iopl line ("nv up ei pl zr na po nc").
const FLAG_WORD = /^[a-z]{2}$/;

/** The registers of one line of a register dump, or null when the line is not one. */
export function parseRegisterLine(line: string): Map<string, bigint> | null {
  const t = line.trim();
  // Cheap refusal first: every register line starts "name=".
  if (!/^[a-z][a-z0-9]{1,5}=/.test(t)) return null;
  const out = new Map<string, bigint>();
  let flags = false;
  for (const tok of t.split(/\s+/)) {
    const m = PAIR.exec(tok);
    if (m) {
      if (m[1] === 'iopl') flags = true;
      else if (!NOT_REGISTERS.has(m[1]!)) out.set(m[1] === 'efl' ? 'eflags' : m[1]!, BigInt(`0x${m[2]}`));
      continue;
    }
    // The iopl line's flag words, and the "ds:0023:00000004=????????" tail some dumps append.
    if (flags && FLAG_WORD.test(tok)) continue;
    return null;
  }
  return out.size > 0 || flags ? out : null;
}

/** The instruction and stack pointers of a register set, whichever CPU printed it. */
export function pcAndSp(regs: ReadonlyMap<string, bigint>): { pc: bigint | null; sp: bigint | null; fp: bigint | null } {
  return {
    pc: regs.get('rip') ?? regs.get('eip') ?? regs.get('pc') ?? null,
    sp: regs.get('rsp') ?? regs.get('esp') ?? regs.get('sp') ?? null,
    fp: regs.get('rbp') ?? regs.get('ebp') ?? regs.get('fp') ?? null,
  };
}
