/**
 * Pod helpers the controllers share, after `k8s.io/kubernetes/pkg/api/v1/pod` and
 * `pkg/controller/controller_utils.go`: readiness and availability, active/terminal pods,
 * controller references, condition updates and building a pod from a template.
 *
 * @example
 * isPodAvailable(pod, 10, clock.now()); // ready for more than 10 s
 * podFromTemplate(rs.spec.template!, rs, newControllerRef(rs)); // generateName "web-7d4b9-"
 */
import type { Condition, KubeObject, OwnerReference, Pod, PodStatus, PodTemplateSpec, Stored } from "../../api";
import { clonePlain } from "../../util/plain";

/** Milliseconds since the epoch of an RFC 3339 timestamp, or undefined when absent or invalid. */
export function parseTime(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `GetPodCondition`. */
export function podCondition(pod: Pick<Pod, "status">, type: string): Condition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** `IsPodReady`: the Ready condition is True. */
export function isPodReady(pod: Pick<Pod, "status">): boolean {
  return podCondition(pod, "Ready")?.status === "True";
}

/** When a ready pod became ready (`podReadyTime`), undefined for a pod that is not ready. */
export function podReadyTime(pod: Pick<Pod, "status">): number | undefined {
  if (!isPodReady(pod)) return undefined;
  return parseTime(podCondition(pod, "Ready")?.lastTransitionTime);
}

/**
 * `IsPodAvailable`: ready, and (with `minReadySeconds`) ready for strictly longer than that.
 * Controllers requeue themselves after `minReadySeconds` to notice the change.
 */
export function isPodAvailable(pod: Pick<Pod, "status">, minReadySeconds: number | undefined, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = parseTime(podCondition(pod, "Ready")?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

/** `IsPodTerminal`: the pod has finished (Succeeded or Failed). */
export function isPodTerminal(pod: Pick<Pod, "status">): boolean {
  const phase = pod.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

/** `IsPodActive`: not finished and not being deleted. */
export function isPodActive(pod: Stored<Pod>): boolean {
  return !isPodTerminal(pod) && !pod.metadata.deletionTimestamp;
}

/** The highest restart count among the pod's containers. */
export function maxContainerRestarts(pod: Pick<Pod, "status">): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((s) => s.restartCount ?? 0));
}

/** `metav1.GetControllerOf`. */
export function controllerRefOf(obj: { metadata: { ownerReferences?: readonly OwnerReference[] } }): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** `metav1.NewControllerRef`: the owner reference a controller puts on what it creates. */
export function newControllerRef(owner: Stored): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * `UpdatePodCondition`: replaces (or appends) the condition of the same type; the transition
 * time moves only when the status changes. Returns whether anything changed.
 */
export function updatePodCondition(status: PodStatus, condition: Condition, now: string): boolean {
  const conditions = (status.conditions ??= []);
  const at = conditions.findIndex((c) => c.type === condition.type);
  const next: Condition = { ...condition, lastTransitionTime: now };
  if (at < 0) {
    conditions.push(next);
    return true;
  }
  const old = conditions[at];
  if (old.status === next.status) next.lastTransitionTime = old.lastTransitionTime;
  conditions[at] = next;
  return !(
    old.status === next.status &&
    old.reason === next.reason &&
    old.message === next.message &&
    (old.lastProbeTime ?? null) === (next.lastProbeTime ?? null) &&
    old.lastTransitionTime === next.lastTransitionTime
  );
}

/**
 * `GetPodFromTemplate`: labels, annotations and finalizers of the template, `generateName`
 * `<owner>-` (the store adds five random characters), the controller reference and the spec.
 */
export function podFromTemplate(template: PodTemplateSpec, owner: Stored, controllerRef: OwnerReference): Pod {
  const meta = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      ownerReferences: [controllerRef],
    },
    spec: clonePlain(template.spec),
  };
  if (meta.labels) pod.metadata.labels = { ...meta.labels };
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) pod.metadata.finalizers = [...meta.finalizers];
  return pod;
}

/** A copy of `obj` that may be edited and written back. */
export function editable<T extends KubeObject>(obj: Stored<T>): T {
  return clonePlain(obj) as T;
}
