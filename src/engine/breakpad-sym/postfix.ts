// Breakpad's postfix language: the programs of STACK WIN records (MSVC's FRAMEDATA programs,
// "$T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + =") and the expressions of STACK CFI
// rules (".cfa: $rsp 8 + .ra: .cfa -8 + ^"), evaluated as Breakpad's PostfixEvaluator does:
//   - tokens split at whitespace; `+ - * / %` and `@` (align: a & ~(b - 1)) pop two values,
//     `^` pops an address and pushes the word stored there, `=` pops a value and then a
//     variable name (which must start with '$') and assigns;
//   - any other token is pushed as it is: a decimal literal (a leading '-' allowed) or a name
//     ($eip, .cbParams, .cfa, x29…), resolved when it is popped as a value, so a name pushed
//     before an assignment to it reads the new value;
//   - MSVC 2010 sometimes glues '=' to the next token ("=$eip"): split, as Breakpad does.
// Values are unsigned words of the frame's width (32 or 64 bits) and wrap as the machine's do.
// Memory is read through an async callback (a dump is read lazily). The evaluator is pure and
// bounded: program length, tokens, stack depth and memory reads are capped, and every failure is
// a value with a kind and a one-line message, never an exception.
import type { CfiRules } from '../symbols/symbol-file.ts';

/** Longest program or expression evaluated; MSVC's are under 200 characters. */
export const MAX_POSTFIX_CHARS = 4096;
/** Tokens evaluated in one run (there are no loops: this bounds the steps). */
export const MAX_POSTFIX_TOKENS = 1024;
/** Values on the stack at once. */
export const MAX_POSTFIX_STACK = 256;
/** Memory reads (`^`) in one run. */
export const MAX_POSTFIX_READS = 64;

export interface PostfixMachine {
  /** Word width: 32 for x86 frames, 64 for 64-bit ones. */
  bits: 32 | 64;
  /** The word at `address` (bits / 8 bytes, little-endian), or null when memory there is unknown. */
  readWord(address: bigint): Promise<bigint | null>;
}

export type PostfixErrorKind =
  | 'syntax' // a name where a value is needed, an assignment to a constant, leftovers on the stack
  | 'unknown-name' // a variable with no value
  | 'stack' // an operator with too few operands
  | 'memory' // `^` at an address the dump does not hold
  | 'arithmetic' // division or remainder by zero
  | 'limit'; // a bound above was hit

export interface PostfixError {
  kind: PostfixErrorKind;
  message: string;
}

export type PostfixResult<T> = { ok: true; value: T } | { ok: false; error: PostfixError };

type Entry = { value: bigint } | { name: string };

const BINARY = new Set(['+', '-', '*', '/', '%', '@']);

class Evaluation {
  readonly stack: Entry[] = [];
  readonly variables: Map<string, bigint>;
  readonly assigned = new Map<string, bigint>();
  readonly machine: PostfixMachine;
  readonly mask: bigint;
  reads = 0;

  constructor(variables: ReadonlyMap<string, bigint>, machine: PostfixMachine) {
    this.variables = new Map(variables);
    this.machine = machine;
    this.mask = (1n << BigInt(machine.bits)) - 1n;
  }

  wrap(value: bigint): bigint {
    return value & this.mask;
  }

  push(entry: Entry): PostfixError | null {
    if (this.stack.length >= MAX_POSTFIX_STACK) return { kind: 'limit', message: `more than ${MAX_POSTFIX_STACK} values on the stack` };
    this.stack.push(entry);
    return null;
  }

  pop(): bigint | PostfixError {
    const entry = this.stack.pop();
    if (entry === undefined) return { kind: 'stack', message: 'an operator has too few operands' };
    if ('value' in entry) return entry.value;
    const value = this.variables.get(entry.name);
    if (value === undefined) return { kind: 'unknown-name', message: `${clip(entry.name)} has no value` };
    return value;
  }

  async token(token: string): Promise<PostfixError | null> {
    if (BINARY.has(token)) {
      const b = this.pop();
      if (typeof b !== 'bigint') return b;
      const a = this.pop();
      if (typeof a !== 'bigint') return a;
      let result: bigint;
      switch (token) {
        case '+':
          result = a + b;
          break;
        case '-':
          result = a - b;
          break;
        case '*':
          result = a * b;
          break;
        case '/':
        case '%':
          if (b === 0n) return { kind: 'arithmetic', message: `${token === '/' ? 'division' : 'remainder'} by zero` };
          result = token === '/' ? a / b : a % b;
          break;
        default: // '@'
          result = a & (this.mask ^ this.wrap(b - 1n));
      }
      return this.push({ value: this.wrap(result) });
    }
    if (token === '^') {
      const address = this.pop();
      if (typeof address !== 'bigint') return address;
      if (++this.reads > MAX_POSTFIX_READS) return { kind: 'limit', message: `more than ${MAX_POSTFIX_READS} memory reads` };
      const word = await this.machine.readWord(address);
      if (word === null) return { kind: 'memory', message: `no memory at 0x${address.toString(16)}` };
      return this.push({ value: this.wrap(word) });
    }
    if (token === '=') {
      const value = this.pop();
      if (typeof value !== 'bigint') return value;
      const target = this.stack.pop();
      if (target === undefined) return { kind: 'stack', message: "'=' has nothing to assign to" };
      if (!('name' in target) || !target.name.startsWith('$')) {
        return { kind: 'syntax', message: `'=' can only assign to a $variable, not ${'name' in target ? clip(target.name) : 'a number'}` };
      }
      this.variables.set(target.name, value);
      this.assigned.set(target.name, value);
      return null;
    }
    const literal = parseLiteral(token, this.machine.bits);
    if (literal === 'too-large') return { kind: 'syntax', message: `${clip(token)} does not fit in ${this.machine.bits} bits` };
    return this.push(literal === null ? { name: token } : { value: this.wrap(literal) });
  }
}

