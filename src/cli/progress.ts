// The progress bar of a run over many files: drawn on stderr, and only when stderr is a
// terminal (a pipe or a log file gets no carriage returns). Redrawn at most ten times a second;
// anything printed meanwhile first clears the bar's line, so it never mixes into a report.
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const REDRAW_MS = 100;

export class Progress {
  readonly #total: number;
  readonly #stream: ProgressStream;
  readonly #started = Date.now();
  #done = 0;
  #broken = 0;
  #lastDraw = 0;
  #shown = false;

  constructor(total: number, stream: ProgressStream) {
    this.#total = total;
    this.#stream = stream;
  }

  /** A bar for `total` files on `stream`, or null when it is not a terminal or there is one file. */
  static maybe(total: number, stream: ProgressStream, wanted: boolean): Progress | null {
    return wanted && stream.isTTY === true && total > 1 ? new Progress(total, stream) : null;
  }

  tick(ok: boolean): void {
    this.#done++;
    if (!ok) this.#broken++;
    const now = Date.now();
    if (now - this.#lastDraw >= REDRAW_MS || this.#done === this.#total) this.#draw(now);
  }

  /** Clears the bar's line (before something else is printed); the next tick redraws it. */
  clear(): void {
    if (!this.#shown) return;
    this.#stream.write('\r\x1b[2K');
    this.#shown = false;
    this.#lastDraw = 0;
  }

  #draw(now: number): void {
    const width = Math.max(10, Math.min(40, (this.#stream.columns ?? 80) - 50));
    const filled = Math.round((this.#done / this.#total) * width);
    const secs = Math.round((now - this.#started) / 1000);
    const broken = this.#broken > 0 ? `, ${this.#broken} unreadable` : '';
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    this.#stream.write(`\r\x1b[2K[${bar}] ${this.#done}/${this.#total} files${broken}, ${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, '0')}`);
    this.#shown = true;
    this.#lastDraw = now;
  }
}
