/**
 * The two rollout strategies (`rolling.go`, `recreate.go`) and the progress bookkeeping of
 * `progress.go`: RollingUpdate grows the new ReplicaSet within maxSurge and shrinks the old
 * ones within maxUnavailable (unhealthy replicas first); Recreate scales the old ones to zero,
 * waits for their pods to be gone, then scales up the new one. After each step the Progressing
 * condition records progress, completion (`NewReplicaSetAvailable`) or a missed deadline.
 *
 * @example
 * rolloutRolling(s, rsList); // one step of a rolling update, then the status
 */
import type { Condition, Deployment, DeploymentStatus, Pod, Stored } from "../../api";
import { equalPlain } from "../../util/plain";
import { objectKey } from "../../cluster/controller";
import { controllerRefOf, isPodTerminal, parseTime } from "../common/pods";
import {
  REASON, type RS, activeReplicaSets, actualReplicas, availableReplicas, byCreation, deploymentComplete, deploymentProgressing,
  deploymentTimedOut, getCondition, hasProgressDeadline, maxUnavailable, newCondition, newRSNewReplicas, removeCondition, replicasOf,
  setCondition, specReplicas,
} from "./util";
import {
  type SyncState, calculateStatus, cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent, writeStatus,
} from "./sync";

/** `rolloutRolling`: one step, then the status. */
export function rolloutRolling(s: SyncState, rsList: RS[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(s, rsList, true);
  let current = newRS!;
  const replicas = s.d.spec.replicas ?? 0;
  // reconcileNewReplicaSet: scale up within maxSurge (or down to the desired count).
  if (replicasOf(current) !== replicas) {
    const target = replicasOf(current) > replicas ? replicas : newRSNewReplicas(s.d, [...oldRSs, current], current);
    const result = scaleReplicaSetAndRecordEvent(s, current, target);
    current = result.rs;
    if (result.scaled) return syncRolloutStatus(s, [...oldRSs, current], current);
  }
  if (reconcileOldReplicaSets(s, [...oldRSs, current], activeReplicaSets(oldRSs), current)) {
    return syncRolloutStatus(s, refresh(s, [...oldRSs, current]), current);
  }
  if (deploymentComplete(s.d, s.d.status ?? {})) cleanupDeployment(s, oldRSs);
  syncRolloutStatus(s, [...oldRSs, current], current);
}

/** Re-reads ReplicaSets after they were scaled. */
function refresh(s: SyncState, rsList: RS[]): RS[] {
  return rsList.map((rs) => s.ctx.store.find("ReplicaSet", rs.metadata.namespace, rs.metadata.name) ?? rs) as RS[];
}

/** `reconcileOldReplicaSets`: whether any old ReplicaSet was scaled down. */
function reconcileOldReplicaSets(s: SyncState, allRSs: RS[], oldRSs: RS[], newRS: RS): boolean {
  if (specReplicas(oldRSs) === 0) return false;
  const minAvailable = (s.d.spec.replicas ?? 0) - maxUnavailable(s.d);
  const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = specReplicas(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  // Unhealthy old replicas go first: removing them costs no availability.
  let cleaned = 0;
  const olds = [...oldRSs].sort(byCreation);
  for (let i = 0; i < olds.length && cleaned < maxScaledDown; i++) {
    const rs = olds[i];
    const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
    if (replicasOf(rs) === 0 || unhealthy === 0) continue;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    olds[i] = scaleReplicaSetAndRecordEvent(s, rs, replicasOf(rs) - down).rs;
    cleaned += down;
  }
  return cleaned + scaleDownOldForRollingUpdate(s, [...olds, newRS], olds) > 0;
}

/** `scaleDownOldReplicaSetsForRollingUpdate`: down to what maxUnavailable allows. */
function scaleDownOldForRollingUpdate(s: SyncState, allRSs: RS[], oldRSs: RS[]): number {
  const minAvailable = (s.d.spec.replicas ?? 0) - maxUnavailable(s.d);
  const available = availableReplicas(allRSs);
  if (available <= minAvailable) return 0;
  const total = available - minAvailable;
  let scaled = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (scaled >= total) break;
    if (replicasOf(rs) === 0) continue;
    const down = Math.min(replicasOf(rs), total - scaled);
    scaleReplicaSetAndRecordEvent(s, rs, replicasOf(rs) - down);
    scaled += down;
  }
  return scaled;
}

/** `rolloutRecreate`: old pods all gone before the new ReplicaSet scales up. */
export function rolloutRecreate(s: SyncState, rsList: RS[]): void {
  let { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(s, rsList, false);
  let scaledDown = false;
  oldRSs = oldRSs.map((rs) => {
    if (replicasOf(rs) === 0) return rs;
    const result = scaleReplicaSetAndRecordEvent(s, rs, 0);
    scaledDown ||= result.scaled;
    return result.rs;
  });
  if (scaledDown || oldPodsRunning(s, newRS, oldRSs)) return syncRolloutStatus(s, [...oldRSs, newRS], newRS);
  if (!newRS) ({ newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(s, refresh(s, rsList), true));
  newRS = scaleReplicaSetAndRecordEvent(s, newRS!, s.d.spec.replicas ?? 0).rs;
  if (deploymentComplete(s.d, s.d.status ?? {})) cleanupDeployment(s, oldRSs);
  syncRolloutStatus(s, [...oldRSs, newRS], newRS);
}

/** `oldPodsRunning`: old ReplicaSets still report replicas, or their pods still exist. */
function oldPodsRunning(s: SyncState, newRS: RS | undefined, oldRSs: RS[]): boolean {
  if (actualReplicas(oldRSs) > 0) return true;
  const oldUIDs = new Set(oldRSs.map((rs) => rs.metadata.uid));
  return s.ctx.store.list<Pod>("Pod", { namespace: s.d.metadata.namespace }).some((pod) => {
    const uid = controllerRefOf(pod)?.uid;
    return uid !== undefined && uid !== newRS?.metadata.uid && oldUIDs.has(uid) && !isPodTerminal(pod);
  });
}

/** `ReplicaSetToDeploymentCondition` for the new (else any) RS's ReplicaFailure condition. */
function replicaFailure(allRSs: (RS | undefined)[], newRS: RS | undefined): Condition | undefined {
  const failureOf = (rs: RS | undefined) => rs?.status?.conditions?.find((c) => c.type === "ReplicaFailure");
  const c = failureOf(newRS) ?? allRSs.map(failureOf).find((x) => x !== undefined);
  if (!c) return undefined;
  return { type: c.type, status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
}

/** `syncRolloutStatus`: the status plus Progressing and ReplicaFailure conditions. */
function syncRolloutStatus(s: SyncState, allRSs: (RS | undefined)[], newRS: RS | undefined): void {
  const d = s.d;
  const status: DeploymentStatus = calculateStatus(s, allRSs, newRS);
  const now = s.ctx.clock.rfc3339();
  if (!hasProgressDeadline(d)) removeCondition(status, "Progressing");
  const current = getCondition(d.status, "Progressing");
  const complete = (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === REASON.newRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition("Progressing", "True", REASON.newRSAvailable, `${subject} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      // Progress refreshes lastUpdateTime even when the reason stays the same.
      const cond = newCondition("Progressing", "True", REASON.replicaSetUpdated, `${subject} is progressing.`, now);
      if (current?.status === "True") cond.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, "Progressing");
      setCondition(status, cond);
    } else if (deploymentTimedOut(d, status, s.ctx.clock.now())) {
      setCondition(status, newCondition("Progressing", "False", REASON.timedOut, `${subject} has timed out progressing.`, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, failure);
  else removeCondition(status, "ReplicaFailure");
  if (equalPlain(d.status ?? {}, status)) return requeueStuckDeployment(s, status);
  s.d.status = status;
  writeStatus(s);
}

/** `requeueStuckDeployment`: check the progress deadline again when it would expire. */
function requeueStuckDeployment(s: SyncState, status: DeploymentStatus): void {
  const cond = getCondition(s.d.status, "Progressing");
  if (!hasProgressDeadline(s.d) || !cond || deploymentComplete(s.d, status) || cond.reason === REASON.timedOut) return;
  const deadline = (parseTime(cond.lastUpdateTime) ?? s.ctx.clock.now()) + (s.d.spec.progressDeadlineSeconds ?? 0) * 1000;
  // Upstream adds a second to stay clear of the deadline itself.
  s.ctx.requeueAfter(objectKey(s.d as Stored<Deployment>), Math.max(0, deadline - s.ctx.clock.now()) + 1000);
}
