/**
 * `kubectl run`'s `waitForPod`: watch one pod until a condition holds, as client-go's
 * `UntilWithSync` does (the current object first, then every change), for at most
 * `--pod-running-timeout`. The cluster's virtual time runs on meanwhile, from one scheduled
 * event to the next, so the wait stops at the very change that satisfies the condition (a pod
 * that is Running and Ready for a moment is seen, as a watch sees it).
 *
 * @example
 * const pod = waitForPod(ctx, "default", "box", 60_000, podRunningAndReady);
 * waitForPod(ctx, "default", "box", 60_000, podCompleted).status?.phase; // "Failed"
 */
import { notFoundError, type Pod, type Stored, type WatchEvent } from "../../../api";
import type { Cluster } from "../../../cluster/cluster";
import { KubectlError } from "../../errors";
import type { KubectlContext } from "../../types";

/** A watch condition: true when satisfied; it may throw to end the wait with an error. */
export type PodCondition = (type: WatchEvent["type"], pod: Stored<Pod>) => boolean;

/** `ErrPodCompleted`: the pod ran to completion before it was seen running; it carries the pod. */
export class PodCompletedError extends KubectlError {
  constructor(readonly pod: Stored<Pod>) {
    super("pod ran to completion");
  }
}

/** The conditions' answer to a deleted pod: `apierrors.NewNotFound` with an empty name. */
const deleted = () => notFoundError({ group: "", resource: "pods" }, "");

const phaseOf = (pod: Stored<Pod>) => pod.status?.phase;

/** `podRunningAndReady`: Running with the Ready condition True; a finished pod ends the wait with ErrPodCompleted. */
export const podRunningAndReady: PodCondition = (type, pod) => {
  if (type === "DELETED") throw deleted();
  const phase = phaseOf(pod);
  if (phase === "Failed" || phase === "Succeeded") throw new PodCompletedError(pod);
  return phase === "Running" && (pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
};

/** `podCompleted`: Succeeded or Failed (what `--restart=Never` waits for). */
export const podCompleted: PodCondition = (type, pod) => {
  if (type === "DELETED") throw deleted();
  return phaseOf(pod) === "Failed" || phaseOf(pod) === "Succeeded";
};

/** `podSucceeded`: only success ends the wait (`--restart=OnFailure` restarts failures). */
export const podSucceeded: PodCondition = (type, pod) => {
  if (type === "DELETED") throw deleted();
  return phaseOf(pod) === "Succeeded";
};

/**
 * Watches pod `name` until `condition` holds (its pod is returned) or throws (that error is
 * thrown), letting virtual time pass for at most `timeoutMs`; then `timed out waiting for the
 * condition`.
 */
export function waitForPod(ctx: KubectlContext, namespace: string, name: string, timeoutMs: number, condition: PodCondition): Stored<Pod> {
  let outcome: { pod: Stored<Pod> } | { error: unknown } | undefined;
  const observe = (type: WatchEvent["type"], pod: Stored<Pod>) => {
    if (outcome || pod.metadata.name !== name) return;
    try {
      if (condition(type, pod)) outcome = { pod };
    } catch (error) {
      outcome = { error };
    }
  };
  const current = ctx.store.find<Pod>("Pod", namespace, name);
  if (current) observe("ADDED", current);
  // A watch lives for this one call only: nothing of it stays in the cluster's state.
  const stop = ctx.store.watch((event) => observe(event.type, event.object as Stored<Pod>), { kind: "Pod", namespace });
  try {
    const deadline = ctx.cluster.clock.now() + timeoutMs;
    while (!outcome && ctx.cluster.clock.now() < deadline) advanceTowards(ctx.cluster, deadline);
  } finally {
    stop();
  }
  if (!outcome) throw new KubectlError("timed out waiting for the condition");
  if ("error" in outcome) throw outcome.error;
  return outcome.pod;
}

/** Lets virtual time run to the cluster's next scheduled event, or to `deadline` if that comes first. */
export function advanceTowards(cluster: Cluster, deadline: number): void {
  // Pending reconciles first: they may schedule something earlier than what is queued now.
  cluster.settle();
  const next = Math.min(cluster.timers.peek() ?? deadline, deadline);
  cluster.advanceTo(Math.max(next, cluster.clock.now()));
}
