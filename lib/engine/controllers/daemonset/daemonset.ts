/**
 * The DaemonSet controller (`daemonset-controller`, `pkg/controller/daemon`): one pod per
 * eligible node, created with a `metadata.name` node affinity so the scheduler binds it there,
 * following nodes as they join, leave, change labels or taints; failed daemon pods are
 * replaced with back-off; RollingUpdate replaces out-of-date pods; the status counts desired,
 * current, ready, available, updated and misscheduled pods.
 *
 * Revisions are identified by the template hash (`controller-revision-hash` label); the
 * ControllerRevision objects upstream keeps are not created (the API layer does not serve them).
 *
 * @example
 * cluster.register(daemonSetController());
 * cluster.store.create(ds); // kube-proxy-xxxxx on every node that tolerates its taints
 */
import { ApiError, type DaemonSet, type DaemonSetStatus, type Node, type Pod, type Stored, type WatchEvent, labelSelectorAsSelector } from "../../api";
import { type Controller, type ControllerContext, objectKey, selfKey, defineWatches } from "../../cluster/controller";
import { equalPlain } from "../../util/plain";
import { Backoff } from "../common/backoff";
import { computeHash } from "../common/hash";
import { scaledValue } from "../common/intstr";
import { dependentWatch, forEachKey } from "../common/keys";
import { claim } from "../common/ownership";
import { createPod, deletePod } from "../common/pod-control";
import { isPodAvailable, isPodReady, isPodTerminal, newControllerRef, podFromTemplate } from "../common/pods";
import { rollingUpdatePlan } from "./update";
import { REVISION_HASH_LABEL, byCreationAndPhase, daemonPodTemplate, isPodUpdated, nodeShouldRunDaemonPod, targetNodeName, templateGeneration } from "./util";

const COMPONENT = "daemonset-controller";

/** `BurstReplicas` of the DaemonSet controller. */
const BURST_REPLICAS = 250;

/** A node change that can change where daemon pods belong (not heartbeats or status). */
function nodeKeys(event: WatchEvent): readonly string[] {
  if (event.type !== "MODIFIED") return [""];
  const view = (o: Stored) => [o.metadata.labels, (o as Stored<Node>).spec?.taints];
  return equalPlain(view(event.object), view(event.old)) ? [] : [""];
}

/** Everything one sync of one DaemonSet works from. */
interface DaemonSync {
  ctx: ControllerContext;
  ds: Stored<DaemonSet>;
  nodes: Stored<Node>[];
  hash: string;
  generation: string | undefined;
}

/** A fresh DaemonSet controller for one cluster (it keeps the failed-pod back-off). */
export function daemonSetController(): Controller {
  return new DaemonSetController();
}

const WATCHES = defineWatches(
  { kind: "DaemonSet", keys: selfKey },
  dependentWatch("Pod", "DaemonSet"),
  { kind: "Node", keys: nodeKeys },
);

class DaemonSetController implements Controller {
  readonly name = "daemonset-controller";
  readonly watches = WATCHES;
  private readonly failedPods = new Backoff(1_000, 15 * 60_000);

  reconcile(key: string, ctx: ControllerContext): void {
    forEachKey<Stored<DaemonSet>>(ctx, "DaemonSet", key, (ds) => this.sync(ctx, ds));
  }

  /** `getNodesToDaemonPods`: claimed pods by target node, finished-and-deleted ones skipped. */
  private podsByNode(s: DaemonSync): Map<string, Stored<Pod>[]> {
    const candidates = s.ctx.store.list<Pod>("Pod", { namespace: s.ds.metadata.namespace });
    const pods = claim(s.ctx, s.ds, labelSelectorAsSelector(s.ds.spec.selector), candidates);
    const byNode = new Map<string, Stored<Pod>[]>();
    for (const pod of pods) {
      if (isPodTerminal(pod) && pod.metadata.deletionTimestamp) continue;
      const node = targetNodeName(pod);
      if (node === undefined) continue;
      byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }
    return byNode;
  }

