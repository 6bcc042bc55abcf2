/**
 * Describers for the workload controllers: Deployment (with its old and new ReplicaSets),
 * ReplicaSet, ReplicationController and DaemonSet — each counting the pods it controls by
 * phase and embedding the pod template, as describe.go does.
 *
 * @example
 * describeDeployment(w, store, deployment);
 */
import {
  type DaemonSet, type Deployment, type KubeObject, type ObjectStore, type Pod, type ReplicaSet, type ReplicationController, type Stored,
  formatLabelSelector, labelSelectorAsSelector,
} from "../../api";
import { equalPlain } from "../../util/plain";
import { describePodTemplate } from "./pod";
import { type DescribeWriter, formatLabels, printAnnotations, printLabels, rfc1123z } from "./writer";

const controllerOf = (obj: KubeObject) => obj.metadata.ownerReferences?.find((r) => r.controller);

/** `getPodStatusForController`: pods matching the selector and controlled by `uid`, by phase. */
function podStatus(store: ObjectStore, obj: Stored, selector: string): string {
  const pods = store.list<Pod>("Pod", { namespace: obj.metadata.namespace, labelSelector: selector });
  const count = (phase: string) => pods.filter((p) => controllerOf(p)?.uid === obj.metadata.uid && p.status?.phase === phase).length;
  return `${count("Running")} Running / ${count("Pending")} Waiting / ${count("Succeeded")} Succeeded / ${count("Failed")} Failed`;
}

function conditions(w: DescribeWriter, list: readonly { type: string; status: string; reason?: string }[] | undefined): void {
  if (!list?.length) return;
  w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
  w.write(1, "----\t------\t------\n");
  for (const c of list) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ""}\n`);
}

/** `describeDeployment`. */
export function describeDeployment(w: DescribeWriter, store: ObjectStore, d: Stored<Deployment>): void {
  const { spec, status = {} } = d;
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace ?? ""}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
  printLabels(w, "Labels", d.metadata.labels);
  printAnnotations(w, "Annotations", d.metadata.annotations);
  w.write(0, `Selector:\t${labelSelectorAsSelector(spec.selector).toString()}\n`);
  w.write(0, `Replicas:\t${spec.replicas ?? 0} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ` +
    `${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`);
  w.write(0, `StrategyType:\t${spec.strategy?.type ?? ""}\n`);
  w.write(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
  const ru = spec.strategy?.rollingUpdate;
  if (ru) w.write(0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? ""} max unavailable, ${ru.maxSurge ?? ""} max surge\n`);
  describePodTemplate(w, spec.template);
  conditions(w, status.conditions);
  const owned = store.list<ReplicaSet>("ReplicaSet", { namespace: d.metadata.namespace })
    .filter((rs) => controllerOf(rs)?.uid === d.metadata.uid)
    .sort((a, b) => Date.parse(a.metadata.creationTimestamp ?? "") - Date.parse(b.metadata.creationTimestamp ?? ""));
  const newRS = owned.find((rs) => sameTemplate(rs, d));
  const oldRSs = owned.filter((rs) => rs !== newRS);
  if (owned.length > 0) {
    w.write(0, `OldReplicaSets:\t${replicaSets(oldRSs)}\n`);
    w.write(0, `NewReplicaSet:\t${replicaSets(newRS ? [newRS] : [])}\n`);
  }
}

/** `EqualIgnoreHash`: the templates are equal once the pod-template-hash label is dropped. */
function sameTemplate(rs: ReplicaSet, d: Deployment): boolean {
  const strip = (t: ReplicaSet["spec"]["template"]) => {
    const labels = { ...(t?.metadata?.labels ?? {}) };
    delete labels["pod-template-hash"];
    return { ...t, metadata: { ...t?.metadata, labels } };
  };
  return equalPlain(strip(rs.spec.template), strip(d.spec.template));
}

function replicaSets(list: readonly ReplicaSet[]): string {
  const text = list.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec.replicas ?? 0} replicas created)`).join(", ");
  return text || "<none>";
}

/** `describeReplicaSet`. */
export function describeReplicaSet(w: DescribeWriter, store: ObjectStore, rs: Stored<ReplicaSet>): void {
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace ?? ""}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(rs.spec.selector)}\n`);
  printLabels(w, "Labels", rs.metadata.labels);
  printAnnotations(w, "Annotations", rs.metadata.annotations);
  const controller = controllerOf(rs);
  if (controller) w.write(0, `Controlled By:\t${controller.kind}/${controller.name}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec.replicas ?? 0} desired\n`);
  w.write(0, `Pods Status:\t${podStatus(store, rs, labelSelectorAsSelector(rs.spec.selector).toString())}\n`);
  describePodTemplate(w, rs.spec.template);
  conditions(w, rs.status?.conditions);
}

/** `describeReplicationController`. */
export function describeReplicationController(w: DescribeWriter, store: ObjectStore, rc: Stored<ReplicationController>): void {
  w.write(0, `Name:\t${rc.metadata.name}\n`);
  w.write(0, `Namespace:\t${rc.metadata.namespace ?? ""}\n`);
  w.write(0, `Selector:\t${formatLabels(rc.spec.selector)}\n`);
  printLabels(w, "Labels", rc.metadata.labels);
  printAnnotations(w, "Annotations", rc.metadata.annotations);
  w.write(0, `Replicas:\t${rc.status?.replicas ?? 0} current / ${rc.spec.replicas ?? 0} desired\n`);
  const selector = formatLabels(rc.spec.selector);
  w.write(0, `Pods Status:\t${podStatus(store, rc, selector === "<none>" ? "" : selector)}\n`);
  describePodTemplate(w, rc.spec.template);
  conditions(w, rc.status?.conditions);
}

/** `describeDaemonSet`. */
export function describeDaemonSet(w: DescribeWriter, store: ObjectStore, ds: Stored<DaemonSet>): void {
  const status = ds.status ?? {};
  const selector = labelSelectorAsSelector(ds.spec.selector).toString();
  w.write(0, `Name:\t${ds.metadata.name}\n`);
  w.write(0, `Namespace:\t${ds.metadata.namespace ?? ""}\n`);
  w.write(0, `Selector:\t${selector}\n`);
  w.write(0, `Node-Selector:\t${formatLabels(ds.spec.template.spec.nodeSelector)}\n`);
  printLabels(w, "Labels", ds.metadata.labels);
  printAnnotations(w, "Annotations", ds.metadata.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${status.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${status.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${status.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${status.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${status.numberMisscheduled ?? 0}\n`);
  w.write(0, `Pods Status:\t${podStatus(store, ds, selector)}\n`);
  describePodTemplate(w, ds.spec.template);
}
