import { describe, expect, it } from "vitest";
import type { ConfigMap, Deployment, ReplicaSet } from "@/lib/engine/api";
import { podsOf, testCluster } from "./helpers";

function withDeployment() {
  const t = testCluster();
  t.cluster.store.create<Deployment>({
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" },
    spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } } },
  });
  t.cluster.settle();
  return t;
}

const rsList = (t: ReturnType<typeof testCluster>) => t.cluster.store.list<ReplicaSet>("ReplicaSet", { namespace: "default" });

describe("garbage-collector-controller", () => {
  it("deletes dependents in the background once their owner is gone", () => {
    const t = withDeployment();
    t.cluster.store.delete("Deployment", "default", "web");
    t.cluster.settle();
    expect(rsList(t)).toEqual([]);
    expect(podsOf(t.cluster, "app=web")).toEqual([]);
  });

  it("orphans dependents with propagationPolicy Orphan", () => {
    const t = withDeployment();
    const { deleted } = t.cluster.store.delete("Deployment", "default", "web", { propagationPolicy: "Orphan" });
    expect(deleted).toBe(false);
    t.cluster.settle();
    expect(t.cluster.store.find("Deployment", "default", "web")).toBeUndefined();
    const [rs] = rsList(t);
    expect(rs.metadata.ownerReferences).toBeUndefined();
    expect(podsOf(t.cluster, "app=web")).toHaveLength(2);
    // A new Deployment with the same selector adopts the orphaned ReplicaSet.
    t.cluster.store.create<Deployment>({
      apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" },
      spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } } },
    });
    t.cluster.settle();
    expect(rsList(t).map((r) => r.metadata.name)).toEqual([rs.metadata.name]);
    expect(rsList(t)[0].metadata.ownerReferences?.[0].name).toBe("web");
  });

  it("holds a foreground deletion until blocking dependents are gone", () => {
    const t = withDeployment();
    t.kubelet.running = () => false;
    t.cluster.store.delete("Deployment", "default", "web", { propagationPolicy: "Foreground" });
    t.cluster.settle();
    const d = t.cluster.store.get<Deployment>("Deployment", "default", "web");
    expect(d.metadata.finalizers).toEqual(["foregroundDeletion"]);
    expect(podsOf(t.cluster, "app=web").every((p) => p.metadata.deletionTimestamp)).toBe(true);
    t.kubelet.running = () => true;
    t.kubelet.resync();
    expect(t.cluster.store.find("Deployment", "default", "web")).toBeUndefined();
    expect(rsList(t)).toEqual([]);
  });

  it("removes a dangling owner reference while another owner remains", () => {
    const t = testCluster();
    const owner = (name: string) => t.cluster.store.create<ConfigMap>({ apiVersion: "v1", kind: "ConfigMap", metadata: { name } });
    const a = owner("a");
    const b = owner("b");
    const ref = (o: typeof a) => ({ apiVersion: "v1", kind: "ConfigMap", name: o.metadata.name, uid: o.metadata.uid });
    t.cluster.store.create<ConfigMap>({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "child", ownerReferences: [ref(a), ref(b)] } });
    t.cluster.store.delete("ConfigMap", "default", "a");
    t.cluster.settle();
    expect(t.cluster.store.get("ConfigMap", "default", "child").metadata.ownerReferences).toEqual([ref(b)]);
    t.cluster.store.delete("ConfigMap", "default", "b");
    t.cluster.settle();
    expect(t.cluster.store.find("ConfigMap", "default", "child")).toBeUndefined();
  });
});