  /** `podsShouldBeOnNode` for every node: where to create, what to delete. */
  private manage(s: DaemonSync, byNode: Map<string, Stored<Pod>[]>): { creates: string[]; deletes: Stored<Pod>[] } {
    const creates: string[] = [];
    const deletes: Stored<Pod>[] = [];
    const now = s.ctx.clock.now();
    // `AllowsSurge`: maxSurge resolves to at least one pod.
    const strategy = s.ds.spec.updateStrategy;
    const surge = strategy?.type === "RollingUpdate" && scaledValue(strategy.rollingUpdate?.maxSurge, 1, true) !== 0;
    for (const node of s.nodes) {
      const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, s.ds);
      const pods = byNode.get(node.metadata.name);
      if (shouldRun && !pods) {
        creates.push(node.metadata.name);
        continue;
      }
      if (!pods) continue;
      if (!shouldContinueRunning) {
        deletes.push(...pods.filter((p) => !p.metadata.deletionTimestamp));
        continue;
      }
      const running: Stored<Pod>[] = [];
      for (const pod of pods) {
        if (pod.metadata.deletionTimestamp) continue;
        if (pod.status?.phase === "Failed") {
          // The kubelet keeps rejecting this pod: replace it, but not in a hot loop.
          const key = `${s.ds.metadata.uid}/${node.metadata.name}`;
          if (this.failedPods.inBackoff(key, now)) {
            s.ctx.requeueAfter(objectKey(s.ds), this.failedPods.remaining(key, now));
            continue;
          }
          this.failedPods.next(key, now);
          const msg = `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${node.metadata.name}, will try to kill it`;
          s.ctx.events.record(s.ds, "Warning", "FailedDaemonPod", msg, { component: COMPONENT });
          deletes.push(pod);
        } else if (pod.status?.phase === "Succeeded") deletes.push(pod);
        else running.push(pod);
      }
      running.sort(byCreationAndPhase);
      if (!surge) {
        // Without surge only the oldest daemon pod on a node stays.
        deletes.push(...running.slice(1));
      } else if (running.length === 0 && shouldRun) creates.push(node.metadata.name);
      else if (running.length > 1) deletes.push(...this.surplusWithSurge(s, running, now));
    }
    // Pods for nodes that no longer exist and were never scheduled: nobody else will delete them.
    const names = new Set(s.nodes.map((n) => n.metadata.name));
    for (const [node, pods] of byNode) if (!names.has(node)) deletes.push(...pods.filter((p) => !p.spec.nodeName));
    return { creates, deletes };
  }

  /** With surge, one old and one new pod may share a node until the new one is available. */
  private surplusWithSurge(s: DaemonSync, running: Stored<Pod>[], now: number): Stored<Pod>[] {
    const out: Stored<Pod>[] = [];
    let oldestNew: Stored<Pod> | undefined;
    let oldestOld: Stored<Pod> | undefined;
    for (const pod of running) {
      const isNew = pod.metadata.labels?.[REVISION_HASH_LABEL] === s.hash;
      if (isNew && !oldestNew) oldestNew = pod;
      else if (!isNew && !oldestOld) oldestOld = pod;
      else out.push(pod);
    }
    if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, s.ds.spec.minReadySeconds, now))) out.push(oldestOld);
    return out;
  }

  /** `syncNodes`: slow-start creation batches, then deletions. */
  private syncNodes(s: DaemonSync, creates: string[], deletes: Stored<Pod>[]): void {
    let remaining = Math.min(creates.length, BURST_REPLICAS);
    let pos = 0;
    for (let batch = Math.min(remaining, 1); batch > 0; batch = Math.min(2 * batch, remaining)) {
      for (const node of creates.slice(pos, pos + batch)) {
        const template = daemonPodTemplate(s.ds, s.hash, node);
        const created = createPod(s.ctx, s.ds, podFromTemplate(template, s.ds, newControllerRef(s.ds)), COMPONENT);
        if (created instanceof ApiError) return;
      }
      pos += batch;
      remaining -= batch;
    }
    for (const pod of deletes.slice(0, BURST_REPLICAS)) deletePod(s.ctx, s.ds, pod, COMPONENT);
  }

  /** `updateDaemonSetStatus`, requeuing to notice pods passing minReadySeconds. */
  private writeStatus(s: DaemonSync, byNode: Map<string, Stored<Pod>[]>): void {
    const now = s.ctx.clock.now();
    let desired = 0, current = 0, misscheduled = 0, ready = 0, updated = 0, available = 0;
    for (const node of s.nodes) {
      const { shouldRun } = nodeShouldRunDaemonPod(node, s.ds);
      const pods = [...(byNode.get(node.metadata.name) ?? [])].sort(byCreationAndPhase);
      if (!shouldRun) {
        if (pods.length > 0) misscheduled++;
        continue;
      }
      desired++;
      if (pods.length === 0) continue;
      current++;
      if (isPodReady(pods[0])) {
        ready++;
        if (isPodAvailable(pods[0], s.ds.spec.minReadySeconds, now)) available++;
      }
      if (isPodUpdated(pods[0], s.hash, s.generation)) updated++;
    }
    const status: DaemonSetStatus = { currentNumberScheduled: current, numberMisscheduled: misscheduled, desiredNumberScheduled: desired, numberReady: ready };
    if (s.ds.metadata.generation) status.observedGeneration = s.ds.metadata.generation;
    if (updated) status.updatedNumberScheduled = updated;
    if (available) status.numberAvailable = available;
    if (desired - available) status.numberUnavailable = desired - available;
    if (s.ds.status?.collisionCount !== undefined) status.collisionCount = s.ds.status.collisionCount;
    if (s.ds.status?.conditions) status.conditions = [...s.ds.status.conditions];
    s.ctx.store.updateStatus({ ...s.ds, status });
    const minReady = s.ds.spec.minReadySeconds ?? 0;
    if (minReady > 0 && ready !== available) s.ctx.requeueAfter(objectKey(s.ds), minReady * 1000);
  }

  private sync(ctx: ControllerContext, ds: Stored<DaemonSet>): void {
    // Status is not computed for a DaemonSet being deleted (its history may already be gone).
    if (ds.metadata.deletionTimestamp) return;
    const s: DaemonSync = { ctx, ds, nodes: ctx.store.list<Node>("Node"), hash: computeHash(ds.spec.template, ds.status?.collisionCount), generation: templateGeneration(ds) };
    const byNode = this.podsByNode(s);
    const { creates, deletes } = this.manage(s, byNode);
    this.syncNodes(s, creates, deletes);
    // What was claimed stays true until a pod is created or deleted: only then list again.
    let wrote = creates.length > 0 || deletes.length > 0;
    // Like upstream's expectations: the rolling update waits until the manage step's writes are seen.
    if (!wrote && ds.spec.updateStrategy?.type === "RollingUpdate") {
      const all = new Map(byNode);
      for (const node of s.nodes) if (nodeShouldRunDaemonPod(node, ds).shouldRun && !all.has(node.metadata.name)) all.set(node.metadata.name, []);
      const plan = rollingUpdatePlan({ ds, nodes: s.nodes, podsByNode: all, hash: s.hash, generation: s.generation, now: ctx.clock.now() });
      this.syncNodes(s, plan.creates, plan.deletes);
      wrote = plan.creates.length > 0 || plan.deletes.length > 0;
    }
    const current = { ...s, ds: ctx.store.get<DaemonSet>("DaemonSet", ds.metadata.namespace, ds.metadata.name) };
    this.writeStatus(current, wrote ? this.podsByNode(current) : byNode);
  }
}

