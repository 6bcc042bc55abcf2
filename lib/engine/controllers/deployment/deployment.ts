/**
 * The Deployment controller (`deployment-controller`, `pkg/controller/deployment`): claims the
 * ReplicaSets its selector matches, records paused/resumed progress, and per sync either
 * scales (paused, or `spec.replicas` changed) or takes one step of the rollout strategy.
 *
 * @example
 * cluster.register(deploymentController());
 * cluster.store.create(deployment); // ReplicaSet web-5d59d67564, `Scaled up replica set web-5d59d67564 from 0 to 3`
 */
import { ApiError, type Deployment, type ReplicaSet, type Stored, type WatchEvent, labelSelectorAsSelector } from "../../api";
import { type Controller, type ControllerContext, objectKey, selfKey, defineWatches } from "../../cluster/controller";
import { Backoff } from "../common/backoff";
import { dependentWatch, forEachKey, namespaceKey } from "../common/keys";
import { claim } from "../common/ownership";
import { controllerRefOf, editable } from "../common/pods";
import { rolloutRecreate, rolloutRolling } from "./strategies";
import { RetryError, type SyncState, getAllReplicaSetsAndSyncRevision, isScalingEvent, syncDeploymentStatus, syncScaling, writeStatus } from "./sync";
import { REASON, type RS, getCondition, hasProgressDeadline, newCondition, setCondition } from "./util";

/** A ReplicaSet's pod went away: Recreate rollouts wait for exactly that. */
function podDeletedKeys(event: WatchEvent): readonly string[] {
  const ref = event.type === "DELETED" ? controllerRefOf(event.object) : undefined;
  return ref?.kind === "ReplicaSet" ? [namespaceKey(event.object.metadata.namespace)] : [];
}

/** `checkPausedConditions`: Progressing Unknown with DeploymentPaused / DeploymentResumed. */
function checkPausedConditions(s: SyncState): void {
  if (!hasProgressDeadline(s.d)) return;
  const cond = getCondition(s.d.status, "Progressing");
  if (cond?.reason === REASON.timedOut) return;
  const pausedShown = cond?.reason === REASON.paused;
  const now = s.ctx.clock.rfc3339();
  s.d.status ??= {};
  if (s.d.spec.paused && !pausedShown) setCondition(s.d.status, newCondition("Progressing", "Unknown", REASON.paused, "Deployment is paused", now));
  else if (!s.d.spec.paused && pausedShown) setCondition(s.d.status, newCondition("Progressing", "Unknown", REASON.resumed, "Deployment is resumed", now));
  else return;
  writeStatus(s);
}

/** `syncDeployment`. */
function syncDeployment(ctx: ControllerContext, deployment: Stored<Deployment>): void {
  const s: SyncState = { ctx, d: editable(deployment) };
  const candidates = ctx.store.list<ReplicaSet>("ReplicaSet", { namespace: deployment.metadata.namespace });
  const rsList: RS[] = claim(ctx, deployment, labelSelectorAsSelector(deployment.spec.selector), candidates);
  if (deployment.metadata.deletionTimestamp) {
    const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(s, rsList, false);
    return syncDeploymentStatus(s, [...oldRSs, newRS], newRS);
  }
  checkPausedConditions(s);
  if (s.d.spec.paused || isScalingEvent(s, rsList)) return syncScaling(s, rsList);
  if (s.d.spec.strategy?.type === "Recreate") rolloutRecreate(s, rsList);
  else rolloutRolling(s, rsList);
}

/** A fresh Deployment controller for one cluster. */
export function deploymentController(): Controller {
  return new DeploymentController();
}

const WATCHES = defineWatches(
  { kind: "Deployment", keys: selfKey },
  dependentWatch("ReplicaSet", "Deployment"),
  { kind: "Pod", keys: podDeletedKeys },
);

class DeploymentController implements Controller {
  readonly name = "deployment-controller";
  readonly watches = WATCHES;
  /** The workqueue's per-item rate limiter for syncs that fail. */
  private readonly failures = new Backoff(5, 1_000_000);

  reconcile(key: string, ctx: ControllerContext): void {
    forEachKey<Stored<Deployment>>(ctx, "Deployment", key, (d) => {
      const own = objectKey(d);
      try {
        syncDeployment(ctx, d);
        this.failures.reset(own);
      } catch (e) {
        // A conflict or refused write: retry with back-off, as the workqueue would.
        if (!(e instanceof RetryError) && !(e instanceof ApiError)) throw e;
        ctx.requeueAfter(own, this.failures.next(own, ctx.clock.now()));
      }
    });
  }
}

