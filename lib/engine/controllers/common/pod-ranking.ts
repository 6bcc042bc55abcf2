/**
 * Which pods a ReplicaSet or ReplicationController deletes first when it scales down
 * (`controller.ActivePodsWithRanks` with LogarithmicScaleDown, on since v1.22):
 * unassigned < assigned, Pending < Unknown < Running, not ready < ready, lower
 * `controller.kubernetes.io/pod-deletion-cost` first, more related pods on the same node first, ready more recently first (logarithmic buckets), more restarts first,
 * newer first (logarithmic buckets), then by uid.
 *
 * @example
 * const victims = podsToDelete(pods, relatedPods, 2, clock.now());
 */
import type { Pod, Stored } from "../../api";
import { isPodActive, isPodReady, maxContainerRestarts, parseTime, podReadyTime } from "./pods";

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** `logarithmicRankDiff`: compares ages on a log2 scale of nanoseconds, so close ages tie. */
function logarithmicRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number) => {
    const d = (now - t) * 1e6;
    return d > 0 ? Math.floor(Math.log2(d)) : -1;
  };
  return rank(t1) - rank(t2);
}

/** `afterOrZero`: a missing time sorts first, then the later time. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** Compares two times the LogarithmicScaleDown way; undefined when they are equal. */
function newerFirst(t1: number | undefined, t2: number | undefined, uid1: string, uid2: string, now: number): boolean | undefined {
  if (t1 === t2) return undefined;
  if (t1 === undefined || t2 === undefined) return afterOrZero(t1, t2);
  const diff = logarithmicRankDiff(t1, t2, now);
  return diff === 0 ? uid1 < uid2 : diff < 0;
}

/** `GetDeletionCostFromPodAnnotations`: an int32, 0 when absent or malformed. */
function deletionCost(pod: Stored<Pod>): number {
  const text = pod.metadata.annotations?.["controller.kubernetes.io/pod-deletion-cost"];
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return 0;
  const n = Number(text);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
}

interface Ranked {
  pod: Stored<Pod>;
  rank: number;
}

/** `ActivePodsWithRanks.Less`: true when `a` should be deleted before `b`. */
function less(a: Ranked, b: Ranked, now: number): boolean {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec.nodeName ?? "";
  const nb = pb.spec.nodeName ?? "";
  if (na !== nb && (na === "" || nb === "")) return na === "";
  const phaseA = PHASE_ORDER[pa.status?.phase ?? ""] ?? 0;
  const phaseB = PHASE_ORDER[pb.status?.phase ?? ""] ?? 0;
  if (phaseA !== phaseB) return phaseA < phaseB;
  if (isPodReady(pa) !== isPodReady(pb)) return !isPodReady(pa);
  if (deletionCost(pa) !== deletionCost(pb)) return deletionCost(pa) < deletionCost(pb);
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (isPodReady(pa) && isPodReady(pb)) {
    const byReady = newerFirst(podReadyTime(pa), podReadyTime(pb), pa.metadata.uid, pb.metadata.uid, now);
    if (byReady !== undefined) return byReady;
  }
  if (maxContainerRestarts(pa) !== maxContainerRestarts(pb)) return maxContainerRestarts(pa) > maxContainerRestarts(pb);
  const byAge = newerFirst(parseTime(pa.metadata.creationTimestamp), parseTime(pb.metadata.creationTimestamp), pa.metadata.uid, pb.metadata.uid, now);
  return byAge ?? false;
}

/**
 * `getPodsToDelete`: the first `diff` of `pods` in deletion order, ranked by how many active
 * `related` pods (of the same Deployment) share each pod's node.
 */
export function podsToDelete(pods: readonly Stored<Pod>[], related: readonly Stored<Pod>[], diff: number, now: number): Stored<Pod>[] {
  if (diff >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (isPodActive(p)) onNode.set(p.spec.nodeName ?? "", (onNode.get(p.spec.nodeName ?? "") ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec.nodeName ?? "") ?? 0 }));
  ranked.sort((a, b) => (less(a, b, now) ? -1 : less(b, a, now) ? 1 : 0));
  return ranked.slice(0, diff).map((r) => r.pod);
}
