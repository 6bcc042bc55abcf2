/**
 * The replica manager both the ReplicaSet and the ReplicationController controllers run
 * (`pkg/controller/replicaset/replica_set.go`, which also serves RCs upstream): claim the pods
 * the selector matches, create or delete pods until the count matches `spec.replicas`
 * (slow-start batches, upstream's deletion order), then write the status.
 *
 * @example
 * const rs = replicaManager({ name: "replicaset-controller", kind: "ReplicaSet", component: "replicaset-controller",
 *   selector: (obj) => labelSelectorAsSelector(obj.spec.selector) });
 */
import {
  ApiError, type Condition, type Pod, type ReplicaSet, type ReplicaSetStatus, type ReplicationController, type Selector,
  type Stored, selectorFromSet,
} from "../api";
import { type Controller, type ControllerContext, type ControllerWatch, objectKey, selfKey } from "../cluster/controller";
import { Backoff } from "./common/backoff";
import { dependentWatch, forEachKey } from "./common/keys";
import { claim } from "./common/ownership";
import { createPod, deletePod } from "./common/pod-control";
import { podsToDelete } from "./common/pod-ranking";
import {
  controllerRefOf, isPodActive, isPodAvailable, isPodReady, newControllerRef, parseTime, podCondition, podFromTemplate,
} from "./common/pods";

/** A ReplicaSet or a ReplicationController: the same fields, a different selector type. */
export type ReplicatedObject = Stored<ReplicaSet> | Stored<ReplicationController>;

/** What differs between the two controllers built on the manager. */
export interface ReplicaManagerConfig {
  name: string;
  kind: "ReplicaSet" | "ReplicationController";
  /** The event source (`replicaset-controller`, `replication-controller`). */
  component: string;
  selector(obj: ReplicatedObject): Selector;
}

/** Upstream's `BurstReplicas`: at most this many creations or deletions per sync. */
const BURST_REPLICAS = 500;

/** `controller.SlowStartInitialBatchSize`. */
const SLOW_START_INITIAL_BATCH = 1;

/** Builds the controller for one kind; each cluster gets its own instance (it keeps back-off state). */
export function replicaManager(config: ReplicaManagerConfig): Controller {
  return new ReplicaManager(config);
}

class ReplicaManager implements Controller {
  readonly name: string;
  readonly watches: readonly ControllerWatch[];
  /** The workqueue's per-item rate limiter: failed syncs retry after 5 ms, 10 ms, … up to 1000 s. */
  private readonly failures = new Backoff(5, 1_000_000);

  constructor(private readonly config: ReplicaManagerConfig) {
    this.name = config.name;
    this.watches = [{ kind: config.kind, keys: selfKey }, dependentWatch("Pod", config.kind)];
  }

  reconcile(key: string, ctx: ControllerContext): void {
    forEachKey<ReplicatedObject>(ctx, this.config.kind, key, (obj) => this.sync(ctx, obj), () => this.failures.reset(key));
  }

  private sync(ctx: ControllerContext, obj: ReplicatedObject): void {
    const key = objectKey(obj);
    const namespace = obj.metadata.namespace!;
    const selector = this.config.selector(obj);
    const active = ctx.store.list<Pod>("Pod", { namespace }).filter(isPodActive);
    const pods = claim(ctx, obj, selector, active);
    let failure: { reason: string; message: string } | undefined;
    if (!obj.metadata.deletionTimestamp) failure = this.manageReplicas(ctx, obj, pods);
    this.writeStatus(ctx, obj, pods, failure);
    if (failure) ctx.requeueAfter(key, this.failures.next(key, ctx.clock.now()));
    else this.failures.reset(key);
  }

