/**
 * klog's text header, which kubectl prints before warnings and errors it logs rather than
 * returns (`E1121 13:59:53.079952    9906 memcache.go:265] …`): severity, month and day,
 * wall time with microseconds, the thread id right-aligned in 7 columns, and the source line.
 * The time comes from the virtual clock, so transcripts replay byte for byte.
 *
 * @example
 * klogLine("E", Date.UTC(2026, 0, 12, 9, 0, 0), 4242, "memcache.go:265", "boom");
 * // "E0112 09:00:00.000000    4242 memcache.go:265] boom\n"
 */
import { fnv1a32 } from "../util/hash";

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** One klog line; `epochMicros` may carry microseconds beyond the clock's milliseconds. */
export function klogLine(severity: "E" | "W" | "I", epochMs: number, pid: number, source: string, message: string, extraMicros = 0): string {
  const totalMicros = Math.floor(epochMs) * 1000 + extraMicros;
  const ms = Math.floor(totalMicros / 1000);
  const micros = totalMicros % 1_000_000;
  const d = new Date(ms);
  const date = `${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
  const time = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(micros, 6)}`;
  return `${severity}${date} ${time} ${String(pid).padStart(7, " ")} ${source}] ${message}\n`;
}

/** Go's `%q` for a log value: quotes and backslashes escaped. */
export function goQuote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/**
 * The process id klog prints for one kubectl run. A real pid is arbitrary; this one is derived
 * from the virtual time the run started at, so replays print the same number.
 */
export function kubectlPid(now: number): number {
  return 2000 + (fnv1a32(`kubectl@${now}`) % 60000);
}
