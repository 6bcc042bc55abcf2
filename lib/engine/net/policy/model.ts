/**
 * What NetworkPolicy decisions read from the API objects: each pod as a policy endpoint (its
 * labels, address, node, named container ports) and each namespace's labels. The dataplane
 * (Felix) and the learner aid (`netlab explain`) build their view here, so both see the same.
 *
 * @example
 * const view = policyView(store);
 * view.namespaceLabels.get("x"); // { "kubernetes.io/metadata.name": "x", ns: "x" }
 * podEndpoint(pod);              // { kind: "pod", namespace: "x", name: "a", ip: "192.168.…", … }
 */
import type { Namespace, NetworkPolicy, ObjectStore, Pod, Stored } from "../../api";
import type { PolicyEndpoint } from "./decide";

export type PodEndpoint = Extract<PolicyEndpoint, { kind: "pod" }>;

export interface PolicyView {
  policies: Stored<NetworkPolicy>[];
  namespaceLabels: Map<string, Readonly<Record<string, string>>>;
}

export function policyView(store: ObjectStore): PolicyView {
  const namespaceLabels = new Map<string, Readonly<Record<string, string>>>();
  for (const ns of store.list<Namespace>("Namespace")) namespaceLabels.set(ns.metadata.name, ns.metadata.labels ?? {});
  return { policies: store.list<NetworkPolicy>("NetworkPolicy"), namespaceLabels };
}

/** A pod as policies see it; `ip` defaults to the pod's status address. */
export function podEndpoint(pod: Stored<Pod>, ip = pod.status?.podIP ?? ""): PodEndpoint {
  const namedPorts = pod.spec.containers.flatMap((c) => (c.ports ?? []).filter((p) => p.name).map((p) => ({ name: p.name!, port: p.containerPort, protocol: p.protocol ?? "TCP" })));
  return {
    kind: "pod",
    namespace: pod.metadata.namespace ?? "default",
    name: pod.metadata.name,
    labels: pod.metadata.labels ?? {},
    ip,
    node: pod.spec.nodeName ?? "",
    hostNetwork: pod.spec.hostNetwork === true,
    namedPorts,
  };
}
