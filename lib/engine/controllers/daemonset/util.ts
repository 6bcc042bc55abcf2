/**
 * DaemonSet helpers (`pkg/controller/daemon/util` and the predicates of `daemon_controller.go`):
 * which nodes should run a daemon pod, the tolerations every daemon pod gets, the pod template
 * with its revision labels and per-node affinity, and which pods are up to date.
 *
 * @example
 * nodeShouldRunDaemonPod(node, ds); // { shouldRun: true, shouldContinueRunning: true }
 * daemonPodTemplate(ds, "5d8f7c9b6", "node01").spec.affinity; // matchFields metadata.name In [node01]
 */
import type { DaemonSet, Node, Pod, PodSpec, PodTemplateSpec, Stored, Toleration } from "../../api";
import { clonePlain } from "../../util/plain";
import { requiredAffinityMatches } from "../common/node-affinity";
import { parseTime } from "../common/pods";
import {
  TAINT_DISK_PRESSURE, TAINT_MEMORY_PRESSURE, TAINT_NETWORK_UNAVAILABLE, TAINT_NOT_READY, TAINT_PID_PRESSURE, TAINT_UNREACHABLE,
  TAINT_UNSCHEDULABLE, addOrUpdateToleration, findUntoleratedTaint,
} from "../common/taints";

export const REVISION_HASH_LABEL = "controller-revision-hash";
const TEMPLATE_GENERATION_LABEL = "pod-template-generation";
const TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

/**
 * `AddOrUpdateDaemonPodTolerations`: daemon pods survive node problems (not-ready and
 * unreachable without a time limit) and ignore pressure and cordoning.
 */
function withDaemonTolerations(spec: PodSpec): Toleration[] {
  let tolerations = [...(spec.tolerations ?? [])];
  const add = (key: string, effect: string) => {
    tolerations = addOrUpdateToleration(tolerations, { key, operator: "Exists", effect });
  };
  add(TAINT_NOT_READY, "NoExecute");
  add(TAINT_UNREACHABLE, "NoExecute");
  add(TAINT_DISK_PRESSURE, "NoSchedule");
  add(TAINT_MEMORY_PRESSURE, "NoSchedule");
  add(TAINT_PID_PRESSURE, "NoSchedule");
  add(TAINT_UNSCHEDULABLE, "NoSchedule");
  if (spec.hostNetwork) add(TAINT_NETWORK_UNAVAILABLE, "NoSchedule");
  return tolerations;
}

/**
 * `NodeShouldRunDaemonPod`: whether a daemon pod should be created on `node`, and whether one
 * already there may stay (it may, when only NoSchedule taints are untolerated).
 */
export function nodeShouldRunDaemonPod(node: Stored<Node>, ds: Stored<DaemonSet>): Placement {
  // Stored objects are frozen and this is pure in the node and the template: a sync asks once per pair.
  let byTemplate = placements.get(node);
  if (!byTemplate) placements.set(node, (byTemplate = new WeakMap()));
  let placement = byTemplate.get(ds.spec.template);
  if (!placement) byTemplate.set(ds.spec.template, (placement = placementOf(node, ds.spec.template)));
  return placement;
}

type Placement = { readonly shouldRun: boolean; readonly shouldContinueRunning: boolean };

// A cache beside the state (see util/lazy.ts): answers by the frozen node and template they came from.
const placements = new WeakMap<Stored<Node>, WeakMap<PodTemplateSpec, Placement>>();

function placementOf(node: Stored<Node>, template: PodTemplateSpec): Placement {
  const spec = template.spec;
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
  if (!requiredAffinityMatches(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = withDaemonTolerations(spec);
  const taints = node.spec?.taints;
  if (!findUntoleratedTaint(taints, tolerations, (t) => t.effect === "NoExecute" || t.effect === "NoSchedule")) {
    return { shouldRun: true, shouldContinueRunning: true };
  }
  return { shouldRun: false, shouldContinueRunning: !findUntoleratedTaint(taints, tolerations, (t) => t.effect === "NoExecute") };
}

/** `GetTemplateGeneration`; without the apiserver's annotation, the object's generation. */
export function templateGeneration(ds: Stored<DaemonSet>): string | undefined {
  const annotated = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (annotated !== undefined) return /^\d+$/.test(annotated) ? annotated : undefined;
  return ds.metadata.generation !== undefined ? String(ds.metadata.generation) : undefined;
}

/**
 * `CreatePodTemplate` + `ReplaceDaemonSetPodNodeNameNodeAffinity`: the template with daemon
 * tolerations, revision labels, and a required node affinity on `metadata.name` so the
 * scheduler puts the pod on `nodeName` and nowhere else.
 */
export function daemonPodTemplate(ds: Stored<DaemonSet>, hash: string, nodeName: string): PodTemplateSpec {
  const template = clonePlain(ds.spec.template);
  template.spec.tolerations = withDaemonTolerations(template.spec);
  const labels = { ...template.metadata?.labels };
  const generation = templateGeneration(ds);
  if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = generation;
  labels[REVISION_HASH_LABEL] = hash;
  template.metadata = { ...template.metadata, labels };
  const terms = [{ matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] }];
  const affinity = (template.spec.affinity ?? {}) as { nodeAffinity?: Record<string, unknown> };
  const nodeAffinity = affinity.nodeAffinity ?? {};
  template.spec.affinity = { ...affinity, nodeAffinity: { ...nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } };
  return template;
}

/** `GetTargetNodeName`: the bound node, else the one its metadata.name affinity names. */
export function targetNodeName(pod: Stored<Pod>): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms = (pod.spec.affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: { matchFields?: { key: string; operator: string; values?: string[] }[] }[] } } } | undefined)
    ?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const f of term.matchFields ?? []) {
      if (f.key === "metadata.name" && f.operator === "In" && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** `IsPodUpdated`: the pod carries the current hash or template generation. */
export function isPodUpdated(pod: Stored<Pod>, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  return (generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === generation) || (hash !== "" && labels[REVISION_HASH_LABEL] === hash);
}

/** `podByCreationTimestampAndPhase`: scheduled first, then oldest, then by name. */
export function byCreationAndPhase(a: Stored<Pod>, b: Stored<Pod>): number {
  const sa = Boolean(a.spec.nodeName);
  const sb = Boolean(b.spec.nodeName);
  if (sa !== sb) return sa ? -1 : 1;
  const t = (parseTime(a.metadata.creationTimestamp) ?? 0) - (parseTime(b.metadata.creationTimestamp) ?? 0);
  return t !== 0 ? t : a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** `findUpdatedPodsOnNode`: the live new and old pod on a node, or `ok: false` with more than one of either. */
export function findUpdatedPodsOnNode(pods: readonly Stored<Pod>[], hash: string, generation: string | undefined): { ok: boolean; newPod?: Stored<Pod>; oldPod?: Stored<Pod> } {
  let newPod: Stored<Pod> | undefined;
  let oldPod: Stored<Pod> | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { ok: true, newPod, oldPod };
}
