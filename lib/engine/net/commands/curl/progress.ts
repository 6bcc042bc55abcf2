/**
 * curl's progress meter (lib/progress.c), shown on stderr when the body does not go to the
 * terminal and `-s` is not given: two header lines, the meter at the start, and the meter at
 * the end with the sizes, average speeds and current speed; times under a second are
 * `--:--:--`.
 *
 * @example
 * PROGRESS_HEADER + PROGRESS_ZERO + progressMeter(615, 615, 0.8);
 * // "…\r100   615  100   615    0     0   750k      0 --:--:-- --:--:-- --:--:--  750k\n"
 */

export const PROGRESS_HEADER = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n";
export const PROGRESS_ZERO = "\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0";

const KB = 1024;
const MB = 1024 * 1024;

/** max5data: a size in five columns (`  615`, ` 716k`, ` 1.2M`). */
export function max5(bytes: number): string {
  const n = Math.floor(bytes);
  if (n < 100000) return String(n).padStart(5);
  if (n < 10000 * KB) return `${String(Math.floor(n / KB)).padStart(4)}k`;
  if (n < 100 * MB) return `${String(Math.floor(n / MB)).padStart(2)}.${Math.floor((n % MB) / (MB / 10))}M`;
  return `${String(Math.floor(n / MB)).padStart(4)}M`;
}

/** time2str: `H:MM:SS`, or `--:--:--` under a second. */
function time2str(seconds: number): string {
  const s = Math.floor(seconds);
  if (s <= 0) return "--:--:--";
  const h = Math.floor(s / 3600);
  return `${String(h).padStart(2)}:${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

/** The last meter line and its newline: `bytes` received of `size` (unknown: no percentage), over `ms`. */
export function progressMeter(bytes: number, size: number | undefined, ms: number): string {
  const speed = ms > 0 ? (bytes * 1000) / ms : bytes;
  const pct = size ? Math.floor((bytes * 100) / size) : 0;
  const total = size ?? bytes;
  const spent = time2str(ms / 1000);
  return `\r${String(pct).padStart(3)} ${max5(total)}  ${String(pct).padStart(3)} ${max5(bytes)}  ${"0".padStart(3)} ${max5(0)}  ${max5(speed)}  ${max5(0)} ${size ? spent : "--:--:--"} ${spent} --:--:-- ${max5(speed)}\n`;
}