/** A decimal literal with an optional leading '-', as Breakpad reads one; null when the token is a name. */
function parseLiteral(token: string, bits: number): bigint | null | 'too-large' {
  const negative = token.charCodeAt(0) === 0x2d;
  const digits = negative ? token.slice(1) : token;
  if (digits.length === 0) return null;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return null;
  }
  if (digits.length > 20) return 'too-large';
  const magnitude = BigInt(digits);
  if (magnitude >> BigInt(bits) !== 0n) return 'too-large';
  return negative ? -magnitude : magnitude;
}

function tokens(program: string): string[] | PostfixError {
  if (program.length > MAX_POSTFIX_CHARS) return { kind: 'limit', message: `a program longer than ${MAX_POSTFIX_CHARS} characters` };
  const out: string[] = [];
  let i = 0;
  while (i < program.length) {
    while (i < program.length && isSpace(program.charCodeAt(i))) i++;
    if (i >= program.length) break;
    const start = i;
    while (i < program.length && !isSpace(program.charCodeAt(i))) i++;
    const token = program.slice(start, i);
    // "=$eip": an assignment glued to the next token.
    if (token.length > 1 && token.charCodeAt(0) === 0x3d) out.push('=', token.slice(1));
    else out.push(token);
    if (out.length > MAX_POSTFIX_TOKENS) return { kind: 'limit', message: `more than ${MAX_POSTFIX_TOKENS} tokens` };
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

async function run(program: string, variables: ReadonlyMap<string, bigint>, machine: PostfixMachine): Promise<Evaluation | PostfixError> {
  const list = tokens(program);
  if (!Array.isArray(list)) return list;
  const evaluation = new Evaluation(variables, machine);
  for (const token of list) {
    const error = await evaluation.token(token);
    if (error !== null) return error;
  }
  return evaluation;
}

/**
 * Runs a STACK WIN program: `variables` holds the callee's registers ($ebp, $esp…) and the
 * record's sizes (.cbParams, .cbSavedRegs, .cbLocals, .raSearchStart…). Returns the variables
 * the program assigned (the caller's $eip, $esp, $ebp…), with their final values. As in
 * Breakpad, a program that leaves values on the stack has failed.
 */
export async function runPostfixProgram(
  program: string,
  variables: ReadonlyMap<string, bigint>,
  machine: PostfixMachine,
): Promise<PostfixResult<Map<string, bigint>>> {
  const result = await run(program, variables, machine);
  if (!(result instanceof Evaluation)) return { ok: false, error: result };
  if (result.stack.length > 0) return { ok: false, error: { kind: 'syntax', message: `${result.stack.length} value(s) left on the stack` } };
  return { ok: true, value: result.assigned };
}

/** Evaluates one expression (a CFI rule): it must leave exactly one value. */
export async function evaluatePostfixExpression(
  expression: string,
  variables: ReadonlyMap<string, bigint>,
  machine: PostfixMachine,
): Promise<PostfixResult<bigint>> {
  const result = await run(expression, variables, machine);
  if (!(result instanceof Evaluation)) return { ok: false, error: result };
  if (result.stack.length !== 1) {
    return { ok: false, error: { kind: 'syntax', message: `the expression left ${result.stack.length} values instead of one` } };
  }
  const value = result.pop();
  return typeof value === 'bigint' ? { ok: true, value } : { ok: false, error: value };
}

export interface CallerRegisters {
  /** Every register a rule recovered, plus '.cfa' and '.ra'. */
  registers: Map<string, bigint>;
  /** Registers whose rule could not be evaluated (left unknown, as Breakpad leaves them). */
  failed: Map<string, PostfixError>;
}

/**
 * Recovers the caller's registers from STACK CFI rules, as Breakpad's CFIFrameInfo does: the
 * CFA first from the callee's registers, then the return address and every other register with
 * '.cfa' set to it. Fails without rules for both '.cfa' and '.ra' or when either cannot be
 * evaluated; another register whose rule fails is reported in `failed` and left out.
 */
export async function recoverCallerRegisters(
  rules: CfiRules,
  callee: ReadonlyMap<string, bigint>,
  machine: PostfixMachine,
): Promise<PostfixResult<CallerRegisters>> {
  const cfaRule = rules.get('.cfa');
  const raRule = rules.get('.ra');
  if (cfaRule === undefined || raRule === undefined) {
    return { ok: false, error: { kind: 'syntax', message: 'the CFI rules lack a rule for .cfa or .ra' } };
  }
  const cfa = await evaluatePostfixExpression(cfaRule, callee, machine);
  if (!cfa.ok) return { ok: false, error: { kind: cfa.error.kind, message: `.cfa: ${cfa.error.message}` } };
  const withCfa = new Map(callee);
  withCfa.set('.cfa', cfa.value);
  const ra = await evaluatePostfixExpression(raRule, withCfa, machine);
  if (!ra.ok) return { ok: false, error: { kind: ra.error.kind, message: `.ra: ${ra.error.message}` } };
  const registers = new Map<string, bigint>();
  const failed = new Map<string, PostfixError>();
  for (const [register, rule] of rules) {
    if (register === '.cfa' || register === '.ra') continue;
    const value = await evaluatePostfixExpression(rule, withCfa, machine);
    if (value.ok) registers.set(register, value.value);
    else failed.set(register, value.error);
  }
  registers.set('.cfa', cfa.value);
  registers.set('.ra', ra.value);
  return { ok: true, value: { registers, failed } };
}
