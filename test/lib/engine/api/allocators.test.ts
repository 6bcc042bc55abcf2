import { describe, expect, it } from "vitest";
import { ClusterIPAllocator, NodePortAllocator, type Service, type Stored } from "@/lib/engine/api";
import { Rng } from "@/lib/engine/util/rng";
import { parseIPv4 } from "@/lib/engine/api/validation/strings";
import { errorText, newCluster } from "./helpers";

const svc = (name: string, spec: Record<string, unknown>): Service => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name },
  spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec },
}) as Service;

describe("ClusterIPAllocator", () => {
  it("picks from the dynamic band, reproducibly for a seed", () => {
    const a = new ClusterIPAllocator(new Rng(3));
    const b = new ClusterIPAllocator(new Rng(3));
    const picks = Array.from({ length: 20 }, () => a.allocateNext());
    expect(Array.from({ length: 20 }, () => b.allocateNext())).toEqual(picks);
    for (const ip of picks) {
      const n = parseIPv4(ip)!;
      // Above the 256-address static band, inside 10.96.0.0/12 minus network and broadcast.
      expect(n).toBeGreaterThanOrEqual(parseIPv4("10.96.1.1")!);
      expect(n).toBeLessThanOrEqual(parseIPv4("10.111.255.254")!);
    }
    expect(new Set(picks).size).toBe(20);
  });

  const errors: [string, string, string][] = [
    ["taken", "10.96.0.10", "provided IP is already allocated"],
    ["outside the CIDR", "10.0.0.1", "the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12"],
    ["network address", "10.96.0.0", "the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/12"],
    ["broadcast address", "10.111.255.255", "the provided IP (10.111.255.255) is not in the valid range. The range of valid IPs is 10.96.0.0/12"],
  ];
  it.each(errors)("refuses an IP that is %s", (_name, ip, message) => {
    const a = new ClusterIPAllocator(new Rng(1));
    a.allocate("10.96.0.10");
    expect(() => a.allocate(ip)).toThrow(message);
  });

  it("reuses released addresses", () => {
    const a = new ClusterIPAllocator(new Rng(1));
    a.allocate("10.96.0.10");
    a.release("10.96.0.10");
    expect(() => a.allocate("10.96.0.10")).not.toThrow();
  });
});

describe("NodePortAllocator", () => {
  it("picks above the static band and reports range errors like upstream", () => {
    const ports = new NodePortAllocator(new Rng(9));
    for (let i = 0; i < 50; i++) {
      const p = ports.allocateNext();
      expect(p).toBeGreaterThanOrEqual(30086);
      expect(p).toBeLessThanOrEqual(32767);
    }
    expect(() => ports.allocate(40000)).toThrow("provided port is not in the valid range. The range of valid ports is 30000-32767");
    ports.allocate(30080);
    expect(() => ports.allocate(30080)).toThrow("provided port is already allocated");
  });

  it("falls back to the static band when the dynamic one is full", () => {
    const ports = new NodePortAllocator(new Rng(9), 30000, 30019);
    const got = Array.from({ length: 20 }, () => ports.allocateNext()).sort();
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => 30000 + i));
    expect(() => ports.allocateNext()).toThrow("range is full");
  });
});

