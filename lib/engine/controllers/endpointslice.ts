/**
 * The EndpointSlice controller (`endpointslice-controller`, `pkg/controller/endpointslice`):
 * for each Service with a selector, IPv4 slices named `<service>-xxxxx` labelled
 * `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by`, owned by the
 * Service, holding one endpoint per selected pod with ready/serving/terminating conditions,
 * nodeName, targetRef and (when the node has one) zone. Pods whose named ports resolve
 * differently land in separate slices; at most 100 endpoints per slice; a Service with no
 * endpoints keeps one empty placeholder slice. Existing endpoints stay in their slices.
 *
 * @example
 * cluster.register(endpointSliceController());
 * // kubectl get endpointslices → web-7xkcn   IPv4   80   10.244.1.2,10.244.2.2   5s
 */
import {
  ApiError, type EndpointSlice, type EndpointSliceEndpoint, type Node, type Pod, type Service, type Stored, selectorFromSet,
} from "../api";
import { type Controller, type ControllerContext, selfKey, defineWatches } from "../cluster/controller";
import { equalPlain } from "../util/plain";
import { forEachKey } from "./common/keys";
import { isPodReady, newControllerRef } from "./common/pods";
import {
  HEADLESS_LABEL, TRIGGER_TIME_ANNOTATION, TriggerTimeTracker, findPort, podIPv4, podToServiceKeys, serviceSelector, shouldPodBeInEndpoints,
  shouldSetHostname,
} from "./endpoint-utils";

export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
export const MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
const MANAGED_BY = "endpointslice-controller.k8s.io";
const MAX_ENDPOINTS_PER_SLICE = 100;

type SlicePort = NonNullable<EndpointSlice["ports"]>[number];

/** `podToEndpoint`. */
function podToEndpoint(pod: Stored<Pod>, ip: string, svc: Stored<Service>, node: Stored<Node> | undefined): EndpointSliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = Boolean(pod.metadata.deletionTimestamp);
  // "ready" is never true for a terminating pod, unless the Service publishes unready addresses.
  const ready = svc.spec.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: EndpointSliceEndpoint = { addresses: [ip], conditions: { ready, serving, terminating } };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname;
  ep.targetRef = { kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  if (pod.spec.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.["topology.kubernetes.io/zone"];
  if (zone) ep.zone = zone;
  return ep;
}

/** `endpointHash`: the identity of an endpoint across syncs. */
function endpointKey(ep: EndpointSliceEndpoint): string {
  return JSON.stringify([[...ep.addresses].sort(), ep.hostname ?? "", ep.targetRef?.namespace ?? "", ep.targetRef?.name ?? ""]);
}

function portsKey(ports: readonly SlicePort[] | null | undefined): string {
  return JSON.stringify([...(ports ?? [])].map((p) => [p.name ?? "", p.port, p.protocol ?? "", p.appProtocol ?? ""]).sort());
}

/** Desired endpoints grouped by the ports they resolve to (`desiredEndpointsByPortMap`). */
function desiredByPorts(ctx: ControllerContext, svc: Stored<Service>, pods: readonly Stored<Pod>[]): Map<string, { ports: SlicePort[]; endpoints: EndpointSliceEndpoint[] }> {
  const groups = new Map<string, { ports: SlicePort[]; endpoints: EndpointSliceEndpoint[] }>();
  for (const pod of pods) {
    const ip = podIPv4(pod);
    if (!shouldPodBeInEndpoints(pod, true) || !ip) continue;
    const ports: SlicePort[] = [];
    for (const sp of svc.spec.ports ?? []) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const p: SlicePort = { name: sp.name ?? "", port, protocol: sp.protocol ?? "TCP" };
      if (sp.appProtocol) p.appProtocol = sp.appProtocol;
      ports.push(p);
    }
    const node = pod.spec.nodeName ? ctx.store.find<Node>("Node", undefined, pod.spec.nodeName) : undefined;
    const key = portsKey(ports);
    const group = groups.get(key) ?? { ports, endpoints: [] };
    groups.set(key, group);
    group.endpoints.push(podToEndpoint(pod, ip, svc, node));
  }
  return groups;
}

/** `setEndpointSliceLabels`: the Service's labels plus the controller's own. */
function sliceLabels(svc: Stored<Service>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL) labels[k] = v;
  if (svc.spec.clusterIP === "None") labels[HEADLESS_LABEL] = "";
  labels[SERVICE_NAME_LABEL] = svc.metadata.name;
  labels[MANAGED_BY_LABEL] = MANAGED_BY;
  return labels;
}

/** A fresh EndpointSlice controller for one cluster (it tracks trigger times). */
export function endpointSliceController(): Controller {
  return new EndpointSliceController();
}

const WATCHES = defineWatches(
  { kind: "Service", keys: selfKey },
  { kind: "Pod", keys: podToServiceKeys },
  {
    kind: "EndpointSlice",
    // A managed slice changed or deleted by someone else is put back.
    keys: (e) => {
      const svc = e.object.metadata.labels?.[SERVICE_NAME_LABEL];
      return svc && e.object.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY && e.type === "DELETED" ? [`${e.object.metadata.namespace}/${svc}`] : [];
    },
  },
);