  /** `manageReplicas`: returns the failure to report in the ReplicaFailure condition, if any. */
  private manageReplicas(ctx: ControllerContext, obj: ReplicatedObject, pods: Stored<Pod>[]): { reason: string; message: string } | undefined {
    const diff = pods.length - (obj.spec.replicas ?? 1);
    if (diff < 0) {
      const template = obj.spec.template!;
      let remaining = Math.min(-diff, BURST_REPLICAS);
      for (let batch = Math.min(remaining, SLOW_START_INITIAL_BATCH); batch > 0; batch = Math.min(2 * batch, remaining)) {
        for (let i = 0; i < batch; i++) {
          const created = createPod(ctx, obj, podFromTemplate(template, obj, newControllerRef(obj)), this.config.component);
          // A failed batch ends the sync: the rest would most likely fail the same way.
          if (created instanceof ApiError) return { reason: "FailedCreate", message: created.message };
        }
        remaining -= batch;
      }
      return undefined;
    }
    if (diff > 0) {
      const victims = podsToDelete(pods, this.relatedPods(ctx, obj), Math.min(diff, BURST_REPLICAS), ctx.clock.now());
      for (const pod of victims) deletePod(ctx, obj, pod, this.config.component);
    }
    return undefined;
  }

  /** `getIndirectlyRelatedPods`: pods of every sibling with the same controller (a Deployment's ReplicaSets). */
  private relatedPods(ctx: ControllerContext, obj: ReplicatedObject): Stored<Pod>[] {
    const ref = controllerRefOf(obj);
    const siblings = ref
      ? (ctx.store.list(this.config.kind, { namespace: obj.metadata.namespace }) as ReplicatedObject[]).filter((o) => controllerRefOf(o)?.uid === ref.uid)
      : [obj];
    const seen = new Set<string>();
    const related: Stored<Pod>[] = [];
    for (const sibling of siblings) {
      for (const pod of ctx.store.list<Pod>("Pod", { namespace: obj.metadata.namespace, labelSelector: this.config.selector(sibling) })) {
        if (seen.has(pod.metadata.uid)) continue;
        seen.add(pod.metadata.uid);
        related.push(pod);
      }
    }
    return related;
  }

  /** `calculateStatus` + `updateReplicaSetStatus`; requeues to notice pods becoming available. */
  private writeStatus(ctx: ControllerContext, obj: ReplicatedObject, pods: Stored<Pod>[], failure: { reason: string; message: string } | undefined): void {
    const now = ctx.clock.now();
    const minReady = obj.spec.minReadySeconds ?? 0;
    const templateLabels = selectorFromSet(obj.spec.template?.metadata?.labels);
    let fullyLabeled = 0;
    let ready = 0;
    let available = 0;
    let nextAvailable: number | undefined;
    for (const pod of pods) {
      if (templateLabels.matches(pod.metadata.labels)) fullyLabeled++;
      if (!isPodReady(pod)) continue;
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
      else {
        // Upstream requeues minReadySeconds + 1 s after the pod turned ready.
        const at = (parseTime(podCondition(pod, "Ready")?.lastTransitionTime) ?? now) + minReady * 1000 + 1000;
        nextAvailable = Math.min(nextAvailable ?? at, at);
      }
    }
    const status: ReplicaSetStatus = { replicas: pods.length };
    if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
    if (ready) status.readyReplicas = ready;
    if (available) status.availableReplicas = available;
    if (obj.metadata.generation) status.observedGeneration = obj.metadata.generation;
    const conditions = failureConditions(obj.status?.conditions, failure, ctx.clock.rfc3339());
    if (conditions.length > 0) status.conditions = conditions;
    ctx.store.updateStatus({ ...obj, status });
    if (nextAvailable !== undefined) ctx.requeueAfter(objectKey(obj), Math.max(0, nextAvailable - now));
  }
}

/** Adds a ReplicaFailure condition on a new failure, drops it once syncs succeed again. */
function failureConditions(current: readonly Condition[] | undefined, failure: { reason: string; message: string } | undefined, now: string): Condition[] {
  const conditions = [...(current ?? [])];
  const existing = conditions.find((c) => c.type === "ReplicaFailure");
  if (failure && !existing) conditions.push({ type: "ReplicaFailure", status: "True", lastTransitionTime: now, reason: failure.reason, message: failure.message });
  if (!failure && existing) return conditions.filter((c) => c !== existing);
  return conditions;
}
