/**
 * apimachinery's `duration.HumanDuration`: the AGE kubectl prints. It keeps two or three
 * significant figures and switches units at the same thresholds as upstream, so `119s` is
 * followed by `2m`, `2m1s`…`9m59s`, `10m`…`179m`, `3h`, `3h1m`…`7h59m`, `8h`…`47h`, `2d`,
 * `2d1h`…`7d23h`, `8d`…`729d`, `2y`, `2y1d`…`7y364d`, then `8y`.
 *
 * @example
 * humanDuration(123_000);          // "2m3s"
 * humanDuration(-1500);            // "0s" (up to 2s of clock skew reads as "now")
 * humanDuration(-5000);            // "<invalid>"
 */
export function humanDuration(ms: number): string {
  // Go truncates every division toward zero (`int(d / time.Minute)`), so Math.trunc, not floor.
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.trunc(hours / 24) % 365;
    const years = Math.trunc(hours / 24 / 365);
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}
