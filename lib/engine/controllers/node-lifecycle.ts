/**
 * The node lifecycle controller (`node-lifecycle-controller`, `pkg/controller/nodelifecycle`).
 * Every 5 s it checks each node's heartbeat (its `kube-node-lease` Lease and Ready condition):
 * after node-monitor-grace-period (50 s in v1.32, raised from 40 s) without one, the node's
 * conditions turn Unknown (`NodeStatusUnknown`, "Kubelet stopped posting node status."), its
 * pods are marked not ready with `NodeNotReady` events, and the node gets the
 * `node.kubernetes.io/unreachable` NoExecute taint the taint eviction controller acts on. It
 * also keeps the condition taints (`TaintNodesByCondition`: not-ready, unreachable,
 * memory/disk/pid-pressure, network-unavailable, unschedulable as NoSchedule) in step, and
 * records `RegisteredNode`/`RemovingNode`. When no node at all is ready (a full disruption)
 * it stops NoExecute tainting, as upstream does.
 *
 * @example
 * cluster.register(nodeLifecycleController());
 * cluster.nodes.get("node01")!.powered = false;
 * cluster.advance(60_000); // node01 NotReady (Unknown), tainted unreachable:NoExecute
 */
import { ApiError, type Condition, type Lease, type Node, type Pod, type Stored, type Taint } from "../api";
import { type Controller, type ControllerContext, defineWatches } from "../cluster/controller";
import { equalPlain } from "../util/plain";
import { editable, parseTime, updatePodCondition } from "./common/pods";
import {
  TAINT_DISK_PRESSURE, TAINT_MEMORY_PRESSURE, TAINT_NETWORK_UNAVAILABLE, TAINT_NOT_READY, TAINT_PID_PRESSURE, TAINT_UNREACHABLE,
  TAINT_UNSCHEDULABLE, sameTaint,
} from "./common/taints";

/** `--node-monitor-grace-period` default in v1.32 (kubernetes/kubernetes#126287). */
export const NODE_MONITOR_GRACE_PERIOD_MS = 50_000;
/** `--node-startup-grace-period` default: for nodes that never posted a status. */
export const NODE_STARTUP_GRACE_PERIOD_MS = 60_000;
/** `--node-monitor-period` default: how often node health is checked. */
export const NODE_MONITOR_PERIOD_MS = 5_000;

const SOURCE = { component: "node-controller" };
const MONITORED_CONDITIONS = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

/** `nodeConditionToTaintKeyStatusMap`. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: TAINT_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_DISK_PRESSURE },
  PIDPressure: { True: TAINT_PID_PRESSURE },
  NetworkUnavailable: { True: TAINT_NETWORK_UNAVAILABLE },
};

const CONTROLLER_NO_SCHEDULE = new Set([...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)), TAINT_UNSCHEDULABLE]);

function readyCondition(node: Stored<Node>): Condition | undefined {
  return node.status?.conditions?.find((c) => c.type === "Ready");
}

/** The first monitor tick strictly after `deadline` (ticks every 5 s of virtual time). */
function tickAfter(deadline: number): number {
  return (Math.floor(deadline / NODE_MONITOR_PERIOD_MS) + 1) * NODE_MONITOR_PERIOD_MS;
}

/** When the node's heartbeat expires: its last Lease renewal or Ready heartbeat plus the grace period. */
function healthDeadline(ctx: ControllerContext, node: Stored<Node>): number {
  const ready = readyCondition(node);
  const lease = ctx.store.find<Lease>("Lease", "kube-node-lease", node.metadata.name);
  const created = parseTime(node.metadata.creationTimestamp) ?? 0;
  if (!ready) return created + NODE_STARTUP_GRACE_PERIOD_MS;
  const probe = Math.max(parseTime(lease?.spec?.renewTime) ?? 0, parseTime(ready.lastHeartbeatTime) ?? 0, created);
  return probe + NODE_MONITOR_GRACE_PERIOD_MS;
}

/** `tryUpdateNodeHealth` once the grace period passed: every monitored condition Unknown. */
function markUnknown(ctx: ControllerContext, node: Stored<Node>): Stored<Node> {
  const next = editable(node);
  const now = ctx.clock.rfc3339();
  const conditions = [...(next.status?.conditions ?? [])];
  for (const type of MONITORED_CONDITIONS) {
    const at = conditions.findIndex((c) => c.type === type);
    if (at < 0) {
      conditions.push({
        type, status: "Unknown", lastHeartbeatTime: node.metadata.creationTimestamp ?? now, lastTransitionTime: now,
        reason: "NodeStatusNeverUpdated", message: "Kubelet never posted node status.",
      });
    } else if (conditions[at].status !== "Unknown") {
      conditions[at] = { ...conditions[at], status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastTransitionTime: now };
    }
  }
  next.status = { ...next.status, conditions };
  return ctx.store.updateStatus<Node>(next);
}

