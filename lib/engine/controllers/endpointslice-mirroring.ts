/**
 * The EndpointSlice mirroring controller (`endpointslice-mirroring-controller`): Endpoints
 * written by hand for a Service without a selector are mirrored into EndpointSlices (one per
 * distinct port set, owned by the Endpoints, managed by
 * `endpointslicemirroring-controller.k8s.io`), so kube-proxy, which reads only slices, routes
 * to them. Endpoints labelled `endpointslice.kubernetes.io/skip-mirror: "true"` (the
 * apiserver's own `kubernetes` Endpoints) are not mirrored.
 *
 * @example
 * cluster.register(endpointSliceMirroringController());
 * store.create(service without selector); store.create(endpoints "db" → 192.168.1.10:5432);
 * // EndpointSlice db-xxxxx with endpoint 192.168.1.10 (ready) and port 5432
 */
import { ApiError, type EndpointSlice, type EndpointSliceEndpoint, type Endpoints, type Service, type Stored } from "../api";
import { type Controller, type ControllerContext, selfKey, splitKey } from "../cluster/controller";
import { equalPlain } from "../util/plain";
import { newControllerRef } from "./common/pods";
import { TRIGGER_TIME_ANNOTATION, serviceSelector } from "./endpoint-utils";
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from "./endpointslice";

const MANAGED_BY = "endpointslicemirroring-controller.k8s.io";
const SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror";
const MAX_ENDPOINTS_PER_SLICE = 100;

type SlicePort = NonNullable<EndpointSlice["ports"]>[number];

/** The slices an Endpoints object mirrors into, keyed by their port set. */
function desiredSlices(ep: Stored<Endpoints>): Map<string, { ports: SlicePort[]; endpoints: EndpointSliceEndpoint[] }> {
  const out = new Map<string, { ports: SlicePort[]; endpoints: EndpointSliceEndpoint[] }>();
  for (const subset of ep.subsets ?? []) {
    const ports: SlicePort[] = (subset.ports ?? []).map((p) => {
      const sp: SlicePort = { name: p.name ?? "", port: p.port, protocol: p.protocol ?? "TCP" };
      if (p.appProtocol) sp.appProtocol = p.appProtocol;
      return sp;
    });
    const key = JSON.stringify(ports.map((p) => [p.name, p.port, p.protocol, p.appProtocol ?? ""]).sort());
    const group = out.get(key) ?? { ports, endpoints: [] };
    out.set(key, group);
    const add = (ready: boolean) => (a: NonNullable<typeof subset.addresses>[number]) => {
      // Slices are IPv4 here; other families are not mirrored.
      if (a.ip.includes(":")) return;
      const e: EndpointSliceEndpoint = { addresses: [a.ip], conditions: { ready } };
      if (a.hostname) e.hostname = a.hostname;
      if (a.targetRef) e.targetRef = a.targetRef;
      if (a.nodeName) e.nodeName = a.nodeName;
      group.endpoints.push(e);
    };
    (subset.addresses ?? []).forEach(add(true));
    (subset.notReadyAddresses ?? []).forEach(add(false));
  }
  return out;
}

function sync(ctx: ControllerContext, namespace: string | undefined, name: string): void {
  const ep = ctx.store.find<Endpoints>("Endpoints", namespace, name);
  const svc = ctx.store.find<Service>("Service", namespace, name);
  const existing = ctx.store.list<EndpointSlice>("EndpointSlice", { namespace, labelSelector: `${SERVICE_NAME_LABEL}=${name},${MANAGED_BY_LABEL}=${MANAGED_BY}` });
  const mirror = ep && svc && !serviceSelector(svc) && ep.metadata.labels?.[SKIP_MIRROR] !== "true";
  const desired = mirror ? desiredSlices(ep) : new Map();
  const labels: Record<string, string> = { ...ep?.metadata.labels, [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY };
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(ep?.metadata.annotations ?? {})) {
    if (k !== TRIGGER_TIME_ANNOTATION && k !== "kubectl.kubernetes.io/last-applied-configuration") annotations[k] = v;
  }
  const meta = Object.keys(annotations).length > 0 ? { labels, annotations } : { labels };
  const wanted: EndpointSlice[] = [];
  for (const group of desired.values()) {
    for (let i = 0; i < group.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
      wanted.push({
        apiVersion: "discovery.k8s.io/v1",
        kind: "EndpointSlice",
        metadata: { generateName: `${name}-`, namespace, ...meta, ownerReferences: [newControllerRef(ep!)] },
        addressType: "IPv4",
        endpoints: group.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE),
        ports: group.ports,
      });
    }
  }
  try {
    // Reuse existing slices in order; extra ones go, missing ones are created.
    existing.forEach((slice, i) => {
      const want = wanted[i];
      if (!want) {
        ctx.store.delete("EndpointSlice", namespace, slice.metadata.name);
        return;
      }
      const next = { ...slice, metadata: { ...slice.metadata, ...meta }, endpoints: want.endpoints, ports: want.ports };
      if (!equalPlain(next, slice)) ctx.store.update(next);
    });
    for (const want of wanted.slice(existing.length)) ctx.store.create(want);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
}

/** A fresh mirroring controller. Keys are `namespace/name` of the Endpoints (= the Service). */
export function endpointSliceMirroringController(): Controller {
  return {
    name: "endpointslice-mirroring-controller",
    watches: [
      { kind: "Endpoints", keys: selfKey },
      { kind: "Service", keys: selfKey },
      {
        kind: "EndpointSlice",
        keys: (e) => {
          const svc = e.object.metadata.labels?.[SERVICE_NAME_LABEL];
          return svc && e.object.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY && e.type === "DELETED" ? [`${e.object.metadata.namespace}/${svc}`] : [];
        },
      },
    ],
    reconcile(key, ctx) {
      const { namespace, name } = splitKey(key);
      sync(ctx, namespace, name);
    },
  };
}
