/**
 * The default profile's Score plugins that matter without pod (anti-)affinity, with upstream's
 * weights and normalization: TaintToleration (3, PreferNoSchedule taints), NodeAffinity (2,
 * preferred terms), PodTopologySpread (2, the system default constraints: maxSkew 3 per
 * hostname and 5 per zone over the pods the pod's Services and controller select),
 * NodeResourcesFit LeastAllocated (1) and NodeResourcesBalancedAllocation (1).
 *
 * @example
 * const totals = scoreNodes(ctx.store, pod, feasible); // [{ name: "node01", score: 412 }, …]
 */
import {
  type LabelSelector, type ObjectStore, type Pod, type ReplicaSet, type ReplicationController, type Requirement,
  type Selector, type Service, type Stored, labelSelectorAsSelector, selectorFromSet, selectorOf,
} from "../../api";
import { preferredAffinityWeight, requiredAffinityMatches } from "../common/node-affinity";
import { controllerRefOf } from "../common/pods";
import { tolerated } from "../common/taints";
import { type NodeInfo, podRequests } from "./node-info";

const MAX_NODE_SCORE = 100;

/** `helper.DefaultNormalizeScore`. */
function normalize(scores: number[], reverse: boolean): number[] {
  const max = Math.max(0, ...scores);
  if (max === 0) return scores.map(() => (reverse ? MAX_NODE_SCORE : 0));
  return scores.map((s) => {
    const n = Math.trunc((MAX_NODE_SCORE * s) / max);
    return reverse ? MAX_NODE_SCORE - n : n;
  });
}

function taintTolerationScores(pod: Stored<Pod>, nodes: NodeInfo[]): number[] {
  const tolerations = (pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === "PreferNoSchedule");
  const raw = nodes.map((n) => (n.node.spec?.taints ?? []).filter((t) => t.effect === "PreferNoSchedule" && !tolerated(tolerations, t)).length);
  return normalize(raw, true);
}

function nodeAffinityScores(pod: Stored<Pod>, nodes: NodeInfo[]): number[] {
  return normalize(nodes.map((n) => preferredAffinityWeight(pod.spec, n.node)), false);
}

/** `leastRequestedScore` averaged over cpu and memory (weights 1), in integer arithmetic. */
function leastAllocatedScores(pod: Stored<Pod>, nodes: NodeInfo[]): number[] {
  const req = podRequests(pod, true);
  return nodes.map((n) => {
    const pairs = [
      [n.nonZeroRequested.milliCPU + req.milliCPU, n.allocatable.milliCPU],
      [n.nonZeroRequested.memory + req.memory, n.allocatable.memory],
    ].filter(([, capacity]) => capacity > 0);
    const parts = pairs.map(([requested, capacity]) => (requested > capacity ? 0 : Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity)));
    return parts.length === 0 ? 0 : Math.trunc(parts.reduce((a, b) => a + b, 0) / parts.length);
  });
}

/** `balancedResourceScorer`: 100 × (1 − |cpuFraction − memFraction| / 2) on actual requests. */
function balancedAllocationScores(pod: Stored<Pod>, nodes: NodeInfo[]): number[] {
  const req = podRequests(pod);
  return nodes.map((n) => {
    const fractions: number[] = [];
    const cpu = n.requested.milliCPU + req.milliCPU;
    const mem = n.requested.memory + req.memory;
    if (n.allocatable.milliCPU > 0) fractions.push(Math.min(1, cpu / n.allocatable.milliCPU));
    if (n.allocatable.memory > 0) fractions.push(Math.min(1, mem / n.allocatable.memory));
    const std = fractions.length === 2 ? Math.abs((fractions[0] - fractions[1]) / 2) : 0;
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  });
}

/**
 * `helper.DefaultSelector`: the selectors of the Services selecting the pod merged, plus its
 * ReplicationController's or ReplicaSet's selector.
 */
