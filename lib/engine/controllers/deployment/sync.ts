/**
 * `pkg/controller/deployment/sync.go`: finding or creating the new ReplicaSet (named
 * `<deployment>-<pod-template-hash>`) and keeping revisions in step, scaling ReplicaSets with
 * `ScalingReplicaSet` events, proportional scaling of a rollout in flight, revision-history
 * cleanup and the Deployment status.
 *
 * @example
 * const s: SyncState = { ctx, d: editable(deployment) };
 * const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(s, rsList, true);
 * scale(s, newRS, oldRSs);
 */
import { AlreadyExistsError, ApiError, type Deployment, type DeploymentStatus, type ReplicaSet, type Stored } from "../../api";
import type { ControllerContext } from "../../cluster/controller";
import { clonePlain, equalPlain } from "../../util/plain";
import { computeHash } from "../common/hash";
import { controllerRefOf, editable, newControllerRef } from "../common/pods";
import {
  ANNOTATIONS_TO_SKIP, MAX_REVISION_HISTORY_CHARS, POD_TEMPLATE_HASH, REASON, REVISION, REVISION_HISTORY, type RS,
  activeReplicaSets, actualReplicas, availableReplicas, byCreation, byRevision, desiredReplicasAnnotation, equalIgnoreHash, findNewReplicaSet,
  findOldReplicaSets, getCondition, hasProgressDeadline, isRollingUpdate, isSaturated, maxRevision, maxSurge, maxUnavailable,
  newCondition, newRSNewReplicas, proportion, readyReplicas, replicasOf, setCondition, setReplicasAnnotations,
  specReplicas,
} from "./util";

export const COMPONENT = { component: "deployment-controller" };

/** One sync of one Deployment: the context and a working copy that status writes refresh. */
export interface SyncState {
  ctx: ControllerContext;
  d: Deployment;
}

/** A sync that must be retried later (upstream returns an error and the queue backs off). */
export class RetryError extends Error {}

/** Writes the working copy's status (and annotations), keeping the copy current. */
export function writeStatus(s: SyncState): void {
  s.d = editable(s.ctx.store.updateStatus<Deployment>(s.d));
}

function record(s: SyncState, type: "Normal" | "Warning", reason: string, message: string): void {
  s.ctx.events.record(s.d as Stored<Deployment>, type, reason, message, COMPONENT);
}

/** `SetDeploymentRevision` on the working copy; returns whether it changed. */
function setDeploymentRevision(d: Deployment, revision: string): boolean {
  if (d.metadata.annotations?.[REVISION] === revision) return false;
  d.metadata.annotations = { ...d.metadata.annotations, [REVISION]: revision };
  return true;
}

/**
 * `SetNewReplicaSetAnnotations`: copies the Deployment's annotations, raises the revision
 * (remembering the old one in revision-history when rolling back to this RS) and, for a new
 * RS, sets desired/max replicas. Returns whether anything changed.
 */
function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (ANNOTATIONS_TO_SKIP.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  const oldText = annotations[REVISION];
  const oldRevision = oldText === undefined ? 0 : /^\d+$/.test(oldText) ? Number(oldText) : Number.NaN;
  if (Number.isNaN(oldRevision)) return false;
  if (oldRevision < newRevision) {
    annotations[REVISION] = String(newRevision);
    changed = true;
    if (oldText !== undefined) {
      const history = annotations[REVISION_HISTORY];
      const entries = history ? history.split(",") : [];
      // Drop the oldest entries until the history fits its length limit.
      while (entries.length > 0 && [...entries, oldText].join(",").length > MAX_REVISION_HISTORY_CHARS) entries.shift();
      annotations[REVISION_HISTORY] = [...entries, oldText].join(",");
    }
  }
  if (!exists && setReplicasAnnotations(rs, d.spec.replicas ?? 0, (d.spec.replicas ?? 0) + maxSurge(d))) changed = true;
  return changed;
}

/** `getAllReplicaSetsAndSyncRevision`. */
export function getAllReplicaSetsAndSyncRevision(s: SyncState, rsList: RS[], create: boolean): { newRS: RS | undefined; oldRSs: RS[] } {
  const oldRSs = findOldReplicaSets(s.d, rsList);
  return { newRS: getNewReplicaSet(s, rsList, oldRSs, create), oldRSs };
}

