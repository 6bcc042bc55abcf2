/**
 * Time and number formats the node's tools print: Go's `time.Duration` (event messages such
 * as `Successfully pulled image "nginx" in 2.5s`), klog headers (`I0112 09:00:03.123456`),
 * Kubernetes MicroTime (lease renewals), syslog stamps (`Jan 12 09:00:03`) and crictl's
 * "3 minutes ago".
 *
 * @example
 * goDuration(2512);              // "2.512s"
 * klogHeader("I", ms, 1021);     // "I0112 09:00:03.123000    1021"
 * microTime(ms);                 // "2026-01-12T09:00:03.123000Z"
 */
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The UTC calendar fields of an instant (the engine's nodes run in UTC). */
export function utcParts(ms: number) {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate(), weekday: d.getUTCDay(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), millis: d.getUTCMilliseconds(),
  };
}

/** Go's `Duration.String()` for a whole number of milliseconds. */
export function goDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const rest = ms % 60_000;
  const seconds = `${Math.floor(rest / 1000)}${rest % 1000 ? "." + pad(rest % 1000, 3).replace(/0+$/, "") : ""}s`;
  if (h > 0) return `${h}h${m}m${seconds}`;
  if (m > 0) return `${m}m${seconds}`;
  return seconds;
}

/** klog's line header: severity, MMDD, wall clock with microseconds, and the thread id column. */
export function klogHeader(severity: "I" | "W" | "E" | "F", ms: number, pid: number): string {
  const t = utcParts(ms);
  return `${severity}${pad(t.month + 1)}${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}.${pad(t.millis, 3)}000 ${String(pid).padStart(7)}`;
}

/** `metav1.MicroTime`: RFC 3339 with six fractional digits. */
export function microTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  // "YYYY-MM-DDTHH:MM:SS.sssZ" for years 0–9999: three more digits before the Z.
  return iso.length === 24 ? `${iso.slice(0, 23)}000Z` : iso.replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** RFC 3339 with nanoseconds, as `kubectl logs --timestamps` and CRI log files print it. */
export function nanoTime(ms: number, extraNanos = 0): string {
  const iso = new Date(ms).toISOString();
  const nanos = pad(extraNanos % 1_000_000, 6);
  return iso.length === 24 ? `${iso.slice(0, 23)}${nanos}Z` : iso.replace(/\.(\d{3})Z$/, `.$1${nanos}Z`);
}

/** Syslog's `Jan 12 09:00:03` (journalctl's short format). */
export function syslogTime(ms: number): string {
  const t = utcParts(ms);
  return `${MONTHS[t.month]} ${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}

/** systemd's `Mon 2026-01-12 08:52:10 UTC`. */
export function systemdTime(ms: number): string {
  const t = utcParts(ms);
  return `${DAYS[t.weekday]} ${t.year}-${pad(t.month + 1)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)} UTC`;
}

/** `Mon Jan 12 09:00:03 UTC 2026`, what `date` prints. */
export function dateCommandTime(ms: number): string {
  const t = utcParts(ms);
  return `${DAYS[t.weekday]} ${MONTHS[t.month]} ${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)} UTC ${t.year}`;
}

/** Wall clock `09:00:03`. */
export function clockTime(ms: number): string {
  const t = utcParts(ms);
  return `${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}

/** `Jan12`, the START column of `ps` for processes not started today. */
export function monthDay(ms: number): string {
  const t = utcParts(ms);
  return `${MONTHS[t.month]}${pad(t.day)}`;
}

/** Whether two instants fall on the same UTC day. */
export function sameDay(a: number, b: number): boolean {
  return Math.floor(a / 86_400_000) === Math.floor(b / 86_400_000);
}

/** systemd's "8min ago" / "1h 2min ago" / "3s ago" (`format_timespan` with one or two units). */
export function systemdAgo(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s ago`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min}min ago`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h}h ${min % 60}min ago` : `${h}h ago`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} day${d > 1 ? "s" : ""} ${h % 24}h ago` : `${d} day${d > 1 ? "s" : ""} ago`;
}

/** go-units `HumanDuration` + " ago", what crictl prints in its CREATED column. */
export function crictlAgo(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  let text: string;
  if (seconds < 1) text = "Less than a second";
  else if (seconds === 1) text = "1 second";
  else if (seconds < 60) text = `${seconds} seconds`;
  else if (Math.floor(ms / 60_000) === 1) text = "About a minute";
  else if (Math.floor(ms / 60_000) < 60) text = `${Math.floor(ms / 60_000)} minutes`;
  else {
    const hours = Math.round(ms / 3_600_000);
    if (hours === 1) text = "About an hour";
    else if (hours < 48) text = `${hours} hours`;
    else if (hours < 24 * 7 * 2) text = `${Math.floor(hours / 24)} days`;
    else text = `${Math.floor(hours / 24 / 7)} weeks`;
  }
  return `${text} ago`;
}

/** A hex string of `length` digits derived from a text (stable digests for catalog images). */
export function stableHex(text: string, length: number): string {
  let out = "";
  let h = 0x811c9dc5;
  for (let round = 0; out.length < length; round++) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ round, 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, "0");
  }
  return out.slice(0, length);
}
