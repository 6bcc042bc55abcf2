/**
 * What `kubectl rollout` computes client-side for Deployments (`polymorphichelpers`): the
 * revision history from the ReplicaSets, `rollout undo` (copy an old ReplicaSet's template and
 * annotations back into the Deployment), and the `rollout status` line.
 *
 * @example
 * rollbackDeployment(store, "default", "web");     // { ok: true, message: "deployment.apps/web rolled back" }
 * rollbackDeployment(store, "default", "web", 9);  // { ok: false, message: "error: unable to find specified revision 9 in history" }
 * rolloutStatus(store, "default", "web");          // { ok: true, done: false, message: 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...' }
 */
import { ApiError, type Deployment, type ObjectStore, type ReplicaSet, type Stored, kubectlErrorText, labelSelectorAsSelector } from "../../api";
import { clonePlain } from "../../util/plain";
import { controllerRefOf } from "../common/pods";
import { ANNOTATIONS_TO_SKIP, POD_TEMPLATE_HASH, equalIgnoreHash, revisionOf } from "./util";

/** One revision of a Deployment, as `kubectl rollout history` lists it. */
export interface DeploymentRevision {
  revision: number;
  replicaSet: Stored<ReplicaSet>;
  /** The `kubernetes.io/change-cause` annotation, if any. */
  changeCause?: string;
}

/** A kubectl outcome: the line printed on stdout (`ok`) or stderr (with its `error: ` prefix). */
export type RolloutResult = { ok: true; message: string } | { ok: false; message: string };

/** The Deployment, or kubectl's error text for it (`Error from server (NotFound): …`). */
function lookup(store: ObjectStore, namespace: string, name: string): Stored<Deployment> | string {
  try {
    return store.get<Deployment>("Deployment", namespace, name);
  } catch (e) {
    if (e instanceof ApiError) return kubectlErrorText(e);
    throw e;
  }
}

/** `deploymentutil.GetAllReplicaSets` as kubectl uses it: the RSs the Deployment controls. */
function replicaSetsOf(store: ObjectStore, d: Stored<Deployment>): Stored<ReplicaSet>[] {
  const selector = labelSelectorAsSelector(d.spec.selector);
  return store
    .list<ReplicaSet>("ReplicaSet", { namespace: d.metadata.namespace, labelSelector: selector })
    .filter((rs) => controllerRefOf(rs)?.uid === d.metadata.uid);
}

/** The Deployment's revisions, oldest first (ReplicaSets with a malformed revision are skipped). */
export function deploymentRevisions(store: ObjectStore, namespace: string, name: string): DeploymentRevision[] {
  const d = store.find<Deployment>("Deployment", namespace, name);
  if (!d) return [];
  return replicaSetsOf(store, d)
    .filter((rs) => !Number.isNaN(revisionOf(rs)))
    .map((rs) => {
      const cause = rs.metadata.annotations?.["kubernetes.io/change-cause"];
      return cause ? { revision: revisionOf(rs), replicaSet: rs, changeCause: cause } : { revision: revisionOf(rs), replicaSet: rs };
    })
    .sort((a, b) => a.revision - b.revision);
}

/**
 * `kubectl rollout undo deployment/<name> [--to-revision=N]` (`DeploymentRollbacker`): 0 means
 * the previous revision. The rollback is an update of the template and annotations; the
 * controller then rolls out as for any template change.
 */
export function rollbackDeployment(store: ObjectStore, namespace: string, name: string, toRevision = 0): RolloutResult {
  const notFound = (r: number): RolloutResult => ({ ok: false, message: `error: unable to find specified revision ${r} in history` });
  if (toRevision < 0) return notFound(toRevision);
  const d = lookup(store, namespace, name);
  if (typeof d === "string") return { ok: false, message: d };
  const revisions = deploymentRevisions(store, namespace, name);
  let target: Stored<ReplicaSet> | undefined;
  if (toRevision > 0) {
    target = revisions.find((r) => r.revision === toRevision)?.replicaSet;
    if (!target) return notFound(toRevision);
  } else {
    target = revisions.length >= 2 ? revisions[revisions.length - 2].replicaSet : undefined;
    if (!target) return { ok: false, message: `error: no rollout history found for deployment "${name}"` };
  }
  if (d.spec.paused) {
    return { ok: false, message: "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again" };
  }
  const resource = `deployment.apps/${name}`;
  if (equalIgnoreHash(target.spec.template, d.spec.template)) {
    return { ok: true, message: `${resource} skipped rollback (current template already matches revision ${revisionOf(target)})` };
  }
  const template = clonePlain(target.spec.template!);
  if (template.metadata?.labels) delete template.metadata.labels[POD_TEMPLATE_HASH];
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  for (const [k, v] of Object.entries(target.metadata.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  const next = clonePlain(d) as Deployment;
  next.spec.template = template;
  next.metadata.annotations = annotations;
  try {
    store.update<Deployment>(next);
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, message: `error: failed restoring revision ${toRevision}: ${e.message}` };
    throw e;
  }
  return { ok: true, message: `${resource} rolled back` };
}

/** The `rollout status` verdict: `done` once the rollout finished. */
export type RolloutStatus = { ok: true; done: boolean; message: string } | { ok: false; message: string };

/**
 * `DeploymentStatusViewer.Status`: one line about the rollout, without the trailing newline.
 * `revision`, when given, must be the Deployment's current revision.
 */
export function rolloutStatus(store: ObjectStore, namespace: string, name: string, revision = 0): RolloutStatus {
  const d = lookup(store, namespace, name);
  if (typeof d === "string") return { ok: false, message: d };
  if (revision > 0 && revisionOf(d) !== revision) {
    return { ok: false, message: `error: desired revision (${revision}) is different from the running revision (${revisionOf(d)})` };
  }
  const st = d.status ?? {};
  const waiting = (what: string): RolloutStatus => ({ ok: true, done: false, message: `Waiting for deployment "${name}" rollout to finish: ${what}...` });
  if ((d.metadata.generation ?? 0) > (st.observedGeneration ?? 0)) {
    return { ok: true, done: false, message: "Waiting for deployment spec update to be observed..." };
  }
  if (st.conditions?.find((c) => c.type === "Progressing")?.reason === "ProgressDeadlineExceeded") {
    return { ok: false, message: `error: deployment "${name}" exceeded its progress deadline` };
  }
  const replicas = d.spec.replicas ?? 1;
  const updated = st.updatedReplicas ?? 0;
  if (updated < replicas) return waiting(`${updated} out of ${replicas} new replicas have been updated`);
  if ((st.replicas ?? 0) > updated) return waiting(`${(st.replicas ?? 0) - updated} old replicas are pending termination`);
  if ((st.availableReplicas ?? 0) < updated) return waiting(`${st.availableReplicas ?? 0} of ${updated} updated replicas are available`);
  return { ok: true, done: true, message: `deployment "${name}" successfully rolled out` };
}