function getNewReplicaSet(s: SyncState, rsList: RS[], oldRSs: RS[], create: boolean): RS | undefined {
  const { ctx } = s;
  const existing = findNewReplicaSet(s.d, rsList);
  const newRevision = maxRevision(oldRSs) + 1;
  if (existing) {
    const copy = editable(existing);
    const annotationsChanged = setNewReplicaSetAnnotations(s.d, copy, newRevision, true);
    if (annotationsChanged || (copy.spec.minReadySeconds ?? 0) !== (s.d.spec.minReadySeconds ?? 0)) {
      copy.spec.minReadySeconds = s.d.spec.minReadySeconds;
      return ctx.store.update<ReplicaSet>(copy);
    }
    let needsUpdate = setDeploymentRevision(s.d, copy.metadata.annotations?.[REVISION] ?? "");
    if (hasProgressDeadline(s.d) && !getCondition(s.d.status, "Progressing")) {
      s.d.status ??= {};
      setCondition(s.d.status, newCondition("Progressing", "True", REASON.foundNewRS, `Found new replica set "${copy.metadata.name}"`, ctx.clock.rfc3339()));
      needsUpdate = true;
    }
    if (needsUpdate) writeStatus(s);
    return existing;
  }
  if (!create) return undefined;

  const template = clonePlain(s.d.spec.template);
  const hash = computeHash(s.d.spec.template, s.d.status?.collisionCount);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH]: hash } };
  const selector = clonePlain(s.d.spec.selector ?? {});
  selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH]: hash };
  const rs: ReplicaSet = {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${s.d.metadata.name}-${hash}`,
      namespace: s.d.metadata.namespace,
      ownerReferences: [newControllerRef(s.d as Stored<Deployment>)],
      labels: { ...template.metadata.labels },
    },
    spec: { replicas: 0, minReadySeconds: s.d.spec.minReadySeconds, selector, template },
  };
  rs.spec.replicas = newRSNewReplicas(s.d, [...oldRSs, rs], rs);
  setNewReplicaSetAnnotations(s.d, rs, newRevision, false);
  let created: RS;
  let alreadyExisted = false;
  try {
    created = ctx.store.create<ReplicaSet>(rs);
  } catch (e) {
    if (e instanceof AlreadyExistsError) {
      const found = ctx.store.get<ReplicaSet>("ReplicaSet", rs.metadata.namespace, rs.metadata.name!);
      if (controllerRefOf(found)?.uid !== s.d.metadata.uid || !equalIgnoreHash(s.d.spec.template, found.spec.template)) {
        // A hash collision: bump collisionCount so the next sync computes another name.
        s.d.status = { ...s.d.status, collisionCount: (s.d.status?.collisionCount ?? 0) + 1 };
        writeStatus(s);
        throw new RetryError(e.message);
      }
      created = found;
      alreadyExisted = true;
    } else if (e instanceof ApiError) {
      const msg = `Failed to create new replica set "${rs.metadata.name}": ${e.message}`;
      if (hasProgressDeadline(s.d)) {
        s.d.status ??= {};
        setCondition(s.d.status, newCondition("Progressing", "False", REASON.failedRSCreate, msg, ctx.clock.rfc3339()));
        writeStatus(s);
      }
      record(s, "Warning", REASON.failedRSCreate, msg);
      throw new RetryError(msg);
    } else throw e;
  }
  if (!alreadyExisted && replicasOf(created) > 0) {
    record(s, "Normal", "ScalingReplicaSet", `Scaled up replica set ${created.metadata.name} from 0 to ${replicasOf(created)}`);
  }
  let needsUpdate = setDeploymentRevision(s.d, String(newRevision));
  if (!alreadyExisted && hasProgressDeadline(s.d)) {
    s.d.status ??= {};
    setCondition(s.d.status, newCondition("Progressing", "True", REASON.newReplicaSet, `Created new replica set "${created.metadata.name}"`, ctx.clock.rfc3339()));
    needsUpdate = true;
  }
  if (needsUpdate) writeStatus(s);
  return created;
}

/** `scaleReplicaSetAndRecordEvent`. */
export function scaleReplicaSetAndRecordEvent(s: SyncState, rs: RS, newScale: number): { scaled: boolean; rs: RS } {
  if (replicasOf(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(s, rs, newScale);
}

/** `scaleReplicaSet`: sets the size and the replica annotations; an event when the size changed. */
function scaleReplicaSet(s: SyncState, rs: RS, newScale: number): { scaled: boolean; rs: RS } {
  const replicas = s.d.spec.replicas ?? 0;
  const copy = editable(rs);
  const sizeChanged = replicasOf(rs) !== newScale;
  copy.spec.replicas = newScale;
  const annotationsChanged = setReplicasAnnotations(copy, replicas, replicas + maxSurge(s.d));
  if (!sizeChanged && !annotationsChanged) return { scaled: false, rs };
  const updated = s.ctx.store.update<ReplicaSet>(copy);
  if (sizeChanged) {
    const operation = replicasOf(rs) < newScale ? "up" : "down";
    record(s, "Normal", "ScalingReplicaSet", `Scaled ${operation} replica set ${rs.metadata.name} from ${replicasOf(rs)} to ${newScale}`);
  }
  return { scaled: sizeChanged, rs: updated };
}

/** `FindActiveOrLatest`: the only active RS, or the newest one when none is active. */
function findActiveOrLatest(newRS: RS | undefined, oldRSs: RS[]): RS | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const sorted = [...oldRSs].sort(byCreation).reverse();
  const active = activeReplicaSets([...sorted, newRS]);
  if (active.length === 0) return newRS ?? sorted[0];
  return active.length === 1 ? active[0] : undefined;
}

/** `scale`: scaling outside a rollout, proportionally across ReplicaSets when one is in flight. */
export function scale(s: SyncState, newRS: RS | undefined, oldRSs: RS[]): void {
  const replicas = s.d.spec.replicas ?? 0;
  const single = findActiveOrLatest(newRS, oldRSs);
  if (single) {
    if (replicasOf(single) !== replicas) scaleReplicaSetAndRecordEvent(s, single, replicas);
    return;
  }
  if (isSaturated(s.d, newRS)) {
    for (const old of activeReplicaSets(oldRSs)) scaleReplicaSetAndRecordEvent(s, old, 0);
    return;
  }
  if (!isRollingUpdate(s.d)) return;
  const all = activeReplicaSets([...oldRSs, newRS]);
  const allowed = replicas > 0 ? replicas + maxSurge(s.d) : 0;
  const toAdd = allowed - specReplicas(all);
  const bySize = (newerFirst: boolean) => (a: RS, b: RS) =>
    replicasOf(b) - replicasOf(a) || (newerFirst ? byCreation(b, a) : byCreation(a, b));
  if (toAdd > 0) all.sort(bySize(true));
  else if (toAdd < 0) all.sort(bySize(false));
  let added = 0;
  const sizes = all.map((rs) => {
    if (toAdd === 0) return replicasOf(rs);
    const p = proportion(rs, s.d, toAdd, added);
    added += p;
    return replicasOf(rs) + p;
  });
  // Leftovers go to the largest ReplicaSet.
  if (all.length > 0 && toAdd !== 0) sizes[0] = Math.max(0, sizes[0] + toAdd - added);
  all.forEach((rs, i) => scaleReplicaSet(s, rs, sizes[i]));
}

/** `cleanupDeployment`: deletes the oldest empty ReplicaSets beyond revisionHistoryLimit. */
export function cleanupDeployment(s: SyncState, oldRSs: RS[]): void {
  const limit = s.d.spec.revisionHistoryLimit;
  if (limit === undefined) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
  const diff = cleanable.length - limit;
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i];
    if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    try {
      s.ctx.store.delete("ReplicaSet", rs.metadata.namespace, rs.metadata.name);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
}

/** `calculateStatus`: counts from the ReplicaSets and the Available condition. */
export function calculateStatus(s: SyncState, allRSs: (RS | undefined)[], newRS: RS | undefined): DeploymentStatus {
  const d = s.d;
  const available = availableReplicas(allRSs);
  const status: DeploymentStatus = {};
  if (d.metadata.generation) status.observedGeneration = d.metadata.generation;
  const set = (key: "replicas" | "updatedReplicas" | "readyReplicas" | "availableReplicas" | "unavailableReplicas", n: number) => {
    if (n) status[key] = n;
  };
  set("replicas", actualReplicas(allRSs));
  set("updatedReplicas", actualReplicas([newRS]));
  set("readyReplicas", readyReplicas(allRSs));
  set("availableReplicas", available);
  set("unavailableReplicas", Math.max(0, specReplicas(allRSs) - available));
  if (d.status?.conditions) status.conditions = clonePlain(d.status.conditions);
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  const now = s.ctx.clock.rfc3339();
  if (available >= (d.spec.replicas ?? 0) - maxUnavailable(d)) {
    setCondition(status, newCondition("Available", "True", REASON.minimumAvailable, "Deployment has minimum availability.", now));
  } else {
    setCondition(status, newCondition("Available", "False", REASON.minimumUnavailable, "Deployment does not have minimum availability.", now));
  }
  return status;
}

/** `syncDeploymentStatus`: writes the calculated status when it differs. */
export function syncDeploymentStatus(s: SyncState, allRSs: (RS | undefined)[], newRS: RS | undefined): void {
  const status = calculateStatus(s, allRSs, newRS);
  if (equalPlain(s.d.status ?? {}, status)) return;
  s.d.status = status;
  writeStatus(s);
}

/** `sync`: scaling events and paused deployments (no rollout progress). */
export function syncScaling(s: SyncState, rsList: RS[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(s, rsList, false);
  scale(s, newRS, oldRSs);
  // Pick up the sizes just written before computing the status.
  const fresh = (rs: RS | undefined) => (rs ? (s.ctx.store.find<ReplicaSet>("ReplicaSet", rs.metadata.namespace, rs.metadata.name) ?? rs) : undefined);
  const olds = oldRSs.map((rs) => fresh(rs)!);
  if (s.d.spec.paused) cleanupDeployment(s, olds);
  syncDeploymentStatus(s, [...olds, fresh(newRS)], fresh(newRS));
}

/** `isScalingEvent`: an active RS was sized for a different replica count. */
export function isScalingEvent(s: SyncState, rsList: RS[]): boolean {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(s, rsList, false);
  return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
    const desired = desiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== (s.d.spec.replicas ?? 0);
  });
}

