// How long one analysis may take, and whether the caller still wants it. The readers poll a
// Budget between threads, between frames and every few thousand text lines; when the time is
// up they stop where they are and return what they read with a `cap-time` warning, because a
// partial report is worth more to a user than a timeout. Cancellation (an AbortSignal) is
// different: nobody wants the result, so it ends the analysis with DumpError('cancelled').
//
// Polling, not a timer: with an in-memory source every await is a microtask, and a timer
// callback would never get to run before the analysis ended.
import { DumpError } from './errors.ts';

/** The budget the CLI and the page give one input (analyze() itself has none unless asked). */
export const DEFAULT_BUDGET_MS = 20_000;

export interface BudgetOptions {
  /** Milliseconds the analysis may take; absent or non-finite = no limit. */
  budgetMs?: number;
  signal?: AbortSignal;
  /** Clock in milliseconds; injectable so tests can run out of time on purpose. */
  now?: () => number;
}

export class Budget {
  readonly budgetMs: number | null;
  readonly signal: AbortSignal | undefined;
  readonly #now: () => number;
  readonly #deadline: number;
  #expired = false;

  constructor(options: BudgetOptions = {}) {
    const ms = options.budgetMs;
    this.budgetMs = ms !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : null;
    this.signal = options.signal;
    this.#now = options.now ?? (() => performance.now());
    this.#deadline = this.budgetMs === null ? Infinity : this.#now() + this.budgetMs;
  }

  /** True once the time is up; stays true. */
  get expired(): boolean {
    if (!this.#expired && this.budgetMs !== null && this.#now() >= this.#deadline) this.#expired = true;
    return this.#expired;
  }

  get cancelled(): boolean {
    return this.signal?.aborted ?? false;
  }

  /** Throws DumpError('cancelled') when the caller has aborted. */
  throwIfCancelled(): void {
    if (this.cancelled) throw new DumpError('cancelled', 'the analysis was cancelled');
  }

  /** The warning a reader adds when it stopped early for time. */
  warning(what: string): { kind: 'cap-time'; message: string } {
    return { kind: 'cap-time', message: `the analysis stopped after ${this.budgetMs} ms (its time budget); ${what}` };
  }
}