class EndpointSliceController implements Controller {
  readonly name = "endpointslice-controller";
  readonly watches = WATCHES;
  private readonly tracker = new TriggerTimeTracker();

  reconcile(key: string, ctx: ControllerContext): void {
    forEachKey<Stored<Service>>(ctx, "Service", key, (svc) => this.sync(ctx, svc), (namespace, name) => this.tracker.forget(namespace, name));
  }

  private sync(ctx: ControllerContext, svc: Stored<Service>): void {
    const selector = serviceSelector(svc);
    if (svc.spec.type === "ExternalName" || !selector) return;
    const namespace = svc.metadata.namespace!;
    const pods = ctx.store.list<Pod>("Pod", { namespace, labelSelector: selectorFromSet(selector) });
    const trigger = this.tracker.compute(svc, pods);
    const labels = sliceLabels(svc);
    const existing = ctx.store
      .list<EndpointSlice>("EndpointSlice", { namespace, labelSelector: `${SERVICE_NAME_LABEL}=${svc.metadata.name},${MANAGED_BY_LABEL}=${MANAGED_BY}` });
    const desired = desiredByPorts(ctx, svc, pods);
    const writes: EndpointSlice[] = [];
    const creates: EndpointSlice[] = [];
    const deletes: Stored<EndpointSlice>[] = [];
    const stamp = (slice: EndpointSlice) => {
      const annotations = { ...slice.metadata.annotations };
      if (trigger !== undefined) annotations[TRIGGER_TIME_ANNOTATION] = ctx.clock.rfc3339(trigger);
      if (Object.keys(annotations).length > 0) slice.metadata.annotations = annotations;
      return slice;
    };
    const newSlice = (ports: SlicePort[] | null, endpoints: EndpointSliceEndpoint[] | null): EndpointSlice => ({
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { generateName: `${svc.metadata.name}-`, namespace, labels: { ...labels }, ownerReferences: [newControllerRef(svc)] },
      addressType: "IPv4",
      endpoints,
      ports,
    } as EndpointSlice);
    for (const slice of existing) {
      const group = slice.addressType === "IPv4" ? desired.get(portsKey(slice.ports)) : undefined;
      if (!group) {
        deletes.push(slice);
        continue;
      }
      const byKey = new Map(group.endpoints.map((e) => [endpointKey(e), e]));
      const kept = (slice.endpoints ?? []).map((e) => byKey.get(endpointKey(e))).filter((e): e is EndpointSliceEndpoint => e !== undefined);
      if (kept.length === 0) {
        deletes.push(slice);
        continue;
      }
      const keptKeys = new Set(kept.map(endpointKey));
      group.endpoints = group.endpoints.filter((e) => !keptKeys.has(endpointKey(e)));
      const next = { ...slice, metadata: { ...slice.metadata, labels: { ...labels } }, endpoints: kept } as EndpointSlice;
      writes.push(next);
    }
    for (const group of desired.values()) {
      // New endpoints fill slices with room for these ports first, then new slices.
      for (const slice of writes) {
        if (group.endpoints.length === 0) break;
        if (portsKey(slice.ports) !== portsKey(group.ports)) continue;
        const room = MAX_ENDPOINTS_PER_SLICE - (slice.endpoints ?? []).length;
        slice.endpoints = [...(slice.endpoints ?? []), ...group.endpoints.splice(0, Math.max(0, room))];
      }
      // An empty port list is stored as null, as protobuf round-trips it upstream.
      while (group.endpoints.length > 0) creates.push(newSlice(group.ports.length > 0 ? group.ports : null, group.endpoints.splice(0, MAX_ENDPOINTS_PER_SLICE)));
    }
    if (writes.length === 0 && creates.length === 0) {
      // A Service without endpoints keeps one placeholder slice; an existing one is reused.
      const placeholder = deletes.find((s) => (s.endpoints ?? []).length === 0 && (s.ports ?? []).length === 0);
      if (placeholder) {
        deletes.splice(deletes.indexOf(placeholder), 1);
        writes.push({ ...placeholder, metadata: { ...placeholder.metadata, labels: { ...labels } } } as EndpointSlice);
      } else creates.push(newSlice(null, null));
    }
    try {
      for (const slice of writes) {
        const current = existing.find((s) => s.metadata.name === slice.metadata.name)!;
        if (!equalPlain({ ...current, metadata: { ...current.metadata, annotations: undefined } }, { ...slice, metadata: { ...slice.metadata, annotations: undefined } })) {
          ctx.store.update(stamp(slice));
        }
      }
      for (const slice of creates) ctx.store.create(stamp(slice));
      for (const slice of deletes) ctx.store.delete("EndpointSlice", namespace, slice.metadata.name);
    } catch (e) {
      // A slice changed or vanished under us, or the namespace is going: the next sync settles it.
      if (!(e instanceof ApiError)) throw e;
    }
  }
}
