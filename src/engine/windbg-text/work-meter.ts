// The time budget, polled by work done. Reading a text costs in proportion to the characters
// the parsers see (every pattern is linear in its line, and lines are cut to a bound), so the
// meter counts characters and polls the clock when enough have passed: often on a text of long
// lines, rarely on one of short lines, and never more than POLL_CHARS of work apart. The passes
// after the line loop (model assembly) count their units of work on the same meter.
import type { Budget } from '../core/budget.ts';

/**
 * Characters (or assembly units) of work between two looks at the clock: a few dozen
 * microseconds of parsing, so even lines cut to their bound are looked at every two lines, and
 * reading the clock (tens of nanoseconds) stays far below the work it guards.
 */
export const POLL_CHARS = 16 * 1024;

export class WorkMeter {
  readonly #budget: Budget | undefined;
  #sincePoll = 0;
  #expired = false;
  /** Work counted so far, all of it: what tests of the bound assert on. */
  done = 0;
  /** Clock reads so far. */
  polls = 0;

  constructor(budget?: Budget) {
    this.#budget = budget;
  }

  /**
   * Counts `units` of work; true once the budget is spent (and from then on). Throws
   * DumpError('cancelled') when the caller aborted.
   */
  spend(units: number): boolean {
    this.done += units;
    this.#sincePoll += units;
    if (this.#expired || !this.#budget || this.#sincePoll < POLL_CHARS) return this.#expired;
    this.#sincePoll = 0;
    return this.poll();
  }

  /** Looks at the clock now, whatever was spent. */
  poll(): boolean {
    if (!this.#budget || this.#expired) return this.#expired;
    this.polls++;
    this.#budget.throwIfCancelled();
    this.#expired = this.#budget.expired;
    return this.#expired;
  }

  get expired(): boolean {
    return this.#expired;
  }

  warning(what: string): { kind: 'cap-time'; message: string } {
    return this.#budget!.warning(what);
  }
}
