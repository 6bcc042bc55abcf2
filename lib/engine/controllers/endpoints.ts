/**
 * The endpoints controller (`endpoints-controller`, `pkg/controller/endpoint`): for each
 * Service with a selector, an Endpoints object of the same name listing the selected pods —
 * ready ones in `addresses`, others in `notReadyAddresses` (all ready with
 * publishNotReadyAddresses) — with targetRef and nodeName, ports resolved per pod and subsets
 * repacked by port set. Services without a selector (such as `kubernetes`) are left alone;
 * ExternalName Services get none. Subsets and ports are ordered by address and name, where
 * upstream orders them by an internal hash.
 *
 * @example
 * cluster.register(endpointsController());
 * // kubectl get ep web → web   10.244.1.2:80,10.244.2.2:80   5s
 */
import {
  ApiError, type EndpointAddress, type EndpointPort, type EndpointSubset, type Endpoints, type Pod, type Service, type Stored,
  selectorFromSet,
} from "../api";
import { type Controller, type ControllerContext, selfKey, defineWatches } from "../cluster/controller";
import { equalPlain } from "../util/plain";
import { forEachKey } from "./common/keys";
import { isPodReady } from "./common/pods";
import {
  HEADLESS_LABEL, TRIGGER_TIME_ANNOTATION, TriggerTimeTracker, findPort, podIPv4, podToServiceKeys, serviceSelector, shouldPodBeInEndpoints,
  shouldSetHostname,
} from "./endpoint-utils";

interface Entry {
  address: EndpointAddress;
  ready: boolean;
  port?: EndpointPort;
}

