/**
 * What a fresh apiserver creates on its own before any controller runs: the `default`,
 * `kube-node-lease`, `kube-public` and `kube-system` namespaces, and the `kubernetes` Service
 * on the first address of the service CIDR (10.96.0.1) with its Endpoints and EndpointSlice
 * pointing at the apiserver.
 *
 * @example
 * bootstrapAPIServer(store, { address: "172.18.0.2" });
 * store.get("Service", "default", "kubernetes").spec.clusterIP; // "10.96.0.1"
 */
import { formatIPv4, parseCIDRv4 } from "./validation/strings";
import type { ObjectStore } from "./store/store";

/** Where the apiserver listens (the control-plane node's address). */
export interface APIServerEndpoint {
  address: string;
  port?: number;
  /** The store's service CIDR, if not the default. */
  serviceCIDR?: string;
}

/** Creates the objects a fresh apiserver makes for itself; idempotent for the namespaces. */
export function bootstrapAPIServer(store: ObjectStore, endpoint: APIServerEndpoint): void {
  for (const name of ["default", "kube-node-lease", "kube-public", "kube-system"]) {
    if (!store.find("Namespace", undefined, name)) store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  }
  const cidr = parseCIDRv4(endpoint.serviceCIDR ?? "10.96.0.0/12");
  if (!cidr) throw new Error(`invalid service CIDR ${endpoint.serviceCIDR}`);
  const port = endpoint.port ?? 6443;
  const meta = { name: "kubernetes", namespace: "default" };
  store.create({
    apiVersion: "v1",
    kind: "Service",
    metadata: { ...meta, labels: { component: "apiserver", provider: "kubernetes" } },
    spec: {
      clusterIP: formatIPv4(cidr.base + 1),
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: port }],
      sessionAffinity: "None",
      type: "ClusterIP",
    },
  });
  store.create({
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: { ...meta, labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } },
    subsets: [{ addresses: [{ ip: endpoint.address }], ports: [{ name: "https", port, protocol: "TCP" }] }],
  });
  store.create({
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { ...meta, labels: { "kubernetes.io/service-name": "kubernetes" } },
    addressType: "IPv4",
    endpoints: [{ addresses: [endpoint.address], conditions: { ready: true } }],
    ports: [{ name: "https", port, protocol: "TCP" }],
  });
}