describe("Service allocation through the store", () => {
  it("gives kubernetes 10.96.0.1 and lets kube-dns ask for 10.96.0.10", () => {
    const { store } = newCluster();
    expect(store.get<Service>("Service", "default", "kubernetes").spec.clusterIPs).toEqual(["10.96.0.1"]);
    const dns = store.create<Service>({ ...svc("kube-dns", { clusterIP: "10.96.0.10" }), metadata: { name: "kube-dns", namespace: "kube-system" } });
    expect(dns.spec.clusterIPs).toEqual(["10.96.0.10"]);
    expect(errorText(() => store.create(svc("other", { clusterIP: "10.96.0.10" })))).toBe(
      'The Service "other" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
    expect(errorText(() => store.create(svc("far", { clusterIP: "192.168.0.1" })))).toBe(
      'The Service "far" is invalid: spec.clusterIPs: Invalid value: []string{"192.168.0.1"}: failed to allocate IP 192.168.0.1: the provided IP (192.168.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
  });

  it("allocates reproducibly for a seed", () => {
    const ips = () => {
      const { store } = newCluster({ seed: 11 });
      return [store.create<Service>(svc("a", {})).spec.clusterIP, store.create<Service>(svc("b", { type: "NodePort" })).spec.ports];
    };
    expect(ips()).toEqual(ips());
  });

  it("reports NodePort range and collisions, and frees ports on delete", () => {
    const { store } = newCluster();
    expect(errorText(() => store.create(svc("web", { type: "NodePort", ports: [{ port: 80, nodePort: 40000 }] })))).toBe(
      'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    store.create(svc("web", { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] }));
    expect(errorText(() => store.create(svc("web2", { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] })))).toBe(
      'The Service "web2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
    store.delete("Service", "default", "web");
    expect(store.create<Service>(svc("web2", { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] })).spec.ports).toHaveLength(1);
  });

  it("rolls allocations back when validation fails", () => {
    const { store } = newCluster();
    expect(errorText(() => store.create(svc("web", { type: "NodePort", ports: [{ port: 80, nodePort: 30080, protocol: "HTTP" }] })))).toBe(
      'The Service "web" is invalid: spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    );
    expect(store.nodePorts.isAllocated(30080)).toBe(false);
  });

  it("allocates and releases NodePorts when the type changes", () => {
    const { store } = newCluster();
    const cluster = store.create(svc("web", {})) as Stored<Service>;
    expect(cluster.spec.ports?.[0].nodePort).toBeUndefined();
    const asNodePort = store.update({ ...cluster, spec: { ...cluster.spec, type: "NodePort" } }) as Stored<Service>;
    const port = asNodePort.spec.ports![0].nodePort!;
    expect(store.nodePorts.isAllocated(port)).toBe(true);
    expect(asNodePort.spec.externalTrafficPolicy).toBe("Cluster");
    const back = store.update({ ...asNodePort, spec: { ...asNodePort.spec, type: "ClusterIP" } }) as Stored<Service>;
    expect(back.spec.ports![0].nodePort).toBeUndefined();
    expect(back.spec.externalTrafficPolicy).toBeUndefined();
    expect(store.nodePorts.isAllocated(port)).toBe(false);
    expect(back.spec.clusterIP).toBe(cluster.spec.clusterIP);
    // Stored objects are plain JSON: no keys left holding undefined.
    expect(JSON.parse(JSON.stringify(back))).toEqual({ ...back });
    expect(Object.values(back.spec).includes(undefined)).toBe(false);
  });

  it("keeps the ClusterIP when an update leaves it out, and refuses to change it", () => {
    const { store } = newCluster();
    const web = store.create(svc("web", {})) as Stored<Service>;
    const { clusterIP: _ip, clusterIPs: _ips, ...rest } = web.spec;
    void _ip;
    void _ips;
    expect((store.update({ ...web, spec: rest }) as Stored<Service>).spec.clusterIP).toBe(web.spec.clusterIP);
    expect(errorText(() => store.update({ ...web, spec: { ...web.spec, clusterIP: "10.96.5.5", clusterIPs: ["10.96.5.5"] } }))).toBe(
      'The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.5.5"}: may not change once set',
    );
  });

  it("gives headless and ExternalName services no address", () => {
    const { store } = newCluster();
    const headless = store.create(svc("db", { clusterIP: "None" }));
    expect(headless.spec).toMatchObject({ clusterIP: "None", clusterIPs: ["None"], ipFamilies: ["IPv4"], ipFamilyPolicy: "SingleStack" });
    const selectorless = store.create({ ...svc("ext", { clusterIP: "None" }), spec: { clusterIP: "None", ports: [{ port: 80 }] } });
    expect(selectorless.spec).toMatchObject({ ipFamilies: ["IPv4", "IPv6"], ipFamilyPolicy: "RequireDualStack" });
    const external = store.create<Service>(svc("api", { type: "ExternalName", externalName: "api.example.com" }));
    expect(external.spec.clusterIP).toBeUndefined();
    expect(external.spec.ipFamilies).toBeUndefined();
  });

  it("allocates LoadBalancer NodePorts by default", () => {
    const { store } = newCluster();
    const lb = store.create(svc("lb", { type: "LoadBalancer" })) as Stored<Service>;
    expect(lb.spec.allocateLoadBalancerNodePorts).toBe(true);
    expect(store.nodePorts.isAllocated(lb.spec.ports![0].nodePort!)).toBe(true);
  });

  it("keeps a Local LoadBalancer's healthCheckNodePort across updates", () => {
    const { store } = newCluster();
    const lb = store.create(svc("lb", { type: "LoadBalancer", externalTrafficPolicy: "Local" })) as Stored<Service>;
    const hc = lb.spec.healthCheckNodePort!;
    expect(store.nodePorts.isAllocated(hc)).toBe(true);
    const labeled = store.update({ ...lb, metadata: { ...lb.metadata, labels: { tier: "front" } } }) as Stored<Service>;
    expect(labeled.spec.healthCheckNodePort).toBe(hc);
    expect(store.nodePorts.isAllocated(hc)).toBe(true);
  });
});
