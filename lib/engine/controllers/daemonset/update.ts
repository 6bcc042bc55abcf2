/**
 * DaemonSet RollingUpdate (`pkg/controller/daemon/update.go`). Without surge, old pods are
 * deleted while fewer than maxUnavailable daemon pods are unavailable and the manage loop
 * recreates them; with maxSurge, a new pod starts next to an old one, which is deleted once
 * the new one is available.
 *
 * @example
 * const { deletes, creates } = rollingUpdatePlan(plan);
 */
import type { DaemonSet, Node, Pod, Stored } from "../../api";
import { scaledValue } from "../common/intstr";
import { isPodAvailable } from "../common/pods";
import { findUpdatedPodsOnNode, nodeShouldRunDaemonPod } from "./util";

/** What the rolling update looks at. */
export interface RollingUpdateInput {
  ds: Stored<DaemonSet>;
  nodes: Stored<Node>[];
  /** Daemon pods by target node, every node that should run one present (possibly empty). */
  podsByNode: Map<string, Stored<Pod>[]>;
  hash: string;
  generation: string | undefined;
  now: number;
}

/** Pods to delete and nodes to start a (surge) pod on. */
export interface RollingUpdatePlan {
  deletes: Stored<Pod>[];
  creates: string[];
}

/** `updatedDesiredNodeCounts`: maxSurge and maxUnavailable resolved against the desired count. */
function desiredCounts(input: RollingUpdateInput): { surge: number; unavailable: number; desired: number } {
  const desired = input.nodes.filter((n) => nodeShouldRunDaemonPod(n, input.ds).shouldRun).length;
  const ru = input.ds.spec.updateStrategy?.rollingUpdate;
  const surge = scaledValue(ru?.maxSurge, desired, true);
  let unavailable = scaledValue(ru?.maxUnavailable, desired, true);
  // An impossible configuration (both zero) falls back to one unavailable pod.
  if (desired > 0 && unavailable === 0 && surge === 0) unavailable = 1;
  return { surge, unavailable, desired };
}

/** `rollingUpdate`: what to delete (and, with surge, where to add) this round. */
export function rollingUpdatePlan(input: RollingUpdateInput): RollingUpdatePlan {
  const { ds, hash, generation, now } = input;
  const minReady = ds.spec.minReadySeconds ?? 0;
  const available = (p: Stored<Pod>) => isPodAvailable(p, minReady, now);
  const { surge, unavailable: maxUnavailable, desired } = desiredCounts(input);
  const nodes = [...input.podsByNode.keys()].sort();
  if (surge === 0) {
    let numUnavailable = 0;
    const replacements: Stored<Pod>[] = [];
    const candidates: Stored<Pod>[] = [];
    for (const node of nodes) {
      const { ok, newPod, oldPod } = findUpdatedPodsOnNode(input.podsByNode.get(node)!, hash, generation);
      if (!ok || (!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (!available(oldPod!)) {
        replacements.push(oldPod!);
        numUnavailable++;
      } else if (numUnavailable < maxUnavailable) candidates.push(oldPod!);
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    return { deletes: [...replacements, ...candidates.slice(0, remaining)], creates: [] };
  }
  const deletes: Stored<Pod>[] = [];
  const shouldNotRun: Stored<Pod>[] = [];
  const candidateNodes: string[] = [];
  const allowedNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const node of nodes) {
    const { ok, newPod, oldPod } = findUpdatedPodsOnNode(input.podsByNode.get(node)!, hash, generation);
    if (!ok) {
      numSurge++;
      continue;
    }
    if ((oldPod && available(oldPod)) || (newPod && available(newPod))) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      if (available(oldPod)) candidateNodes.push(node);
      else {
        const n = input.nodes.find((x) => x.metadata.name === node);
        if (n && nodeShouldRunDaemonPod(n, ds).shouldRun) allowedNodes.push(node);
        else shouldNotRun.push(oldPod);
      }
    } else if (!available(newPod)) numSurge++;
    else deletes.push(oldPod);
  }
  // With surge the owner expects full availability: pods on nodes that no longer qualify go
  // only once enough pods elsewhere are available.
  const deletable = Math.max(0, numAvailable - desired);
  const remaining = Math.min(Math.max(0, surge - numSurge), candidateNodes.length);
  return { deletes: [...deletes, ...shouldNotRun.slice(0, deletable)], creates: [...allowedNodes, ...candidateNodes.slice(0, remaining)] };
}
