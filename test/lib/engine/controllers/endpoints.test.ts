import { describe, expect, it } from "vitest";
import type { EndpointSlice, Endpoints, Pod, Service } from "@/lib/engine/api";
import { podsOf, testCluster, webSpec } from "./helpers";

type T = ReturnType<typeof testCluster>;

function setup(svc: Partial<Service["spec"]> = {}, replicas = 2): T {
  const t = testCluster();
  t.cluster.store.create({
    apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web" },
    spec: { replicas, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: webSpec() } },
  });
  t.cluster.store.create<Service>({ apiVersion: "v1", kind: "Service", metadata: { name: "web", labels: { tier: "front" } }, spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: "http" }], ...svc } });
  t.cluster.settle();
  return t;
}

const endpoints = (t: T) => t.cluster.store.get<Endpoints>("Endpoints", "default", "web");
const slices = (t: T) => t.cluster.store.list<EndpointSlice>("EndpointSlice", { namespace: "default", labelSelector: "kubernetes.io/service-name=web" });
const addresses = (list: { ip: string }[] | undefined) => (list ?? []).map((a) => a.ip);

function setReady(t: T, pod: Pod, ready: boolean): void {
  const name = pod.metadata.name;
  const previous = t.kubelet.notReady;
  t.kubelet.notReady = (p) => (p.metadata.name === name ? !ready : previous(p));
  t.kubelet.resync();
}

describe("endpoints-controller", () => {
  it("lists ready pods in addresses with targetRef and nodeName, resolving named target ports", () => {
    const t = setup();
    const pods = podsOf(t.cluster, "app=web");
    const ep = endpoints(t);
    expect(ep.metadata.labels).toEqual({ tier: "front" });
    expect(ep.metadata.annotations?.["endpoints.kubernetes.io/last-change-trigger-time"]).toBe(t.cluster.clock.rfc3339());
    const sorted = [...pods].sort((a, b) => (a.status!.podIP! < b.status!.podIP! ? -1 : 1));
    expect(ep.subsets).toEqual([
      {
        addresses: sorted.map((p) => ({
          ip: p.status!.podIP, nodeName: p.spec.nodeName,
          targetRef: { kind: "Pod", namespace: "default", name: p.metadata.name, uid: p.metadata.uid },
        })),
        ports: [{ port: 80, protocol: "TCP" }],
      },
    ]);
  });

  it("moves pods between addresses and notReadyAddresses as readiness changes", () => {
    const t = setup();
    const [a, b] = podsOf(t.cluster, "app=web");
    setReady(t, a, false);
    expect(addresses(endpoints(t).subsets?.[0].addresses)).toEqual([b.status!.podIP]);
    expect(addresses(endpoints(t).subsets?.[0].notReadyAddresses)).toEqual([a.status!.podIP]);
    setReady(t, a, true);
    expect(endpoints(t).subsets?.[0].notReadyAddresses).toBeUndefined();
  });

  it("publishes unready pods as ready with publishNotReadyAddresses", () => {
    const t = setup({ publishNotReadyAddresses: true });
    const [a] = podsOf(t.cluster, "app=web");
    setReady(t, a, false);
    expect(endpoints(t).subsets?.[0].addresses).toHaveLength(2);
    expect(slices(t)[0].endpoints?.find((e) => e.addresses[0] === a.status!.podIP)?.conditions).toEqual({ ready: true, serving: false, terminating: false });
  });

  it("leaves Services without a selector alone and deletes Endpoints with their Service", () => {
    const t = setup();
    t.cluster.store.create<Service>({ apiVersion: "v1", kind: "Service", metadata: { name: "external" }, spec: { ports: [{ port: 5432 }] } });
    t.cluster.settle();
    expect(t.cluster.store.find("Endpoints", "default", "external")).toBeUndefined();
    expect(t.cluster.store.get<Endpoints>("Endpoints", "default", "kubernetes").subsets?.[0].addresses).toEqual([{ ip: "172.30.1.2" }]);
    t.cluster.store.delete("Service", "default", "web");
    t.cluster.settle();
    expect(t.cluster.store.find("Endpoints", "default", "web")).toBeUndefined();
    expect(slices(t)).toEqual([]);
  });

  it("resolves a named targetPort per pod, grouping pods by the port they expose", () => {
    const t = testCluster();
    const pod = (name: string, ports: { name: string; containerPort: number }[]) =>
      t.cluster.store.create<Pod>({ apiVersion: "v1", kind: "Pod", metadata: { name, labels: { tier: "mixed" } }, spec: { containers: [{ name: "c", image: "nginx", ports }] } });
    pod("a", [{ name: "http", containerPort: 8080 }]);
    pod("b", [{ name: "http", containerPort: 9090 }]);
    pod("c", [{ name: "metrics", containerPort: 9100 }]);
    t.cluster.store.create<Service>({ apiVersion: "v1", kind: "Service", metadata: { name: "mixed" }, spec: { selector: { tier: "mixed" }, ports: [{ port: 80, targetPort: "http" }] } });
    t.cluster.settle();
    const ip = (n: string) => t.cluster.store.get<Pod>("Pod", "default", n).status!.podIP;
    const ep = t.cluster.store.get<Endpoints>("Endpoints", "default", "mixed");
    expect(ep.subsets?.map((s) => [addresses(s.addresses), s.ports?.[0].port])).toEqual(
      [[[ip("a")], 8080], [[ip("b")], 9090]].sort((x, y) => ((x[0] as string[])[0] < (y[0] as string[])[0] ? -1 : 1)),
    );
    const byPort = t.cluster.store.list<EndpointSlice>("EndpointSlice", { namespace: "default", labelSelector: "kubernetes.io/service-name=mixed" })
      .map((sl) => [sl.ports?.[0]?.port ?? null, sl.endpoints?.map((e) => e.targetRef?.name)])
      .sort((x, y) => Number(x[0]) - Number(y[0]));
    // A pod without the named port still gets a slice, one without ports, as upstream.
    expect(byPort).toEqual([[null, ["c"]], [8080, ["a"]], [9090, ["b"]]]);
  });
});