/** Numeric IPv4 order, as `bytes.Compare` on parsed addresses. */
function ipValue(ip: string): number {
  return ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

function addressOrder(a: EndpointAddress, b: EndpointAddress): number {
  return ipValue(a.ip) - ipValue(b.ip) || ((a.targetRef?.uid ?? "") < (b.targetRef?.uid ?? "") ? -1 : (a.targetRef?.uid ?? "") > (b.targetRef?.uid ?? "") ? 1 : 0);
}

/** `RepackSubsets`: one subset per distinct set of addresses, carrying every port they share. */
function repackSubsets(entries: readonly Entry[]): EndpointSubset[] {
  const addresses = new Map<string, EndpointAddress>();
  const byPort = new Map<string, { port?: EndpointPort; ready: Map<string, boolean> }>();
  for (const e of entries) {
    const key = `${e.address.ip}/${e.address.targetRef?.uid ?? ""}`;
    if (!addresses.has(key)) addresses.set(key, e.address);
    const portKey = e.port ? JSON.stringify([e.port.name ?? "", e.port.port, e.port.protocol ?? "", e.port.appProtocol ?? ""]) : "";
    const slot = byPort.get(portKey) ?? { port: e.port, ready: new Map<string, boolean>() };
    byPort.set(portKey, slot);
    // An address ready on some entry for this port stays ready.
    slot.ready.set(key, slot.ready.get(key) === true || e.ready);
  }
  const groups = new Map<string, { ready: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const slot of byPort.values()) {
    const signature = JSON.stringify([...slot.ready].sort());
    const group = groups.get(signature) ?? { ready: slot.ready, ports: [] };
    groups.set(signature, group);
    if (slot.port) group.ports.push(slot.port);
  }
  const subsets = [...groups.values()].map((g) => {
    const subset: EndpointSubset = {};
    const ready = [...g.ready].filter(([, r]) => r).map(([k]) => addresses.get(k)!).sort(addressOrder);
    const notReady = [...g.ready].filter(([, r]) => !r).map(([k]) => addresses.get(k)!).sort(addressOrder);
    if (ready.length > 0) subset.addresses = ready;
    if (notReady.length > 0) subset.notReadyAddresses = notReady;
    if (g.ports.length > 0) subset.ports = g.ports.sort((a, b) => (a.name ?? "").localeCompare(b.name ?? "") || a.port - b.port);
    return subset;
  });
  const first = (s: EndpointSubset) => (s.addresses ?? s.notReadyAddresses ?? [])[0];
  return subsets.sort((a, b) => addressOrder(first(a), first(b)));
}

/** The subsets for a Service from the pods it selects. */
function desiredSubsets(svc: Stored<Service>, pods: readonly Stored<Pod>[]): EndpointSubset[] {
  const tolerateUnready = svc.spec.publishNotReadyAddresses === true;
  const entries: Entry[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const ip = podIPv4(pod);
    if (!ip) continue;
    const address: EndpointAddress = { ip };
    if (shouldSetHostname(pod, svc)) address.hostname = pod.spec.hostname;
    if (pod.spec.nodeName) address.nodeName = pod.spec.nodeName;
    address.targetRef = { kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
    const ready = tolerateUnready || isPodReady(pod);
    const ports = svc.spec.ports ?? [];
    // A headless Service may have no ports: its addresses are listed without any.
    if (ports.length === 0) {
      if (svc.spec.clusterIP === "None") entries.push({ address, ready });
      continue;
    }
    for (const sp of ports) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const ep: EndpointPort = { port, protocol: sp.protocol ?? "TCP" };
      if (sp.name) ep.name = sp.name;
      if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
      entries.push({ address, ready, port: ep });
    }
  }
  return repackSubsets(entries);
}

/** A fresh endpoints controller for one cluster (it tracks trigger times). */
export function endpointsController(): Controller {
  return new EndpointsController();
}

const WATCHES = defineWatches(
  { kind: "Service", keys: selfKey },
  { kind: "Pod", keys: podToServiceKeys },
  // Endpoints deleted by hand come back.
  { kind: "Endpoints", keys: (e) => (e.type === "DELETED" ? selfKey(e) : []) },
);

class EndpointsController implements Controller {
  readonly name = "endpoints-controller";
  readonly watches = WATCHES;
  private readonly tracker = new TriggerTimeTracker();

  reconcile(key: string, ctx: ControllerContext): void {
    forEachKey<Stored<Service>>(ctx, "Service", key, (svc) => this.sync(ctx, svc), (namespace, name) => {
      this.tracker.forget(namespace, name);
      if (ctx.store.find("Endpoints", namespace, name)) {
        try {
          ctx.store.delete("Endpoints", namespace, name);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
        }
      }
    });
  }

  private sync(ctx: ControllerContext, svc: Stored<Service>): void {
    const selector = serviceSelector(svc);
    if (svc.spec.type === "ExternalName" || !selector) return;
    const namespace = svc.metadata.namespace!;
    const pods = ctx.store.list<Pod>("Pod", { namespace, labelSelector: selectorFromSet(selector) });
    const trigger = this.tracker.compute(svc, pods);
    const subsets = desiredSubsets(svc, pods);
    const labels: Record<string, string> = { ...svc.metadata.labels };
    if (svc.spec.clusterIP === "None") labels[HEADLESS_LABEL] = "";
    const current = ctx.store.find<Endpoints>("Endpoints", namespace, svc.metadata.name);
    if (current && equalPlain(current.subsets ?? [], subsets) && equalPlain(current.metadata.labels ?? {}, labels)) return;
    const annotations: Record<string, string> = { ...current?.metadata.annotations };
    if (trigger !== undefined) annotations[TRIGGER_TIME_ANNOTATION] = ctx.clock.rfc3339(trigger);
    else delete annotations[TRIGGER_TIME_ANNOTATION];
    const next: Endpoints = {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { ...current?.metadata, name: svc.metadata.name, namespace, labels, annotations },
    };
    if (Object.keys(annotations).length === 0) delete next.metadata.annotations;
    if (Object.keys(labels).length === 0) delete next.metadata.labels;
    if (subsets.length > 0) next.subsets = subsets;
    try {
      if (current) ctx.store.update(next);
      else ctx.store.create(next);
    } catch (e) {
      // The Service's namespace is going away, or someone else wrote first: the next sync settles it.
      if (!(e instanceof ApiError)) throw e;
    }
  }
}
