/**
 * The default profile's Filter plugins, in upstream's order (a node's status comes from the
 * first plugin that rejects it): NodeUnschedulable, TaintToleration, NodeAffinity, NodePorts,
 * NodeResourcesFit, with their reasons as `FailedScheduling` prints them. (NodeName never
 * rejects: pods that name a node are not the scheduler's.)
 *
 * @example
 * filterNode(pod, info); // { reasons: ["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"], resolvable: false }
 */
import type { Pod, Stored } from "../../api";
import { requiredAffinityMatches } from "../common/node-affinity";
import { TAINT_UNSCHEDULABLE, findUntoleratedTaint, tolerated } from "../common/taints";
import { type HostPort, type NodeInfo, podHostPorts, podRequests } from "./node-info";

/**
 * Why a node cannot take the pod. `resolvable` is false for `UnschedulableAndUnresolvable`
 * statuses, which preemption cannot help with.
 */
export interface FilterFailure {
  reasons: string[];
  resolvable: boolean;
}

type Filter = (pod: Stored<Pod>, info: NodeInfo) => FilterFailure | undefined;

const nodeUnschedulable: Filter = (pod, info) => {
  if (!info.node.spec?.unschedulable) return undefined;
  // A pod tolerating the unschedulable taint also tolerates spec.unschedulable.
  if (tolerated(pod.spec.tolerations, { key: TAINT_UNSCHEDULABLE, effect: "NoSchedule" })) return undefined;
  return { reasons: ["node(s) were unschedulable"], resolvable: false };
};

const taintToleration: Filter = (pod, info) => {
  const taint = findUntoleratedTaint(info.node.spec?.taints, pod.spec.tolerations, (t) => t.effect === "NoSchedule" || t.effect === "NoExecute");
  if (!taint) return undefined;
  return { reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`], resolvable: false };
};

const nodeAffinity: Filter = (pod, info) =>
  requiredAffinityMatches(pod.spec, info.node) ? undefined : { reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false };

/** `HostPortInfo.CheckConflict`: the wildcard address conflicts with every address. */
function conflicts(a: HostPort, b: HostPort): boolean {
  if (a.protocol !== b.protocol || a.port !== b.port) return false;
  return a.ip === "0.0.0.0" || b.ip === "0.0.0.0" || a.ip === b.ip;
}

const nodePorts: Filter = (pod, info) => {
  const wanted = podHostPorts(pod);
  if (!wanted.some((w) => info.usedPorts.some((u) => conflicts(w, u)))) return undefined;
  return { reasons: ["node(s) didn't have free ports for the requested pod ports"], resolvable: true };
};

const nodeResourcesFit: Filter = (pod, info) => {
  const reasons: string[] = [];
  if (info.pods.length + 1 > info.allocatable.pods) reasons.push("Too many pods");
  const req = podRequests(pod);
  if (req.milliCPU > 0 && req.milliCPU > info.allocatable.milliCPU - info.requested.milliCPU) reasons.push("Insufficient cpu");
  if (req.memory > 0 && req.memory > info.allocatable.memory - info.requested.memory) reasons.push("Insufficient memory");
  return reasons.length > 0 ? { reasons, resolvable: true } : undefined;
};

const FILTERS: readonly Filter[] = [nodeUnschedulable, taintToleration, nodeAffinity, nodePorts, nodeResourcesFit];

/** Runs the filters on one node; undefined when the pod fits. */
export function filterNode(pod: Stored<Pod>, info: NodeInfo): FilterFailure | undefined {
  for (const filter of FILTERS) {
    const failure = filter(pod, info);
    if (failure) return failure;
  }
  return undefined;
}
