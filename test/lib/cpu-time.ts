// Time as work: the CPU time of the calling thread (process.threadCpuUsage, Node ≥ 23.9). On a
// machine busy with other work, wall time stretches with the load (a 40 ms step can take 400 ms)
// while a thread's CPU time stays what the work costs, so a limit on it cannot flip because the
// machine was busy. Where Node cannot tell (an older runtime), wall time stands in.

type CpuUsage = { user: number; system: number };
const threadCpu = (process as unknown as { threadCpuUsage?: (previous?: CpuUsage) => CpuUsage }).threadCpuUsage?.bind(process);

/** Milliseconds on this thread's CPU clock (or the wall clock); only differences mean anything. */
export function threadCpuMs(): number {
  if (!threadCpu) return performance.now();
  const u = threadCpu();
  return (u.user + u.system) / 1000;
}

/** True when threadCpuMs measures CPU time, not wall time. */
export const MEASURES_CPU = threadCpu !== undefined;

/** CPU milliseconds `work` takes on this thread. */
export function cpuMs(work: () => void): number {
  const t = threadCpuMs();
  work();
  return threadCpuMs() - t;
}

/**
 * CPU milliseconds of work that awaits: the engine over an in-memory source awaits only
 * microtasks, so its whole run is on this thread. (Another test on the same thread while this
 * one awaits would be counted too; vitest runs a file's tests one at a time.)
 */
export async function cpuMsAsync<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = threadCpuMs();
  const value = await work();
  return { ms: threadCpuMs() - t, value };
}
