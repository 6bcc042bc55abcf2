/**
 * kube-scheduler (`default-scheduler`): binds each pending pod that names no node and asks for
 * the default scheduler. Nodes are filtered, the feasible ones scored, the best one chosen
 * (ties broken at random, as upstream's reservoir sampling), and the pod bound through the
 * binding subresource with a `Scheduled` event. A pod that fits nowhere gets
 * PodScheduled=False/Unschedulable with upstream's FitError text and a `FailedScheduling`
 * event, and is retried when nodes change, when a bound pod goes away, and every 5 minutes.
 *
 * @example
 * cluster.register(schedulerController());
 * // Successfully assigned default/web-7d4b9-x2x7k to node01
 * // 0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.
 */
import { ApiError, type Node, type Pod, type Stored, type WatchEvent } from "../../api";
import { type Controller, type ControllerContext, objectKey, splitKey } from "../../cluster/controller";
import { equalPlain } from "../../util/plain";
import { editable, isPodTerminal, parseTime, updatePodCondition } from "../common/pods";
import { type FilterFailure, filterNode } from "./filters";
import { type NodeInfo, snapshot } from "./node-info";
import { scoreNodes } from "./scoring";

const SCHEDULER_NAME = "default-scheduler";
const SOURCE = { component: SCHEDULER_NAME };

/** `podMaxInUnschedulablePodsDuration`: unschedulable pods are retried at least this often. */
const UNSCHEDULABLE_RETRY_MS = 5 * 60_000;

function isPending(pod: Stored): boolean {
  const p = pod as Stored<Pod>;
  return !p.spec.nodeName && !p.metadata.deletionTimestamp && p.spec.schedulerName === SCHEDULER_NAME;
}

/** The pod changed in a way that may make it schedulable (not just its status). */
function podSpecChanged(event: WatchEvent): boolean {
  if (event.type !== "MODIFIED") return event.type === "ADDED";
  const strip = (o: Stored) => ({ ...o, status: undefined, metadata: { ...o.metadata, resourceVersion: "" } });
  return !equalPlain(strip(event.object), strip(event.old));
}

/** A node change that can make a pending pod fit (heartbeats cannot). */
function nodeChanged(event: WatchEvent): boolean {
  if (event.type !== "MODIFIED") return event.type === "ADDED";
  const view = (o: Stored) => {
    const n = o as Stored<Node>;
    return [n.metadata.labels, n.spec, n.status?.allocatable];
  };
  return !equalPlain(view(event.object), view(event.old));
}

/** A bound pod left (deleted or finished): its resources and ports are free again. */
function assignedPodGone(event: WatchEvent): boolean {
  const pod = event.object as Stored<Pod>;
  if (!pod.spec.nodeName) return false;
  if (event.type === "DELETED") return true;
  return event.type === "MODIFIED" && isPodTerminal(pod) && !isPodTerminal(event.old as Stored<Pod>);
}

/** `FitError.Error()` plus the default preemption plugin's PostFilter message. */
function fitErrorMessage(pod: Stored<Pod>, failures: FilterFailure[], nodeCount: number): string {
  const histogram = (items: string[]) => {
    const counts = new Map<string, number>();
    for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
    return [...counts].map(([reason, n]) => `${n} ${reason}`).sort().join(", ");
  };
  const head = `0/${nodeCount} nodes are available: ${histogram(failures.flatMap((f) => f.reasons))}.`;
  if (pod.spec.preemptionPolicy === "Never") return `${head} preemption: not eligible due to preemptionPolicy=Never.`;
  // Lower-priority victims are never evicted here: where preemption could help, none are found.
  const preemption = histogram(failures.map((f) => (f.resolvable ? "No preemption victims found for incoming pod" : "Preemption is not helpful for scheduling")));
  return `${head} preemption: 0/${nodeCount} nodes are available: ${preemption}.`;
}

