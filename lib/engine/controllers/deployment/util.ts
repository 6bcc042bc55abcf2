/**
 * `pkg/controller/deployment/util/deployment_util.go`: revisions and the annotations a
 * Deployment keeps on its ReplicaSets, maxSurge/maxUnavailable resolution, finding the new and
 * old ReplicaSets, replica counts, proportions for scaling, and Deployment conditions.
 *
 * @example
 * resolveFenceposts("25%", "25%", 4); // { surge: 1, unavailable: 1 }
 * findNewReplicaSet(d, rsList);        // the RS whose template equals d's, ignoring pod-template-hash
 */
import type { Condition, Deployment, DeploymentStatus, IntOrString, ReplicaSet, Stored } from "../../api";
import { equalPlain } from "../../util/plain";
import { scaledValue } from "../common/intstr";
import { parseTime } from "../common/pods";

export const REVISION = "deployment.kubernetes.io/revision";
export const REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
export const POD_TEMPLATE_HASH = "pod-template-hash";
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const ROLLBACK_TO = "deprecated.deployment.rollback.to";

/** Annotations never copied between a Deployment and its ReplicaSets. */
export const ANNOTATIONS_TO_SKIP = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);

/** Condition reasons, as upstream names them. */
export const REASON = {
  replicaSetUpdated: "ReplicaSetUpdated",
  failedRSCreate: "ReplicaSetCreateError",
  newReplicaSet: "NewReplicaSetCreated",
  foundNewRS: "FoundNewReplicaSet",
  newRSAvailable: "NewReplicaSetAvailable",
  timedOut: "ProgressDeadlineExceeded",
  paused: "DeploymentPaused",
  resumed: "DeploymentResumed",
  minimumAvailable: "MinimumReplicasAvailable",
  minimumUnavailable: "MinimumReplicasUnavailable",
} as const;

/** `maxRevHistoryLengthInChars`. */
export const MAX_REVISION_HISTORY_CHARS = 2000;

export type RS = Stored<ReplicaSet>;

export const replicasOf = (rs: Pick<ReplicaSet, "spec"> | undefined): number => rs?.spec.replicas ?? 0;

/** `Revision`: the revision annotation as a number (0 when absent, NaN when malformed). */
export function revisionOf(obj: { metadata: { annotations?: Readonly<Record<string, string>> } }): number {
  const v = obj.metadata.annotations?.[REVISION];
  if (v === undefined) return 0;
  return /^[+-]?\d+$/.test(v) ? Number(v) : Number.NaN;
}

/** `MaxRevision`: the highest parseable revision among the ReplicaSets. */
export function maxRevision(rsList: readonly RS[]): number {
  return rsList.reduce((max, rs) => {
    const v = revisionOf(rs);
    return Number.isNaN(v) ? max : Math.max(max, v);
  }, 0);
}

/** `ReplicaSetsByCreationTimestamp`: oldest first, names breaking ties. */
export function byCreation(a: RS, b: RS): number {
  const t = (parseTime(a.metadata.creationTimestamp) ?? 0) - (parseTime(b.metadata.creationTimestamp) ?? 0);
  return t !== 0 ? t : a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** `ReplicaSetsByRevision`: lowest revision first, then by creation. */
export function byRevision(a: RS, b: RS): number {
  const ra = revisionOf(a) || 0;
  const rb = revisionOf(b) || 0;
  return ra !== rb ? ra - rb : byCreation(a, b);
}

/** `EqualIgnoreHash`: pod templates equal once the pod-template-hash label is dropped. */
export function equalIgnoreHash(a: ReplicaSet["spec"]["template"], b: ReplicaSet["spec"]["template"]): boolean {
  return equalPlain(withoutHash(a), withoutHash(b));
}

/** The template without its pod-template-hash label (a shallow copy where it had one: the rest is shared, not cloned). */
function withoutHash(t: ReplicaSet["spec"]["template"]): ReplicaSet["spec"]["template"] {
  const labels = t?.metadata?.labels;
  if (!labels || !(POD_TEMPLATE_HASH in labels)) return t;
  const rest = { ...labels };
  delete rest[POD_TEMPLATE_HASH];
  return { ...t, metadata: { ...t.metadata, labels: rest } };
}

/** `FindNewReplicaSet`: the oldest RS whose template matches the Deployment's. */
export function findNewReplicaSet(d: Deployment, rsList: readonly RS[]): RS | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** `FindOldReplicaSets`: every RS but the new one. */
export function findOldReplicaSets(d: Deployment, rsList: readonly RS[]): RS[] {
  const newRS = findNewReplicaSet(d, rsList);
  return rsList.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
}

/** `FilterActiveReplicaSets`: those with replicas to run. */
export function activeReplicaSets(rsList: readonly (RS | undefined)[]): RS[] {
  return rsList.filter((rs): rs is RS => rs !== undefined && replicasOf(rs) > 0);
}

const sum = (rsList: readonly (RS | undefined)[], f: (rs: RS) => number) => rsList.reduce((n, rs) => n + (rs ? f(rs) : 0), 0);

/** `GetReplicaCountForReplicaSets`: Σ spec.replicas. */
export const specReplicas = (rsList: readonly (RS | undefined)[]) => sum(rsList, (rs) => rs.spec.replicas ?? 0);
/** `GetActualReplicaCountForReplicaSets`: Σ status.replicas. */
export const actualReplicas = (rsList: readonly (RS | undefined)[]) => sum(rsList, (rs) => rs.status?.replicas ?? 0);
/** `GetReadyReplicaCountForReplicaSets`. */
export const readyReplicas = (rsList: readonly (RS | undefined)[]) => sum(rsList, (rs) => rs.status?.readyReplicas ?? 0);
/** `GetAvailableReplicaCountForReplicaSets`. */
export const availableReplicas = (rsList: readonly (RS | undefined)[]) => sum(rsList, (rs) => rs.status?.availableReplicas ?? 0);

export function isRollingUpdate(d: Deployment): boolean {
  return d.spec.strategy?.type === "RollingUpdate";
}

/**
 * `ResolveFenceposts`: surge rounds up, unavailability down; both zero (possible after
 * rounding) means one pod may be unavailable.
 */
function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  const unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  return surge === 0 && unavailable === 0 ? { surge, unavailable: 1 } : { surge, unavailable };
}

