import { describe, expect, it } from "vitest";
import { Cluster, SettleError } from "@/lib/engine/cluster/cluster";
import { objectKey, selfKey, type Controller } from "@/lib/engine/cluster/controller";
import { loadScenario } from "@/lib/engine/scenarios";

const scenario = loadScenario("three-node-flannel");

/** Labels every ConfigMap `seen=true`; requeues itself once, 5 s later, to stamp `later=true`. */
const stamper: Controller = {
  name: "stamper",
  watches: [{ kind: "ConfigMap", keys: selfKey }],
  reconcile(key, ctx) {
    const [ns, name] = key.split("/");
    const cm = ctx.store.find("ConfigMap", ns, name);
    if (!cm) return;
    const labels = { ...cm.metadata.labels };
    if (!labels.seen) {
      labels.seen = "true";
      ctx.requeueAfter(key, 5_000);
    } else if (!labels.later && ctx.clock.now() - Date.parse(cm.metadata.creationTimestamp as string) >= 5_000) {
      labels.later = "true";
    } else return;
    ctx.store.update({ ...cm, metadata: { ...cm.metadata, labels } });
  },
};

describe("Cluster", () => {
  it("bootstraps the apiserver's namespaces and the kubernetes Service", () => {
    const c = new Cluster(scenario, 1);
    expect(c.store.list("Namespace").map((n) => n.metadata.name)).toEqual(["default", "kube-node-lease", "kube-public", "kube-system"]);
    expect(c.store.get("Service", "default", "kubernetes").spec).toMatchObject({ clusterIP: "10.96.0.1" });
    expect([...c.nodes.keys()]).toEqual(["controlplane", "node01", "node02"]);
  });

  it("runs controllers on writes and on requeues as virtual time passes", () => {
    const c = new Cluster(scenario, 1);
    c.register(stamper);
    c.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "default" } });
    c.settle();
    expect(c.store.get("ConfigMap", "default", "a").metadata.labels).toEqual({ seen: "true" });
    c.advance(4_999);
    expect(c.store.get("ConfigMap", "default", "a").metadata.labels).toEqual({ seen: "true" });
    c.advance(1);
    expect(c.store.get("ConfigMap", "default", "a").metadata.labels).toEqual({ seen: "true", later: "true" });
  });

  it("queues existing objects when a controller registers", () => {
    const c = new Cluster(scenario, 1);
    c.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "early", namespace: "default" } });
    c.register(stamper);
    c.settle();
    expect(c.store.get("ConfigMap", "default", "early").metadata.labels?.seen).toBe("true");
  });

  it("stops a controller fight with a clear error", () => {
    const c = new Cluster(scenario, 1);
    const fighter: Controller = {
      name: "fighter",
      watches: [{ kind: "ConfigMap", keys: selfKey }],
      reconcile(key, ctx) {
        const cm = ctx.store.get("ConfigMap", "default", key.split("/")[1]);
        ctx.store.update({ ...cm, data: { n: String(Number((cm.data as Record<string, string> | undefined)?.n ?? 0) + 1) } });
      },
    };
    c.register(fighter);
    c.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "default" } });
    expect(() => c.settle()).toThrow(SettleError);
  });

  it("names keys namespace/name", () => {
    const c = new Cluster(scenario, 1);
    expect(objectKey(c.store.get("Service", "default", "kubernetes"))).toBe("default/kubernetes");
    expect(objectKey(c.store.get("Namespace", undefined, "default"))).toBe("default");
  });
});
