// Work the page does on its main thread after a report arrives (rows of a long stack, a page
// of the module table, colouring) is cut into slices of a few milliseconds, with the page free
// to take input and paint between them: a task over 50 ms is what Chromium calls a long task,
// and the page's bound is that none of ours comes near 200 ms, whatever the report holds.

/** Milliseconds of work in one slice. */
export const SLICE_MS = 12;

interface Scheduler {
  yield?: () => Promise<void>;
}

/** Resolves in a new task, after the page has had its turn (input, paint). */
export function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  // A message round trip is a new task without setTimeout's 4 ms clamp on nested timers.
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Runs `step(i)` for i from `from` up to `to`, in slices of about SLICE_MS. Stops early (and
 * resolves false) once `wanted()` turns false: the report was replaced, or the reader asked
 * for something else.
 */
export async function inSlices(from: number, to: number, step: (i: number) => void, wanted: () => boolean = () => true): Promise<boolean> {
  let i = from;
  while (i < to) {
    if (!wanted()) return false;
    const end = performance.now() + SLICE_MS;
    // The clock is read every 16 steps: one step (a row) is far below a millisecond.
    do {
      const stop = Math.min(to, i + 16);
      for (; i < stop; i++) step(i);
    } while (i < to && performance.now() < end);
    if (i < to) await yieldToPage();
  }
  return true;
}

/** Calls `work(deadline)` when the page is idle (or within `timeoutMs`); `deadline` is when to stop. */
export function whenIdle(work: (deadline: number) => void, timeoutMs = 200): void {
  const w = globalThis as { requestIdleCallback?: (cb: (d: { timeRemaining(): number }) => void, o?: { timeout: number }) => number };
  if (w.requestIdleCallback) {
    w.requestIdleCallback((d) => work(performance.now() + Math.max(4, Math.min(SLICE_MS, d.timeRemaining()))), { timeout: timeoutMs });
  } else {
    setTimeout(() => work(performance.now() + SLICE_MS), 16);
  }
}
