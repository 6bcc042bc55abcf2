/**
 * What the endpoints and endpointslice controllers share (`pkg/controller/util/endpoint` and
 * `endpointslice/util`): which pods back a Service, resolving named target ports per pod, the
 * pod-to-Service watch mapping, and the `endpoints.kubernetes.io/last-change-trigger-time`
 * tracker.
 *
 * @example
 * findPort(pod, { port: 80, targetPort: "http", protocol: "TCP" }); // 8080 if the pod names 8080 "http"
 */
import type { Pod, Service, ServicePort, Stored, WatchEvent } from "../api";
import { equalPlain } from "../util/plain";
import { namespaceKey } from "./common/keys";
import { isPodReady, isPodTerminal, parseTime, podCondition } from "./common/pods";

export const TRIGGER_TIME_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time";
export const HEADLESS_LABEL = "service.kubernetes.io/headless";

/** `ShouldPodBeInEndpoints`: not finished, has an IP, and (unless included) not terminating. */
export function shouldPodBeInEndpoints(pod: Stored<Pod>, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP && (pod.status?.podIPs ?? []).length === 0) return false;
  return includeTerminating || !pod.metadata.deletionTimestamp;
}

/** The pod's IPv4 address (clusters here are single-stack). */
export function podIPv4(pod: Stored<Pod>): string | undefined {
  return [pod.status?.podIP, ...(pod.status?.podIPs ?? []).map((p) => p.ip)].find((ip) => ip !== undefined && !ip.includes(":"));
}

/** `FindPort`: a numeric targetPort as is, a named one looked up in the pod's containers. */
export function findPort(pod: Stored<Pod>, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === "number") return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = port.protocol ?? "TCP";
  const containers = [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === "Always")];
  for (const c of containers) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? "TCP") === protocol) return p.containerPort;
  }
  return undefined;
}

/** `ShouldSetHostname`: the pod names this Service as its subdomain. */
export function shouldSetHostname(pod: Stored<Pod>, svc: Stored<Service>): boolean {
  return Boolean(pod.spec.hostname) && pod.spec.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace;
}

/** The Service's selector, or undefined when it has none (such Services are left alone). */
export function serviceSelector(svc: Stored<Service>): Record<string, string> | undefined {
  const sel = svc.spec.selector;
  return sel && Object.keys(sel).length > 0 ? sel : undefined;
}

/** A pod change that can change endpoints (`podEndpointsChanged`) maps to its namespace's Services. */
export function podToServiceKeys(event: WatchEvent): readonly string[] {
  const view = (o: Stored) => {
    const p = o as Stored<Pod>;
    return [
      p.metadata.labels, Boolean(p.metadata.deletionTimestamp), p.status?.podIP, p.status?.podIPs, isPodReady(p), isPodTerminal(p),
      p.spec.nodeName, p.spec.hostname, p.spec.subdomain, podCondition(p, "Ready")?.lastTransitionTime,
    ];
  };
  if (event.type === "MODIFIED" && equalPlain(view(event.object), view(event.old))) return [];
  return [namespaceKey(event.object.metadata.namespace)];
}

/**
 * `TriggerTimeTracker`: per Service, when the change that this sync publishes happened — the
 * earliest pod Ready transition (or Service creation) that changed since the last sync, the
 * Service's creation for a Service seen for the first time, nothing when no trigger changed.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, { pods: Map<string, number>; service: number }>();

  compute(svc: Stored<Service>, pods: readonly Stored<Pod>[]): number | undefined {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const state = this.states.get(key);
    const serviceTime = parseTime(svc.metadata.creationTimestamp) ?? 0;
    let min: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = parseTime(podCondition(pod, "Ready")?.lastTransitionTime);
      if (t === undefined) continue;
      podTimes.set(pod.metadata.name, t);
      if (t > (state?.pods.get(pod.metadata.name) ?? -Infinity)) min = Math.min(min ?? t, t);
    }
    if (serviceTime > (state?.service ?? -Infinity)) min = Math.min(min ?? serviceTime, serviceTime);
    this.states.set(key, { pods: podTimes, service: serviceTime });
    return state ? min : serviceTime;
  }

  forget(namespace: string | undefined, name: string): void {
    this.states.delete(`${namespace}/${name}`);
  }
}
