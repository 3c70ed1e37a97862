// STACK records: how to find a frame's caller.
//   STACK WIN <type> <rva> <code_size> <prolog_size> <epilog_size> <parameter_size>
//             <saved_register_size> <local_size> <max_stack_size> <has_program_string>
//             <program_string | allocates_base_pointer>
//   STACK CFI INIT <address> <size> <register>: <expression> …
//   STACK CFI <address> <register>: <expression> …
// STACK WIN numbers are all hexadecimal. Type 4 is FrameTypeFrameData (a postfix program), type
// 0 FrameTypeFPO (sizes and an allocates-base-pointer flag); Breakpad uses only these two.
import { parseHex, splitFields } from './fields.ts';

export interface StackWinRecord {
  type: number;
  rva: number;
  codeSize: number;
  prologSize: number;
  epilogSize: number;
  parameterSize: number;
  savedRegisterSize: number;
  localSize: number;
  maxStackSize: number;
  /** The program when has_program_string is non-zero; else null. */
  program: string | null;
  /** The flag when there is no program; false otherwise. */
  allocatesBasePointer: boolean;
}

export interface CfiInitRecord {
  address: number;
  size: number;
  rules: Map<string, string>;
}

export interface CfiDeltaRecord {
  address: number;
  rules: Map<string, string>;
}

/** Postfix programs MSVC writes are under 200 characters; a longer one is not a frame program. */
export const MAX_PROGRAM_CHARS = 4096;
/** Registers named in one CFI rule set: the largest register files have a few dozen. */
export const MAX_CFI_RULES = 128;

export function parseStackWinRecord(text: string): StackWinRecord | null {
  const fields = splitFields(text, 13);
  if (fields.length < 13 || fields[0] !== 'STACK' || fields[1] !== 'WIN') return null;
  const numbers: number[] = [];
  for (let i = 2; i < 12; i++) {
    const value = parseHex(fields[i]!);
    if (value === null) return null;
    numbers.push(value);
  }
  const [type, rva, codeSize, prologSize, epilogSize, parameterSize, savedRegisterSize, localSize, maxStackSize, hasProgram] =
    numbers as [number, number, number, number, number, number, number, number, number, number];
  const last = fields[12]!.trim();
  let program: string | null = null;
  let allocatesBasePointer = false;
  if (hasProgram !== 0) {
    if (last === '' || last.length > MAX_PROGRAM_CHARS) return null;
    program = last;
  } else {
    const flag = parseHex(last);
    if (flag === null) return null;
    allocatesBasePointer = flag !== 0;
  }
  return {
    type,
    rva,
    codeSize,
    prologSize,
    epilogSize,
    parameterSize,
    savedRegisterSize,
    localSize,
    maxStackSize,
    program,
    allocatesBasePointer,
  };
}

export function parseCfiInitRecord(text: string): CfiInitRecord | null {
  const fields = splitFields(text, 6);
  if (fields.length < 6 || fields[0] !== 'STACK' || fields[1] !== 'CFI' || fields[2] !== 'INIT') return null;
  const address = parseHex(fields[3]!);
  const size = parseHex(fields[4]!);
  const rules = parseCfiRuleSet(fields[5]!);
  if (address === null || size === null || rules === null) return null;
  return { address, size, rules };
}

export function parseCfiDeltaRecord(text: string): CfiDeltaRecord | null {
  const fields = splitFields(text, 4);
  if (fields.length < 4 || fields[0] !== 'STACK' || fields[1] !== 'CFI') return null;
  const address = parseHex(fields[2]!);
  const rules = parseCfiRuleSet(fields[3]!);
  if (address === null || rules === null) return null;
  return { address, rules };
}

/**
 * `.cfa: $esp 4 + .ra: .cfa 4 - ^` → {'.cfa' → '$esp 4 +', '.ra' → '.cfa 4 - ^'}. A token ending
 * in ':' names a register; the tokens up to the next name are its expression (expressions never
 * hold a token ending in ':'). Null when a name has no expression, an expression no name, or
 * the set is too large. A register named twice keeps its last rule, as Breakpad's parser does.
 */
export function parseCfiRuleSet(text: string): Map<string, string> | null {
  if (text.length > MAX_PROGRAM_CHARS) return null;
  const rules = new Map<string, string>();
  let name: string | null = null;
  let expression: string[] = [];
  const flush = (): boolean => {
    if (name === null) return expression.length === 0;
    if (expression.length === 0) return false;
    rules.set(name, expression.join(' '));
    return rules.size <= MAX_CFI_RULES;
  };
  for (const token of splitFields(text, MAX_PROGRAM_CHARS)) {
    if (token.endsWith(':')) {
      if (!flush()) return null;
      name = token.slice(0, -1);
      if (name === '') return null;
      expression = [];
    } else {
      if (name === null) return null;
      expression.push(token);
    }
  }
  if (!flush()) return null;
  return rules.size > 0 ? rules : null;
}
