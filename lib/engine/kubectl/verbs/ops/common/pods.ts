/**
 * How `exec` and `logs` turn `POD` or `TYPE/NAME` into a pod and a container, as kubectl's
 * polymorphic helpers do: `SelectorsForObject` (a workload's or Service's selector), the pick
 * among matching pods (`exec` wants the most active, `ActivePods` reversed; `logs` sorts
 * `ByLogging`), and the default container (the `kubectl.kubernetes.io/default-container`
 * annotation, else the first, with `Defaulted container "web" out of: web, sidecar`).
 *
 * @example
 * const pod = podForObject(ctx, "deploy/web", "exec").pod;
 * defaultContainer(pod, (m) => out.err(m)); // "web"
 */
import type { KubeObject, LabelSelector, Pod, Service, Stored } from "../../../../api";
import { labelSelectorAsSelector, selectorFromSet } from "../../../../api";
import { KubectlError } from "../../../errors";
import type { KubectlContext } from "../../../types";
import { resourceOrThrow } from "./targets";

const DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

/** `podcmd.AllContainerNames`: regular, then ephemeral `(ephem)`, then init `(init)`. */
export function allContainerNames(pod: Pod): string {
  const ephemeral = ((pod.spec as { ephemeralContainers?: { name: string }[] }).ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`);
  return [...pod.spec.containers.map((c) => c.name), ...ephemeral, ...(pod.spec.initContainers ?? []).map((c) => `${c.name} (init)`)].join(", ");
}

/** Whether the pod has a container (regular, init or ephemeral) of that name. */
export function hasContainer(pod: Pod, name: string): boolean {
  const ephemeral = (pod.spec as { ephemeralContainers?: { name: string }[] }).ephemeralContainers ?? [];
  return [...pod.spec.containers, ...(pod.spec.initContainers ?? []), ...ephemeral].some((c) => c.name === name);
}

/**
 * `podcmd.FindOrDefaultContainerByName` with no name given: the annotation's container, else the
 * first one, announcing the choice through `notice` when the pod has more than one.
 */
export function defaultContainer(pod: Pod, notice?: (message: string) => void): string {
  if (pod.spec.containers.length === 0) throw new KubectlError(`pod ${pod.metadata.namespace}/${pod.metadata.name} does not have any containers`);
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated) {
    if (!hasContainer(pod, annotated)) throw new KubectlError(`container ${annotated} is not valid for pod ${pod.metadata.name} out of: ${allContainerNames(pod)}`);
    return annotated;
  }
  const first = pod.spec.containers[0].name;
  const ephemeral = (pod.spec as { ephemeralContainers?: unknown[] }).ephemeralContainers ?? [];
  if (pod.spec.containers.length > 1 || (pod.spec.initContainers?.length ?? 0) > 0 || ephemeral.length > 0) {
    notice?.(`Defaulted container "${first}" out of: ${allContainerNames(pod)}\n`);
  }
  return first;
}

const isReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
const readySince = (pod: Pod) => Date.parse(pod.status?.conditions?.find((c) => c.type === "Ready")?.lastTransitionTime ?? "") || 0;
const restarts = (pod: Pod) => Math.max(0, ...(pod.status?.containerStatuses ?? []).map((s) => s.restartCount));
const created = (pod: Pod) => Date.parse(pod.metadata.creationTimestamp ?? "") || 0;

/** `podutils.ActivePods.Less` reversed: the pod `exec`/`attach` prefer first. */
function moreActive(a: Pod, b: Pod): number {
  const phase: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
  if (!a.spec.nodeName !== !b.spec.nodeName) return a.spec.nodeName ? -1 : 1;
  const pa = phase[a.status?.phase ?? ""] ?? 0;
  const pb = phase[b.status?.phase ?? ""] ?? 0;
  if (pa !== pb) return pb - pa;
  if (isReady(a) !== isReady(b)) return isReady(a) ? -1 : 1;
  if (isReady(a) && readySince(a) !== readySince(b)) return readySince(a) - readySince(b);
  if (restarts(a) !== restarts(b)) return restarts(a) - restarts(b);
  return created(a) - created(b);
}

/** `podutils.ByLogging.Less`: the pod `logs` reads first. */
function betterForLogs(a: Pod, b: Pod): number {
  const phase: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };
  if (!a.spec.nodeName !== !b.spec.nodeName) return a.spec.nodeName ? -1 : 1;
  const pa = phase[a.status?.phase ?? ""] ?? 0;
  const pb = phase[b.status?.phase ?? ""] ?? 0;
  if (pa !== pb) return pa - pb;
  if (isReady(a) !== isReady(b)) return isReady(a) ? -1 : 1;
  if (isReady(a) && readySince(a) !== readySince(b)) return readySince(a) - readySince(b);
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  return created(a) - created(b);
}

/** Go type names in `cannot attach to *v1.ConfigMap: …` messages. */
const goType = (kind: string) => `*v1.${kind}`;

/** `SelectorsForObject`: the label selector that finds the object's pods. */
function selectorFor(object: Stored<KubeObject>): ReturnType<typeof labelSelectorAsSelector> {
  const spec = (object as { spec?: { selector?: unknown } }).spec;
  switch (object.kind) {
    case "ReplicationController":
      return selectorFromSet(spec?.selector as Record<string, string> | undefined);
    case "ReplicaSet":
    case "Deployment":
    case "DaemonSet":
      return labelSelectorAsSelector(spec?.selector as LabelSelector | undefined);
    case "Service": {
      const selector = (object as Stored<Service>).spec?.selector;
      if (!selector || Object.keys(selector).length === 0) {
        throw new Error(`invalid service '${object.metadata.name}': Service is defined without a selector`);
      }
      return selectorFromSet(selector);
    }
    default:
      throw new Error(`selector for ${goType(object.kind)} not implemented`);
  }
}

/** A pod named directly, or the pods an object selects, with how many matched. */
export interface PodChoice {
  pod: Stored<Pod>;
  matched: number;
  /** Every matching pod, best first (for `logs --all-pods`). */
  all: Stored<Pod>[];
}

/**
 * Resolves `POD` or `TYPE/NAME` in the request namespace. For objects other than pods, the
 * matching pods are sorted for `purpose`. While none matches, virtual time runs on (a controller
 * may be creating one) up to `waitMs` (`--pod-running-timeout`), then `timed out waiting for the
 * condition`.
 */
export function podForObject(ctx: KubectlContext, arg: string, purpose: "exec" | "logs", waitMs = 0): PodChoice {
  const slash = arg.indexOf("/");
  if (slash < 0) {
    const pod = ctx.store.get<Pod>("Pod", ctx.namespace, arg);
    return { pod, matched: 1, all: [pod] };
  }
  const info = resourceOrThrow(arg.slice(0, slash));
  const object = ctx.store.get(info.kind, info.namespaced ? ctx.namespace : undefined, arg.slice(slash + 1));
  if (info.kind === "Pod") return { pod: object as Stored<Pod>, matched: 1, all: [object as Stored<Pod>] };
  let selector;
  try {
    selector = selectorFor(object);
  } catch (error) {
    const what = purpose === "exec" ? "cannot attach to" : "cannot get the logs from";
    throw new KubectlError(`${what} ${goType(object.kind)}: ${(error as Error).message}`);
  }
  const list = () => ctx.store.list<Pod>("Pod", { namespace: object.metadata.namespace, labelSelector: selector });
  const deadline = ctx.cluster.clock.now() + waitMs;
  let pods = list();
  while (pods.length === 0 && ctx.cluster.clock.now() < deadline) {
    ctx.cluster.advance(Math.min(1_000, deadline - ctx.cluster.clock.now()));
    pods = list();
  }
  if (pods.length === 0) throw new KubectlError("timed out waiting for the condition");
  const sorted = [...pods].sort(purpose === "exec" ? moreActive : betterForLogs);
  return { pod: sorted[0], matched: pods.length, all: sorted };
}