function defaultSpreadSelector(store: ObjectStore, pod: Stored<Pod>): Selector {
  const merged: Record<string, string> = {};
  for (const svc of store.list<Service>("Service", { namespace: pod.metadata.namespace })) {
    const sel = svc.spec.selector;
    if (sel && Object.keys(sel).length > 0 && selectorFromSet(sel).matches(pod.metadata.labels)) Object.assign(merged, sel);
  }
  const ref = controllerRefOf(pod);
  if (ref?.kind === "ReplicationController" && ref.apiVersion === "v1") {
    const rc = store.find<ReplicationController>("ReplicationController", pod.metadata.namespace, ref.name);
    if (rc) Object.assign(merged, rc.spec.selector);
  }
  const requirements: Requirement[] = [...selectorFromSet(merged).requirements];
  if (ref?.kind === "ReplicaSet" && ref.apiVersion === "apps/v1") {
    const rs = store.find<ReplicaSet>("ReplicaSet", pod.metadata.namespace, ref.name);
    if (rs) requirements.push(...safeSelector(rs.spec.selector).requirements);
  }
  return selectorOf(requirements);
}

function safeSelector(ls: LabelSelector | undefined): Selector {
  try {
    return labelSelectorAsSelector(ls);
  } catch {
    return selectorOf([]);
  }
}

/** The system default topology spread constraints. */
const DEFAULT_CONSTRAINTS = [
  { topologyKey: "kubernetes.io/hostname", maxSkew: 3 },
  { topologyKey: "topology.kubernetes.io/zone", maxSkew: 5 },
];

/** `PodTopologySpread` PreScore/Score/NormalizeScore with the system default constraints. */
function topologySpreadScores(store: ObjectStore, pod: Stored<Pod>, feasible: NodeInfo[], all: NodeInfo[]): number[] {
  const selector = defaultSpreadSelector(store, pod);
  if (selector.empty()) return feasible.map(() => 0);
  const ns = pod.metadata.namespace;
  const matching = (info: NodeInfo) =>
    info.pods.filter((p) => p.metadata.namespace === ns && !p.metadata.deletionTimestamp && selector.matches(p.metadata.labels)).length;
  const weights = DEFAULT_CONSTRAINTS.map((c) => {
    if (c.topologyKey === "kubernetes.io/hostname") return Math.log(feasible.length + 2);
    const values = new Set(feasible.map((n) => n.node.metadata.labels?.[c.topologyKey] ?? ""));
    return Math.log(values.size + 2);
  });
  // Per-zone counts over every node the pod could go to by its node affinity.
  const zoneCounts = new Map<string, number>();
  const zoneKey = DEFAULT_CONSTRAINTS[1].topologyKey;
  const candidateZones = new Set(feasible.map((n) => n.node.metadata.labels?.[zoneKey] ?? ""));
  for (const info of all) {
    const zone = info.node.metadata.labels?.[zoneKey] ?? "";
    if (!candidateZones.has(zone) || !requiredAffinityMatches(pod.spec, info.node)) continue;
    zoneCounts.set(zone, (zoneCounts.get(zone) ?? 0) + matching(info));
  }
  const raw = feasible.map((info) => {
    const labels = info.node.metadata.labels ?? {};
    let score = 0;
    DEFAULT_CONSTRAINTS.forEach((c, i) => {
      if (!Object.hasOwn(labels, c.topologyKey)) return;
      const count = i === 0 ? matching(info) : (zoneCounts.get(labels[c.topologyKey]) ?? 0);
      score += count * weights[i] + (c.maxSkew - 1);
    });
    return Math.round(score);
  });
  const max = Math.max(0, ...raw);
  const min = Math.min(...raw);
  return raw.map((s) => (max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - s)) / max)));
}

/** Weighted sum of every plugin's normalized score, per feasible node (same order). */
export function scoreNodes(store: ObjectStore, pod: Stored<Pod>, feasible: NodeInfo[], all: NodeInfo[]): number[] {
  const plugins: [number, number[]][] = [
    [3, taintTolerationScores(pod, feasible)],
    [2, nodeAffinityScores(pod, feasible)],
    [2, topologySpreadScores(store, pod, feasible, all)],
    [1, leastAllocatedScores(pod, feasible)],
    [1, balancedAllocationScores(pod, feasible)],
  ];
  return feasible.map((_, i) => plugins.reduce((sum, [weight, scores]) => sum + weight * scores[i], 0));
}
