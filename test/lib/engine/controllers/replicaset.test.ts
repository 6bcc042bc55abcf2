import { describe, expect, it } from "vitest";
import type { KubeObject, Pod, ReplicaSet, ReplicationController } from "@/lib/engine/api";
import { podsOf, testCluster, webSpec } from "./helpers";

const KINDS = [
  {
    kind: "ReplicationController",
    component: "replication-controller",
    object: (replicas: number, spec = webSpec()): KubeObject => ({
      apiVersion: "v1", kind: "ReplicationController", metadata: { name: "web" },
      spec: { replicas, selector: { app: "web" }, template: { metadata: { labels: { app: "web" } }, spec } },
    }),
  },
  {
    kind: "ReplicaSet",
    component: "replicaset-controller",
    object: (replicas: number, spec = webSpec()): KubeObject => ({
      apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web" },
      spec: { replicas, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec } },
    }),
  },
];

function scale(t: ReturnType<typeof testCluster>, kind: string, replicas: number) {
  const obj = t.cluster.store.get<ReplicaSet>(kind, "default", "web");
  t.cluster.store.update({ ...obj, spec: { ...obj.spec, replicas } });
  t.cluster.settle();
}

describe.each(KINDS)("$kind", ({ kind, component, object }) => {
  it("creates pods from the template, owned by the controller, and reports status", () => {
    const t = testCluster();
    t.cluster.store.create(object(3));
    t.cluster.settle();
    const pods = podsOf(t.cluster, "app=web");
    expect(pods).toHaveLength(3);
    const owner = t.cluster.store.get<ReplicaSet>(kind, "default", "web");
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata.ownerReferences).toEqual([
        { apiVersion: owner.apiVersion, kind, name: "web", uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
      expect(pod.status?.phase).toBe("Running");
    }
    expect(owner.status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    expect(t.events(owner).sort()).toEqual(pods.map((p) => `SuccessfulCreate: Created pod: ${p.metadata.name}`).sort());
    const source = t.cluster.store.list<KubeObject & { source?: { component?: string } }>("Event").find((e) => e.reason === "SuccessfulCreate");
    expect(source?.source?.component).toBe(component);
  });

  it.each([
    { from: 3, to: 5 },
    { from: 5, to: 2 },
    { from: 2, to: 0 },
  ])("scales from $from to $to", ({ from, to }) => {
    const t = testCluster();
    t.cluster.store.create(object(from));
    t.cluster.settle();
    scale(t, kind, to);
    expect(podsOf(t.cluster, "app=web")).toHaveLength(to);
    const owner = t.cluster.store.get<ReplicaSet>(kind, "default", "web");
    expect(owner.status?.replicas).toBe(to);
    expect(owner.status?.observedGeneration).toBe(2);
    if (to < from) expect(t.events(owner).filter((e) => e.startsWith("SuccessfulDelete: Deleted pod: web-"))).toHaveLength(from - to);
  });

  it("replaces a deleted pod and adopts a matching orphan", () => {
    const t = testCluster();
    t.cluster.store.create(object(2));
    t.cluster.settle();
    const [victim] = podsOf(t.cluster, "app=web");
    t.cluster.store.delete("Pod", "default", victim.metadata.name);
    t.cluster.settle();
    const after = podsOf(t.cluster, "app=web");
    expect(after).toHaveLength(2);
    expect(after.map((p) => p.metadata.name)).not.toContain(victim.metadata.name);

    // An orphan with matching labels is adopted, and one of the three is deleted.
    t.cluster.store.create<Pod>({ apiVersion: "v1", kind: "Pod", metadata: { name: "stray", labels: { app: "web" } }, spec: webSpec() });
    t.cluster.settle();
    const pods = podsOf(t.cluster, "app=web");
    expect(pods).toHaveLength(2);
    for (const p of pods) expect(p.metadata.ownerReferences?.[0].name).toBe("web");
  });

  it("releases a pod whose labels stop matching and creates a replacement", () => {
    const t = testCluster();
    t.cluster.store.create(object(2));
    t.cluster.settle();
    const [pod] = podsOf(t.cluster, "app=web");
    t.cluster.store.update<Pod>({ ...pod, metadata: { ...pod.metadata, labels: { app: "debug" } } });
    t.cluster.settle();
    const released = t.cluster.store.get<Pod>("Pod", "default", pod.metadata.name);
    expect(released.metadata.ownerReferences).toBeUndefined();
    expect(released.metadata.deletionTimestamp).toBeUndefined();
    expect(podsOf(t.cluster, "app=web")).toHaveLength(2);
  });

  it("deletes unscheduled and not-ready pods first when scaling down", () => {
    const t = testCluster();
    t.cluster.store.create(object(3));
    t.cluster.settle();
    const [, notReady] = podsOf(t.cluster, "app=web");
    t.kubelet.notReady = (p) => p.metadata.name === notReady.metadata.name;
    t.cluster.store.updateStatus<Pod>({ ...notReady, status: { ...notReady.status, conditions: notReady.status?.conditions?.map((c) => (c.type === "Ready" ? { ...c, status: "False" } : c)) } });
    t.cluster.settle();
    scale(t, kind, 2);
    expect(podsOf(t.cluster, "app=web").map((p) => p.metadata.name)).not.toContain(notReady.metadata.name);
  });

  it("reports pods it cannot create (admission) as ReplicaFailure and retries with back-off", () => {
    const t = testCluster();
    t.cluster.store.create(object(1, webSpec({ serviceAccountName: "builder" })));
    t.cluster.settle();
    const owner = t.cluster.store.get<ReplicationController>(kind, "default", "web");
    const message = 'pods "web-" is forbidden: error looking up service account default/builder: serviceaccount "builder" not found';
    expect(owner.status?.conditions).toEqual([
      { type: "ReplicaFailure", status: "True", lastTransitionTime: t.cluster.clock.rfc3339(), reason: "FailedCreate", message },
    ]);
    expect(t.events(owner)).toEqual([`FailedCreate: Error creating: ${message}`]);
    t.cluster.store.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "builder", namespace: "default" } });
    t.advance(1);
    expect(podsOf(t.cluster, "app=web")).toHaveLength(1);
    expect(t.cluster.store.get<ReplicationController>(kind, "default", "web").status?.conditions).toBeUndefined();
  });

  it("counts availability only after minReadySeconds", () => {
    const t = testCluster();
    const obj = object(2);
    (obj.spec as { minReadySeconds?: number }).minReadySeconds = 10;
    t.cluster.store.create(obj);
    t.cluster.settle();
    const status = () => t.cluster.store.get<ReplicaSet>(kind, "default", "web").status;
    expect(status()).toMatchObject({ replicas: 2, readyReplicas: 2 });
    expect(status()?.availableReplicas).toBeUndefined();
    t.advance(11);
    expect(status()?.availableReplicas).toBe(2);
  });
});