describe("endpointslice-controller", () => {
  it("writes one IPv4 slice with conditions, nodeName and targetRef, owned by the Service", () => {
    const t = setup();
    const [slice] = slices(t);
    const svc = t.cluster.store.get<Service>("Service", "default", "web");
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice.metadata.labels).toEqual({
      tier: "front", "kubernetes.io/service-name": "web", "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
    });
    expect(slice.metadata.ownerReferences).toEqual([{ apiVersion: "v1", kind: "Service", name: "web", uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(slice.addressType).toBe("IPv4");
    expect(slice.ports).toEqual([{ name: "", port: 80, protocol: "TCP" }]);
    const pods = podsOf(t.cluster, "app=web");
    expect(slice.endpoints).toEqual(pods.map((p) => ({
      addresses: [p.status!.podIP], conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: "Pod", namespace: "default", name: p.metadata.name, uid: p.metadata.uid }, nodeName: p.spec.nodeName,
    })));
  });

  it("marks terminating pods serving but not ready, and keeps slice names stable", () => {
    const t = setup();
    const name = slices(t)[0].metadata.name;
    const [a] = podsOf(t.cluster, "app=web");
    t.kubelet.running = () => false;
    t.cluster.store.delete("Pod", "default", a.metadata.name);
    t.cluster.settle();
    const [slice] = slices(t);
    expect(slice.metadata.name).toBe(name);
    expect(slice.endpoints?.find((e) => e.targetRef?.name === a.metadata.name)?.conditions).toEqual({ ready: false, serving: true, terminating: true });
    expect(endpoints(t).subsets?.flatMap((s) => addresses(s.addresses))).not.toContain(a.status!.podIP);
  });

  it("keeps an empty placeholder slice for a Service without endpoints", () => {
    const t = setup({}, 0);
    expect(slices(t).map((s) => [s.endpoints, s.ports])).toEqual([[null, null]]);
    expect(endpoints(t).subsets).toBeUndefined();
  });

  it("mirrors hand-written Endpoints of a selector-less Service", () => {
    const t = setup();
    t.cluster.store.create<Service>({ apiVersion: "v1", kind: "Service", metadata: { name: "db" }, spec: { ports: [{ name: "pg", port: 5432 }] } });
    t.cluster.store.create<Endpoints>({
      apiVersion: "v1", kind: "Endpoints", metadata: { name: "db" },
      subsets: [{ addresses: [{ ip: "192.168.1.10" }], notReadyAddresses: [{ ip: "192.168.1.11" }], ports: [{ name: "pg", port: 5432 }] }],
    });
    t.cluster.settle();
    const [slice] = t.cluster.store.list<EndpointSlice>("EndpointSlice", { namespace: "default", labelSelector: "kubernetes.io/service-name=db" });
    expect(slice.metadata.labels?.["endpointslice.kubernetes.io/managed-by"]).toBe("endpointslicemirroring-controller.k8s.io");
    expect(slice.metadata.ownerReferences?.[0]).toMatchObject({ kind: "Endpoints", name: "db" });
    expect(slice.endpoints).toEqual([
      { addresses: ["192.168.1.10"], conditions: { ready: true } },
      { addresses: ["192.168.1.11"], conditions: { ready: false } },
    ]);
    expect(slice.ports).toEqual([{ name: "pg", port: 5432, protocol: "TCP" }]);
    // The apiserver's own kubernetes Endpoints are not mirrored.
    expect(t.cluster.store.list("EndpointSlice", { namespace: "default", labelSelector: "kubernetes.io/service-name=kubernetes" })).toHaveLength(1);
  });
});
