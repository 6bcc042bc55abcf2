/**
 * A Deployment's rollout history as kubectl reconstructs it on the client
 * (`deploymentutil.GetAllReplicaSets` + `Revision`): the ReplicaSets it controls, each carrying
 * its revision number in `deployment.kubernetes.io/revision` and the command that caused it in
 * `kubernetes.io/change-cause`. The controller writes those; kubectl only reads them.
 *
 * @example
 * const history = deploymentHistory(store, deployment);
 * history.map((r) => r.revision); // [1, 2, 3] (ascending)
 */
import type { Deployment, ObjectStore, PodTemplateSpec, ReplicaSet, Stored } from "../../../../api";
import { clonePlain, equalPlain } from "../../../../util/plain";

export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
export const CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause";
/** The label the deployment controller adds to each ReplicaSet's pods and template. */
const POD_TEMPLATE_HASH = "pod-template-hash";

/** One revision: the ReplicaSet that holds it and its number. */
export interface Revision {
  revision: number;
  replicaSet: Stored<ReplicaSet>;
}

/** `strconv.ParseInt(v, 10, 64)` on the annotation; anything else is "no revision". */
function revisionOf(rs: Stored<ReplicaSet>): number | undefined {
  const text = rs.metadata.annotations?.[REVISION_ANNOTATION];
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return undefined;
  return Number(text);
}

/** The ReplicaSets whose controller reference is this Deployment, in store order. */
function ownedReplicaSets(store: ObjectStore, deployment: Stored<Deployment>): Stored<ReplicaSet>[] {
  return store
    .list<ReplicaSet>("ReplicaSet", { namespace: deployment.metadata.namespace })
    .filter((rs) => rs.metadata.ownerReferences?.some((ref) => ref.controller && ref.uid === deployment.metadata.uid));
}

/**
 * Revision → ReplicaSet, ascending. Two ReplicaSets claiming one number keep the later one in
 * store order, as kubectl's map assignment does.
 */
export function deploymentHistory(store: ObjectStore, deployment: Stored<Deployment>): Revision[] {
  const byNumber = new Map<number, Stored<ReplicaSet>>();
  for (const rs of ownedReplicaSets(store, deployment)) {
    const revision = revisionOf(rs);
    if (revision !== undefined) byNumber.set(revision, rs);
  }
  return [...byNumber.entries()].sort((a, b) => a[0] - b[0]).map(([revision, replicaSet]) => ({ revision, replicaSet }));
}

/** A template without the controller's hash label, as `equalIgnoreHash` compares them. */
export function withoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec | undefined {
  if (!template) return template;
  const copy = clonePlain(template);
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  return copy;
}

/** `equalIgnoreHash`: the two templates differ at most in `pod-template-hash`. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return equalPlain(normalizeTemplate(withoutHash(a)), normalizeTemplate(withoutHash(b)));
}

/** Go's DeepEqual after decoding treats an empty map like a missing one, and templates carry a null creationTimestamp. */
function normalizeTemplate(template: PodTemplateSpec | undefined): unknown {
  if (!template) return template;
  const copy = clonePlain(template) as PodTemplateSpec;
  if (copy.metadata) {
    delete copy.metadata.creationTimestamp;
    for (const key of ["labels", "annotations"] as const) {
      if (copy.metadata[key] && Object.keys(copy.metadata[key]!).length === 0) delete copy.metadata[key];
    }
    if (Object.keys(copy.metadata).length === 0) delete copy.metadata;
  }
  return copy;
}