/** `selectHost`: the best total, a tie replacing the choice with probability 1/count. */
function selectHost(ctx: ControllerContext, names: string[], scores: number[]): string {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < names.length; i++) {
    if (scores[i] > scores[best]) {
      best = i;
      ties = 1;
    } else if (scores[i] === scores[best]) {
      ties++;
      if (ctx.rng.int(ties) === 0) best = i;
    }
  }
  return names[best];
}

function recordUnschedulable(ctx: ControllerContext, pod: Stored<Pod>, message: string): void {
  ctx.events.record(pod, "Warning", "FailedScheduling", message, SOURCE);
  const next = editable(pod);
  next.status ??= {};
  const changed = updatePodCondition(next.status, { type: "PodScheduled", status: "False", lastProbeTime: null, reason: "Unschedulable", message }, ctx.clock.rfc3339());
  if (changed) ctx.store.updateStatus(next);
  ctx.requeueAfter(objectKey(pod), UNSCHEDULABLE_RETRY_MS);
}

/** One scheduling cycle for one pod (`scheduleOne`). */
function scheduleOne(ctx: ControllerContext, pod: Stored<Pod>): void {
  const all = snapshot(ctx.store);
  if (all.length === 0) {
    recordUnschedulable(ctx, pod, "no nodes available to schedule pods");
    return;
  }
  const feasible: NodeInfo[] = [];
  const failures: FilterFailure[] = [];
  for (const info of all) {
    const failure = filterNode(pod, info);
    if (failure) failures.push(failure);
    else feasible.push(info);
  }
  if (feasible.length === 0) {
    recordUnschedulable(ctx, pod, fitErrorMessage(pod, failures, all.length));
    return;
  }
  const names = feasible.map((n) => n.node.metadata.name);
  // With one feasible node upstream skips scoring altogether.
  const host = feasible.length === 1 ? names[0] : selectHost(ctx, names, scoreNodes(ctx.store, pod, feasible, all));
  try {
    ctx.store.bind(pod.metadata.namespace!, pod.metadata.name, host);
  } catch (e) {
    // Deleted or bound by someone else meanwhile: nothing to do.
    if (e instanceof ApiError) return;
    throw e;
  }
  ctx.events.record(pod, "Normal", "Scheduled", `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${host}`, SOURCE);
}

/** PrioritySort: higher priority first, then the order pods arrived in. */
function queueOrder(a: Stored<Pod>, b: Stored<Pod>): number {
  const prio = (b.spec.priority ?? 0) - (a.spec.priority ?? 0);
  if (prio !== 0) return prio;
  const t = (parseTime(a.metadata.creationTimestamp) ?? 0) - (parseTime(b.metadata.creationTimestamp) ?? 0);
  return t !== 0 ? t : Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion);
}

/**
 * The scheduler as a controller. Keys are pods (`ns/name`), or `""` to retry every pending pod
 * after a change that may free room.
 */
export function schedulerController(): Controller {
  return {
    name: SCHEDULER_NAME,
    watches: [
      {
        kind: "Pod",
        keys: (event) => {
          if (assignedPodGone(event)) return [""];
          if (event.type === "DELETED" || !isPending(event.object) || !podSpecChanged(event)) return [];
          return [objectKey(event.object)];
        },
      },
      { kind: "Node", keys: (event) => (nodeChanged(event) ? [""] : []) },
    ],
    reconcile(key, ctx) {
      if (key === "") {
        const pending = ctx.store.list<Pod>("Pod").filter(isPending).sort(queueOrder);
        for (const pod of pending) {
          const fresh = ctx.store.find<Pod>("Pod", pod.metadata.namespace, pod.metadata.name);
          if (fresh && isPending(fresh)) scheduleOne(ctx, fresh);
        }
        return;
      }
      const { namespace, name } = splitKey(key);
      const pod = ctx.store.find<Pod>("Pod", namespace, name);
      if (pod && isPending(pod)) scheduleOne(ctx, pod);
    },
  };
}
