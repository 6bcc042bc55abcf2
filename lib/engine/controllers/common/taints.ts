/**
 * Taints and tolerations (`k8s.io/api/core/v1` toleration.go and `v1helper`): matching, the
 * first untolerated taint, the tolerations a pod uses against a set of taints, and the
 * well-known taint keys the node lifecycle controller sets.
 *
 * @example
 * toleratesTaint({ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
 *   { key: "node.kubernetes.io/unreachable", effect: "NoExecute" }); // true
 */
import type { Taint, Toleration } from "../../api";

export const TAINT_NOT_READY = "node.kubernetes.io/not-ready";
export const TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";
export const TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
export const TAINT_MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
export const TAINT_DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
export const TAINT_PID_PRESSURE = "node.kubernetes.io/pid-pressure";
export const TAINT_NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";
export const TAINT_OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

/** `Toleration.ToleratesTaint`: empty key/effect match any; an empty operator means Equal. */
function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator ?? "";
  if (op === "" || op === "Equal") return (t.value ?? "") === (taint.value ?? "");
  return op === "Exists";
}

/** `TolerationsTolerateTaint`. */
export function tolerated(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** `FindMatchingUntoleratedTaint`: the first taint passing `filter` that no toleration tolerates. */
export function findUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  filter: (t: Taint) => boolean,
): Taint | undefined {
  return (taints ?? []).find((t) => filter(t) && !tolerated(tolerations, t));
}

/**
 * `GetMatchingTolerations`: whether every taint is tolerated and, if so, the first toleration
 * used for each (the taint eviction controller takes the shortest `tolerationSeconds`).
 */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): { all: boolean; used: Toleration[] } {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = (tolerations ?? []).find((tol) => toleratesTaint(tol, taint));
    if (!t) return { all: false, used: [] };
    used.push(t);
  }
  return { all: true, used };
}

/** `MatchToleration`: same key, operator, value and effect. */
function sameToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? "") === (b.key ?? "") && (a.operator ?? "") === (b.operator ?? "") && (a.value ?? "") === (b.value ?? "") && (a.effect ?? "") === (b.effect ?? "");
}

/** `AddOrUpdateTolerationInPodSpec`: replaces a matching toleration, else appends. */
export function addOrUpdateToleration(tolerations: Toleration[], toleration: Toleration): Toleration[] {
  const at = tolerations.findIndex((t) => sameToleration(t, toleration));
  if (at < 0) return [...tolerations, toleration];
  const out = [...tolerations];
  out[at] = toleration;
  return out;
}

/** Same key and effect (`Taint.MatchTaint`): how controllers find "their" taint on a node. */
export function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}
