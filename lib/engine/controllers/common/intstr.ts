/**
 * `intstr.GetScaledValueFromIntOrPercent`: a count, or a percentage of `total` rounded up or
 * down (maxSurge rounds up, maxUnavailable down for Deployments; DaemonSets round both up).
 *
 * @example
 * scaledValue("25%", 3, true);  // 1
 * scaledValue("25%", 3, false); // 0
 * scaledValue(2, 10, false);    // 2
 */
import type { IntOrString } from "../../api";

/** The value, or 0 for an absent or malformed one (validation rejects those upstream). */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === "number") return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return /^\d+$/.test(v) ? Number(v) : 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}
