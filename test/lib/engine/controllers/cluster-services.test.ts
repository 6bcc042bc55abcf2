import { describe, expect, it } from "vitest";
import type { ConfigMap, Node, Service } from "@/lib/engine/api";
import { loadBalancerPool } from "@/lib/engine/controllers";
import { decodeBase64 } from "@/lib/engine/util/base64";
import { testCluster } from "./helpers";

type T = ReturnType<typeof testCluster>;

function lbService(t: T, name: string, extra: Partial<Service["spec"]> = {}): void {
  t.cluster.store.create<Service>({ apiVersion: "v1", kind: "Service", metadata: { name }, spec: { type: "LoadBalancer", selector: { app: name }, ports: [{ port: 80 }], ...extra } });
  t.cluster.settle();
}

const ingress = (t: T, name: string) => t.cluster.store.get<Service>("Service", "default", name).status?.loadBalancer?.ingress;

describe("serviceaccount and root CA publisher", () => {
  it("puts a default ServiceAccount and kube-root-ca.crt in every namespace, and restores them", () => {
    const t = testCluster();
    t.cluster.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "dev" } });
    t.cluster.settle();
    for (const ns of ["default", "dev", "kube-node-lease", "kube-public", "kube-system"]) {
      expect(t.cluster.store.find("ServiceAccount", ns, "default")).toBeDefined();
      expect(t.cluster.store.find("ConfigMap", ns, "kube-root-ca.crt")).toBeDefined();
    }
    t.cluster.store.delete("ServiceAccount", "dev", "default");
    t.cluster.store.delete("ConfigMap", "dev", "kube-root-ca.crt");
    t.cluster.settle();
    expect(t.cluster.store.find("ServiceAccount", "dev", "default")).toBeDefined();
    const cm = t.cluster.store.get<ConfigMap>("ConfigMap", "dev", "kube-root-ca.crt");
    expect(cm.metadata.annotations?.["kubernetes.io/description"]).toMatch(/^Contains a CA bundle that can be used to verify the kube-apiserver/);
    expect(cm.data?.["ca.crt"]).toBe(t.cluster.store.get<ConfigMap>("ConfigMap", "default", "kube-root-ca.crt").data?.["ca.crt"]);
  });

  it("publishes a well-formed, deterministic PEM certificate", () => {
    const pem = (seed: number) => testCluster({ seed, nodes: false }).cluster.store.get<ConfigMap>("ConfigMap", "default", "kube-root-ca.crt").data!["ca.crt"];
    const text = pem(7);
    expect(text).toBe(pem(7));
    expect(text).not.toBe(pem(8));
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("-----BEGIN CERTIFICATE-----");
    expect(lines.at(-1)).toBe("-----END CERTIFICATE-----");
    expect(lines.slice(1, -2).every((l) => l.length === 64)).toBe(true);
    const der = decodeBase64(lines.slice(1, -1).join(""));
    if (!der.ok) throw new Error("not base64");
    // SEQUENCE with a two-byte length covering the rest: a DER certificate.
    expect([der.bytes[0], der.bytes[1]]).toEqual([0x30, 0x82]);
    expect(der.bytes[2] * 256 + der.bytes[3]).toBe(der.bytes.length - 4);
  });
});

describe("node-ipam-controller", () => {
  it("hands out /24s of the pod CIDR in registration order", () => {
    const t = testCluster();
    const cidrs = () => t.cluster.store.list<Node>("Node").map((n) => [n.metadata.name, n.spec?.podCIDR, n.spec?.podCIDRs]);
    expect(cidrs()).toEqual([
      ["controlplane", "10.244.0.0/24", ["10.244.0.0/24"]],
      ["node01", "10.244.1.0/24", ["10.244.1.0/24"]],
      ["node02", "10.244.2.0/24", ["10.244.2.0/24"]],
    ]);
    t.cluster.store.delete("Node", undefined, "node01");
    t.addNode("node03");
    // The search continues after the last block handed out.
    expect(t.cluster.store.get<Node>("Node", undefined, "node03").spec?.podCIDR).toBe("10.244.3.0/24");
  });
});

describe("service-lb-controller", () => {
  it("assigns pool addresses to LoadBalancer Services, pending when exhausted, released on type change", () => {
    const t = testCluster();
    const pool = loadBalancerPool("172.30.1.0/24");
    expect(pool).toEqual(Array.from({ length: 11 }, (_, i) => `172.30.1.${240 + i}`));
    lbService(t, "web");
    expect(ingress(t, "web")).toEqual([{ ip: "172.30.1.240", ipMode: "VIP" }]);
    const svc = t.cluster.store.get<Service>("Service", "default", "web");
    expect(svc.metadata.finalizers).toEqual(["service.kubernetes.io/load-balancer-cleanup"]);
    expect(t.events(svc)).toEqual(["EnsuringLoadBalancer: Ensuring load balancer", "EnsuredLoadBalancer: Ensured load balancer"]);

    lbService(t, "pinned", { loadBalancerIP: "172.30.1.245" });
    expect(ingress(t, "pinned")).toEqual([{ ip: "172.30.1.245", ipMode: "VIP" }]);
    for (let i = 0; i < 9; i++) lbService(t, `svc${i}`);
    lbService(t, "late");
    expect(ingress(t, "late")).toBeUndefined();
    expect(t.events(t.cluster.store.get<Service>("Service", "default", "late"))).toEqual([
      "EnsuringLoadBalancer: Ensuring load balancer",
      "SyncLoadBalancerFailed: Error syncing load balancer: failed to ensure load balancer: no available IP addresses in the load balancer pool",
    ]);

    const web = t.cluster.store.get<Service>("Service", "default", "web");
    t.cluster.store.update<Service>({ ...web, spec: { ...web.spec, type: "ClusterIP" } });
    t.cluster.settle();
    const after = t.cluster.store.get<Service>("Service", "default", "web");
    expect(after.status?.loadBalancer).toEqual({});
    expect(after.metadata.finalizers).toBeUndefined();
    expect(t.events(after).slice(-2)).toEqual(["DeletingLoadBalancer: Deleting load balancer", "DeletedLoadBalancer: Deleted load balancer"]);
    // The freed address goes to the Service that was waiting.
    expect(ingress(t, "late")).toEqual([{ ip: "172.30.1.240", ipMode: "VIP" }]);

    t.cluster.store.delete("Service", "default", "late");
    t.cluster.settle();
    expect(t.cluster.store.find("Service", "default", "late")).toBeUndefined();
  });
});