/** `MaxSurge`. */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, d.spec.replicas ?? 0).surge;
}

/** `MaxUnavailable`, never more than the desired replicas. */
export function maxUnavailable(d: Deployment): number {
  const replicas = d.spec.replicas ?? 0;
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas).unavailable, replicas);
}

/** `GetDesiredReplicasAnnotation`. */
export function desiredReplicasAnnotation(rs: RS): number | undefined {
  const v = rs.metadata.annotations?.[DESIRED_REPLICAS];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** `SetReplicasAnnotations` on a mutable RS; returns whether they changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  if (annotations[DESIRED_REPLICAS] === String(desired) && annotations[MAX_REPLICAS] === String(max)) return false;
  annotations[DESIRED_REPLICAS] = String(desired);
  annotations[MAX_REPLICAS] = String(max);
  return true;
}

/** `IsSaturated`: the new RS runs all desired replicas, all available. */
export function isSaturated(d: Deployment, rs: RS | undefined): boolean {
  if (!rs) return false;
  const replicas = d.spec.replicas ?? 0;
  return replicasOf(rs) === replicas && desiredReplicasAnnotation(rs) === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

/** `NewRSNewReplicas`: how far the new RS may grow now. */
export function newRSNewReplicas(d: Deployment, allRSs: readonly (RS | ReplicaSet)[], newRS: Pick<ReplicaSet, "spec">): number {
  const replicas = d.spec.replicas ?? 0;
  if (!isRollingUpdate(d)) return replicas;
  const surge = scaledValue(d.spec.strategy?.rollingUpdate?.maxSurge, replicas, true);
  const current = allRSs.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
  const maxTotal = replicas + surge;
  if (current >= maxTotal) return replicasOf(newRS);
  return replicasOf(newRS) + Math.min(maxTotal - current, replicas - replicasOf(newRS));
}

/** `integer.RoundToInt32`: halves away from zero. */
const roundHalfAway = (x: number) => Math.sign(x) * Math.round(Math.abs(x));

/** `GetProportion`: this RS's share of the replicas being added (or removed). */
export function proportion(rs: RS, d: Deployment, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: RS, d: Deployment): number {
  const replicas = d.spec.replicas ?? 0;
  if (replicas === 0) return -replicasOf(rs);
  const maxNow = replicas + maxSurge(d);
  const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS]);
  // Without the annotation (or with a bad one) fall back to the deployment's current size.
  const before = Number.isInteger(annotated) && annotated > 0 ? annotated : (d.status?.replicas ?? 0);
  if (before === 0) return 0;
  return roundHalfAway((replicasOf(rs) * maxNow) / before) - replicasOf(rs);
}

/** `NewDeploymentCondition`. */
export function newCondition(type: string, status: string, reason: string, message: string, now: string): Condition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * `SetDeploymentCondition`: no-op when status and reason are unchanged; keeps the transition
 * time when only the reason changes; the condition moves to the end of the list.
 */
export function setCondition(status: DeploymentStatus, condition: Condition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
  if (status.conditions.length === 0) delete status.conditions;
}

/** `HasProgressDeadline`: a deadline below MaxInt32. */
export function hasProgressDeadline(d: Deployment): boolean {
  const p = d.spec.progressDeadlineSeconds;
  return p !== undefined && p !== 2147483647;
}

/** `DeploymentComplete`. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const replicas = d.spec.replicas ?? 0;
  return (status.updatedReplicas ?? 0) === replicas && (status.replicas ?? 0) === replicas && (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** `DeploymentProgressing`: more updated, ready or available replicas, or fewer old ones. */
export function deploymentProgressing(d: Deployment, status: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** `DeploymentTimedOut`: no progress reported within progressDeadlineSeconds. */
export function deploymentTimedOut(d: Deployment, status: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getCondition(status, "Progressing");
  if (!cond || cond.reason === REASON.newRSAvailable) return false;
  if (cond.reason === REASON.timedOut) return true;
  const from = parseTime(cond.lastUpdateTime) ?? now;
  return from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 < now;
}
