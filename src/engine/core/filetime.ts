// Windows FILETIME: 100-nanosecond ticks since 1601-01-01 UTC (thread creation times, process
// times in the misc-info stream).

/** Milliseconds between 1601-01-01 and the Unix epoch. */
const EPOCH_1601_MS = 11644473600000;

/** FILETIME → ISO-8601, or null for 0 and values outside JavaScript's date range. */
export function filetimeToIso(ticks: bigint): string | null {
  if (ticks <= 0n) return null;
  const ms = Number(ticks / 10000n) - EPOCH_1601_MS;
  if (!Number.isFinite(ms) || ms < 0 || ms > 8.64e15) return null;
  return new Date(ms).toISOString();
}
