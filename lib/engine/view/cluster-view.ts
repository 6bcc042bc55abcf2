/**
 * `clusterView(handle)`: what the diagram draws, read from the cluster's store and its latest
 * packet trace. Cells kubectl prints come from the kinds' own table printers (renderTable,
 * summarizePod), never re-derived here.
 *
 * @example
 * const cluster = createCluster({ scenario: "three-node-calico", seed: 7 });
 * const view = clusterView(cluster);
 * view.nodes.map((n) => `${n.name} ${n.status}`); // ["controlplane Ready", "node01 Ready", "node02 Ready"]
 */
import { nodeRoles, renderTable, summarizePod, type Cell, type EndpointSlice, type KubeObject, type Node, type Pod, type Service, type Stored } from "../api";
import type { Cluster } from "../cluster/cluster";
import type { PacketTrace } from "../cluster/traces";
import { fnv1a32 } from "../util/hash";
import type { ClusterView, EndpointView, NodeView, PodView, ServiceView, TraceView } from "./types";

/** The label EndpointSlices name their Service by (discovery.k8s.io/v1). */
const SERVICE_NAME_LABEL = "kubernetes.io/service-name";

/** The cluster handle's part the view reads (`createCluster(…)` is one). */
export interface ViewSource {
  readonly internals: Cluster;
}

export function clusterView(handle: ViewSource): ClusterView {
  const { store, clock, traces } = handle.internals;
  const now = clock.now();
  const body: Omit<ClusterView, "version"> = {
    nodes: store.list<Node>("Node").map((node) => nodeView(node, now)),
    pods: store.list<Pod>("Pod").map(podView),
    services: servicesView(store.list<Service>("Service"), store.list<EndpointSlice>("EndpointSlice"), now),
    trace: traces.latest ? traceView(traces.latest) : null,
  };
  const text = JSON.stringify(body);
  // FNV-1a with the length: two views that differ and collide on both are not worth a thought.
  return { version: `${fnv1a32(text).toString(16)}-${text.length.toString(16)}`, ...body };
}

/** The printer's cells of one object, by column name (wide columns included). */
function cells(kind: string, object: KubeObject, now: number): Map<string, Cell> {
  const table = renderTable(kind, [object], { now, wide: true });
  return new Map(table.columns.map((column, i) => [column.name, table.rows[0].cells[i]]));
}

const text = (cell: Cell | undefined) => (cell === null || cell === undefined ? "" : String(cell));

function nodeView(node: Stored<Node>, now: number): NodeView {
  const row = cells("Node", node, now);
  const ready = (node.status?.conditions ?? []).find((c) => c.type === "Ready");
  const internalIP = (node.status?.addresses ?? []).find((a) => a.type === "InternalIP")?.address ?? null;
  return {
    name: node.metadata.name,
    roles: nodeRoles(node),
    internalIP,
    status: text(row.get("Status")),
    ready: ready?.status === "True",
    podCIDR: node.spec?.podCIDR ?? null,
    unschedulable: node.spec?.unschedulable === true,
    taints: (node.spec?.taints ?? []).map((t) => (t.value ? { key: t.key, value: t.value, effect: t.effect } : { key: t.key, effect: t.effect })),
  };
}

function podView(pod: Stored<Pod>): PodView {
  const summary = summarizePod(pod);
  const labels = pod.metadata.labels ?? {};
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller) ?? null;
  return {
    namespace: pod.metadata.namespace ?? "default",
    name: pod.metadata.name,
    node: pod.spec.nodeName || null,
    ip: pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || null,
    phase: pod.status?.phase ?? "Pending",
    ready: `${summary.ready}/${summary.total}`,
    status: summary.reason,
    restarts: summary.restarts,
    isReady: (pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
    hostNetwork: pod.spec.hostNetwork === true,
    owner: owner ? { kind: owner.kind, name: owner.name } : null,
    app: labels["app"] ?? labels["app.kubernetes.io/name"] ?? labels["k8s-app"] ?? null,
  };
}

function servicesView(services: readonly Stored<Service>[], slices: readonly Stored<EndpointSlice>[], now: number): ServiceView[] {
  const slicesOf = new Map<string, Stored<EndpointSlice>[]>();
  for (const slice of slices) {
    const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!service) continue;
    const key = `${slice.metadata.namespace}/${service}`;
    slicesOf.set(key, [...(slicesOf.get(key) ?? []), slice]);
  }
  return services.map((service) => {
    const row = cells("Service", service, now);
    const namespace = service.metadata.namespace ?? "default";
    return {
      namespace,
      name: service.metadata.name,
      type: text(row.get("Type")),
      clusterIP: text(row.get("Cluster-IP")),
      externalIP: text(row.get("External-IP")),
      ports: text(row.get("Port(s)")),
      endpoints: (slicesOf.get(`${namespace}/${service.metadata.name}`) ?? []).flatMap(endpointsOf),
    };
  });
}

/** One entry per address: a slice endpoint with several addresses is one pod with several IPs. */
function endpointsOf(slice: EndpointSlice): EndpointView[] {
  return (slice.endpoints ?? []).flatMap((endpoint) => {
    const conditions = endpoint.conditions ?? {};
    // EndpointSlice API: a nil `ready` means ready, nil `serving` follows ready, nil `terminating` is false.
    const ready = conditions.ready ?? true;
    const ref = endpoint.targetRef;
    return endpoint.addresses.map((address) => ({
      address,
      ready,
      serving: conditions.serving ?? ready,
      terminating: conditions.terminating ?? false,
      pod: ref?.kind === "Pod" && ref.name ? { namespace: ref.namespace ?? slice.metadata.namespace ?? "default", name: ref.name } : null,
      node: endpoint.nodeName ?? null,
    }));
  });
}

function traceView(trace: PacketTrace): TraceView {
  return {
    seq: trace.seq,
    protocol: trace.protocol,
    target: { ...trace.target },
    outcome: trace.outcome,
    hops: trace.hops.map((hop) => ({ kind: hop.kind, node: hop.node, address: hop.address, pod: hop.pod ? { ...hop.pod } : null, detail: hop.detail })),
  };
}
