/**
 * Go's `time.Duration.String()` for the durations kubectl echoes back in messages
 * (`global timeout reached: 1m30s`, `--pod-running-timeout=1m0s`).
 *
 * @example
 * goDuration(90_000); // "1m30s"
 * goDuration(500);    // "500ms"
 * goDuration(0);      // "0s"
 */
export function goDuration(ms: number): string {
  if (ms === 0) return "0s";
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${abs}ms`;
  const hours = Math.floor(abs / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const seconds = (abs % 60_000) / 1000;
  // Go prints fractional seconds without trailing zeros (`1.5s`).
  const secs = `${Number.isInteger(seconds) ? seconds : Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${secs}`;
  if (minutes > 0) return `${sign}${minutes}m${secs}`;
  return `${sign}${secs}`;
}
