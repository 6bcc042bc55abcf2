/**
 * The taint eviction controller (`taint-eviction-controller`, `pkg/controller/tainteviction`):
 * pods on a node with NoExecute taints they do not tolerate are deleted at once; pods that
 * tolerate them for `tolerationSeconds` (300 s for not-ready/unreachable, added by
 * DefaultTolerationSeconds admission) are deleted when that runs out, counted from when the
 * taint appeared. Each eviction records `TaintManagerEviction` `Marking for deletion Pod
 * default/web-x` and a DisruptionTarget condition; a taint removed in time cancels it
 * (`Cancelling deletion of Pod …`). Pods stay Terminating while their node is down, as upstream.
 *
 * @example
 * cluster.register(taintEvictionController());
 * // node01 tainted unreachable:NoExecute at t; at t+300 s its pods are marked for deletion
 */
import { ApiError, type Node, type Pod, type Stored, type Toleration, type WatchEvent } from "../api";
import { type Controller, type ControllerContext, objectKey, splitKey, defineWatches } from "../cluster/controller";
import { equalPlain } from "../util/plain";
import { editable, parseTime, podCondition, updatePodCondition } from "./common/pods";
import { matchingTolerations } from "./common/taints";

const SOURCE = { component: "taint-eviction-controller" };

function noExecuteTaints(node: Stored<Node> | undefined) {
  return (node?.spec?.taints ?? []).filter((t) => t.effect === "NoExecute");
}

/** `getMinTolerationTime`: the shortest tolerationSeconds in ms; -1 when all tolerate forever. */
function minTolerationMs(used: readonly Toleration[]): number {
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}

function nodeKeys(event: WatchEvent): readonly string[] {
  const view = (o: Stored) => noExecuteTaints(o as Stored<Node>);
  if (event.type === "MODIFIED" && equalPlain(view(event.object), view(event.old))) return [];
  return [`node:${event.object.metadata.name}`];
}

function podKeys(event: WatchEvent): readonly string[] {
  const pod = event.object as Stored<Pod>;
  if (event.type === "MODIFIED") {
    const old = event.old as Stored<Pod>;
    if (pod.spec.nodeName === old.spec.nodeName && equalPlain(pod.spec.tolerations, old.spec.tolerations)) return [];
  } else if (event.type === "ADDED" && !pod.spec.nodeName) return [];
  return [objectKey(pod)];
}

/** A fresh taint eviction controller (it remembers scheduled evictions to report cancellations). */
export function taintEvictionController(): Controller {
  return new TaintEvictionController();
}

const WATCHES = defineWatches(
  { kind: "Node", keys: nodeKeys },
  { kind: "Pod", keys: podKeys },
);

class TaintEvictionController implements Controller {
  readonly name = "taint-eviction-controller";
  readonly watches = WATCHES;
  private readonly scheduled = new Set<string>();

  reconcile(key: string, ctx: ControllerContext): void {
    if (key.startsWith("node:")) {
      const name = key.slice("node:".length);
      for (const pod of ctx.store.list<Pod>("Pod", { fieldSelector: `spec.nodeName=${name}` })) this.process(ctx, pod);
      return;
    }
    const { namespace, name } = splitKey(key);
    const pod = ctx.store.find<Pod>("Pod", namespace, name);
    if (pod) this.process(ctx, pod);
    else this.scheduled.delete(key);
  }

  private cancel(ctx: ControllerContext, pod: Stored<Pod>): void {
    const key = objectKey(pod);
    if (!this.scheduled.delete(key)) return;
    ctx.events.record(pod, "Normal", "TaintManagerEviction", `Cancelling deletion of Pod ${key}`, SOURCE);
  }

  private evict(ctx: ControllerContext, pod: Stored<Pod>): void {
    const key = objectKey(pod);
    this.scheduled.delete(key);
    ctx.events.record(pod, "Normal", "TaintManagerEviction", `Marking for deletion Pod ${key}`, SOURCE);
    try {
      const next = editable(pod);
      next.status ??= {};
      const condition = { type: "DisruptionTarget", status: "True", reason: "DeletionByTaintManager", message: "Taint manager: deleting due to NoExecute taint" };
      if (updatePodCondition(next.status, condition, ctx.clock.rfc3339())) ctx.store.updateStatus<Pod>(next);
      ctx.store.delete("Pod", pod.metadata.namespace, pod.metadata.name);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  /** `processPodOnNode`. */
  private process(ctx: ControllerContext, pod: Stored<Pod>): void {
    if (pod.metadata.deletionTimestamp) {
      this.scheduled.delete(objectKey(pod));
      return;
    }
    const node = pod.spec.nodeName ? ctx.store.find<Node>("Node", undefined, pod.spec.nodeName) : undefined;
    const taints = noExecuteTaints(node);
    if (taints.length === 0) return this.cancel(ctx, pod);
    const { all, used } = matchingTolerations(taints, pod.spec.tolerations);
    if (!all) return this.evict(ctx, pod);
    const min = minTolerationMs(used);
    if (min < 0) return this.cancel(ctx, pod);
    // The countdown starts when the taint appeared, or when the pod landed on the tainted node.
    const tainted = Math.min(...taints.map((t) => parseTime(t.timeAdded) ?? ctx.clock.now()));
    const bound = parseTime(podCondition(pod, "PodScheduled")?.lastTransitionTime) ?? parseTime(pod.metadata.creationTimestamp) ?? 0;
    const deadline = Math.max(tainted, bound) + min;
    if (ctx.clock.now() >= deadline) return this.evict(ctx, pod);
    this.scheduled.add(objectKey(pod));
    ctx.requeueAfter(objectKey(pod), deadline - ctx.clock.now());
  }
}