/** `MarkPodsNotReady`: Ready=False on the node's pods, each with a `NodeNotReady` event. */
function markPodsNotReady(ctx: ControllerContext, nodeName: string): void {
  for (const pod of ctx.store.list<Pod>("Pod", { fieldSelector: `spec.nodeName=${nodeName}` })) {
    const ready = pod.status?.conditions?.find((c) => c.type === "Ready");
    if (!ready) continue;
    const next = editable(pod);
    if (!updatePodCondition(next.status!, { ...ready, status: "False" }, ctx.clock.rfc3339())) continue;
    try {
      ctx.store.updateStatus<Pod>(next);
    } catch (e) {
      if (e instanceof ApiError) continue;
      throw e;
    }
    ctx.events.record(pod, "Warning", "NodeNotReady", "Node is not ready", SOURCE);
  }
}

/** The taints this controller owns that `node` should carry now. */
function desiredTaints(node: Stored<Node>, noExecute: boolean, now: string, current: readonly Taint[]): Taint[] {
  const out: Taint[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) out.push({ key, effect: "NoSchedule" });
  }
  if (node.spec?.unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: "NoSchedule" });
  const ready = readyCondition(node)?.status;
  if (noExecute && (ready === "False" || ready === "Unknown")) {
    const key = ready === "False" ? TAINT_NOT_READY : TAINT_UNREACHABLE;
    // A taint already present keeps the time it was added: eviction deadlines count from it.
    const existing = current.find((t) => t.key === key && t.effect === "NoExecute");
    out.push(existing ?? { key, effect: "NoExecute", timeAdded: now });
  }
  return out;
}

/** Replaces the controller's taints on the node (others untouched, new ones appended). */
function syncTaints(ctx: ControllerContext, node: Stored<Node>, noExecute: boolean): void {
  const current = node.spec?.taints ?? [];
  const wanted = desiredTaints(node, noExecute, ctx.clock.rfc3339(), current);
  const owned = (t: Taint) => (t.effect === "NoSchedule" && CONTROLLER_NO_SCHEDULE.has(t.key)) || (t.effect === "NoExecute" && (t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE));
  const kept = current.filter((t) => !owned(t) || wanted.some((w) => sameTaint(w, t)));
  const taints = [...kept, ...wanted.filter((w) => !kept.some((t) => sameTaint(w, t)))];
  if (equalPlain(taints, current)) return;
  const next = editable(node);
  next.spec = { ...next.spec, taints };
  if (taints.length === 0) delete next.spec.taints;
  try {
    ctx.store.update<Node>(next);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
}

/** The node lifecycle controller. Its single key `""` is one `monitorNodeHealth` pass. */
export function nodeLifecycleController(): Controller {
  return new NodeLifecycleController();
}

const WATCHES = defineWatches(
  { kind: "Node", keys: () => [""] },
  // A renewal only moves a deadline later, and the pass that finds it passed is already
  // scheduled, so only a lease that appears or goes (a node joining or leaving) needs a pass.
  { kind: "Lease", keys: (e) => (e.object.metadata.namespace === "kube-node-lease" && e.type !== "MODIFIED" ? [""] : []) },
);

class NodeLifecycleController implements Controller {
  readonly name = "node-lifecycle-controller";
  readonly watches = WATCHES;
  private readonly known = new Set<string>();

  reconcile(_key: string, ctx: ControllerContext): void {
    const now = ctx.clock.now();
    const nodes = ctx.store.list<Node>("Node");
    const names = new Set(nodes.map((n) => n.metadata.name));
    for (const node of nodes) {
      if (this.known.has(node.metadata.name)) continue;
      this.known.add(node.metadata.name);
      ctx.events.record(node, "Normal", "RegisteredNode", `Node ${node.metadata.name} event: Registered Node ${node.metadata.name} in Controller`, SOURCE);
    }
    for (const name of [...this.known]) {
      if (names.has(name)) continue;
      this.known.delete(name);
      const ref = { apiVersion: "v1", kind: "Node", metadata: { name, uid: "", resourceVersion: "" } } as Stored;
      ctx.events.record(ref, "Normal", "RemovingNode", `Node ${name} event: Removing Node ${name} from Controller`, SOURCE);
    }
    let next: number | undefined;
    const updated = nodes.map((node) => {
      const due = tickAfter(healthDeadline(ctx, node));
      const wasReady = readyCondition(node)?.status === "True";
      if (now < due) {
        next = Math.min(next ?? due, due);
        return node;
      }
      const marked = markUnknown(ctx, node);
      if (wasReady) {
        ctx.events.record(node, "Normal", "NodeNotReady", `Node ${node.metadata.name} status is now: NodeNotReady`, SOURCE);
        markPodsNotReady(ctx, node.metadata.name);
      }
      return marked;
    });
    // Full disruption (no node ready): evicting would only make things worse.
    const anyReady = updated.some((n) => readyCondition(n)?.status === "True");
    for (const node of updated) syncTaints(ctx, ctx.store.find<Node>("Node", undefined, node.metadata.name) ?? node, anyReady);
    if (next !== undefined) ctx.requeueAfter("", next - now);
  }
}
