/**
 * The pod garbage collector (`pod-garbage-collector-controller`, `pkg/controller/podgc`):
 * force-deletes pods bound to a node that no longer exists (after the 40 s quarantine
 * upstream gives a node to reappear), and terminating pods on a node that is not ready and
 * carries the `node.kubernetes.io/out-of-service` taint (non-graceful node shutdown). Before
 * deleting, the pod is marked Failed with a DisruptionTarget condition, as upstream does.
 * Terminating pods on a node that is merely down stay Terminating.
 *
 * @example
 * cluster.register(podGCController());
 * store.delete("Node", undefined, "node01"); // 40 s later its pods are gone
 */
import { ApiError, type Node, type Pod, type Stored, type WatchEvent } from "../api";
import { type Controller, type ControllerContext, defineWatches } from "../cluster/controller";
import { equalPlain } from "../util/plain";
import { editable, isPodTerminal, updatePodCondition } from "./common/pods";
import { TAINT_OUT_OF_SERVICE } from "./common/taints";

/** `quarantineTime`: how long a missing node may take to come back before its pods go. */
export const POD_GC_QUARANTINE_MS = 40_000;

function forceDelete(ctx: ControllerContext, pod: Stored<Pod>, message: string): void {
  try {
    const next = editable(pod);
    next.status ??= {};
    updatePodCondition(next.status, { type: "DisruptionTarget", status: "True", reason: "DeletionByPodGC", message }, ctx.clock.rfc3339());
    if (!isPodTerminal(pod)) next.status.phase = "Failed";
    ctx.store.updateStatus<Pod>(next);
    ctx.store.delete("Pod", pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0 });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
}

/** Node added or removed, or its readiness or taints changed. */
function nodeKeys(event: WatchEvent): readonly string[] {
  if (event.type !== "MODIFIED") return [""];
  const view = (o: Stored) => {
    const n = o as Stored<Node>;
    return [n.spec?.taints, n.status?.conditions?.find((c) => c.type === "Ready")?.status];
  };
  return equalPlain(view(event.object), view(event.old)) ? [] : [""];
}

/** A pod bound (perhaps to a node that is gone) or starting to terminate. */
function podKeys(event: WatchEvent): readonly string[] {
  const pod = event.object as Stored<Pod>;
  if (event.type === "DELETED" || !pod.spec.nodeName) return [];
  if (event.type === "ADDED") return [""];
  const old = event.old as Stored<Pod>;
  return old.spec.nodeName !== pod.spec.nodeName || (!old.metadata.deletionTimestamp && pod.metadata.deletionTimestamp) ? [""] : [];
}

/** The pod garbage collector. Key `""` is one pass; pods on missing nodes get a quarantine timer. */
export function podGCController(): Controller {
  return new PodGCController();
}

const WATCHES = defineWatches(
  { kind: "Node", keys: nodeKeys },
  { kind: "Pod", keys: podKeys },
);

class PodGCController implements Controller {
  readonly name = "pod-garbage-collector-controller";
  readonly watches = WATCHES;
  /** When each missing node was first noticed missing. */
  private readonly missingSince = new Map<string, number>();

  reconcile(_key: string, ctx: ControllerContext): void {
    const now = ctx.clock.now();
    const nodes = new Map(ctx.store.list<Node>("Node").map((n) => [n.metadata.name, n]));
    for (const name of [...this.missingSince.keys()]) if (nodes.has(name)) this.missingSince.delete(name);
    let wake: number | undefined;
    for (const pod of ctx.store.list<Pod>("Pod")) {
      const nodeName = pod.spec.nodeName;
      if (!nodeName) continue;
      const node = nodes.get(nodeName);
      if (!node) {
        const since = this.missingSince.get(nodeName) ?? now;
        this.missingSince.set(nodeName, since);
        if (now >= since + POD_GC_QUARANTINE_MS) forceDelete(ctx, pod, "PodGC: node no longer exists");
        else wake = Math.min(wake ?? since + POD_GC_QUARANTINE_MS, since + POD_GC_QUARANTINE_MS);
        continue;
      }
      const ready = node.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
      const outOfService = (node.spec?.taints ?? []).some((t) => t.key === TAINT_OUT_OF_SERVICE && t.effect === "NoExecute");
      if (pod.metadata.deletionTimestamp && !ready && outOfService) forceDelete(ctx, pod, "PodGC: node is out-of-service");
    }
    if (wake !== undefined) ctx.requeueAfter("", wake - now);
  }
}
