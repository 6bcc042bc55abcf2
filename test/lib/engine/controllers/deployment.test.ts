import { describe, expect, it } from "vitest";
import type { Deployment, Pod, ReplicaSet } from "@/lib/engine/api";
import { deploymentRevisions, rollbackDeployment, rolloutStatus } from "@/lib/engine/controllers";
import { podsOf, testCluster } from "./helpers";

type T = ReturnType<typeof testCluster>;

function deployment(replicas: number, extra: Partial<Deployment["spec"]> = {}): Deployment {
  return {
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" },
    spec: {
      replicas, selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } }, ...extra,
    },
  };
}

function setImage(t: T, image: string): void {
  const d = t.cluster.store.get<Deployment>("Deployment", "default", "web");
  const spec = d.spec.template.spec;
  t.cluster.store.update<Deployment>({ ...d, spec: { ...d.spec, template: { ...d.spec.template, spec: { ...spec, containers: [{ ...spec.containers[0], image }] } } } });
  t.cluster.settle();
}

function patchSpec(t: T, patch: Partial<Deployment["spec"]>): void {
  const d = t.cluster.store.get<Deployment>("Deployment", "default", "web");
  t.cluster.store.update<Deployment>({ ...d, spec: { ...d.spec, ...patch } });
  t.cluster.settle();
}

/** ReplicaSets as `image: replicas`, newest revision last. */
function replicaSets(t: T): string[] {
  return t.cluster.store
    .list<ReplicaSet>("ReplicaSet", { namespace: "default" })
    .sort((a, b) => Number(a.metadata.annotations?.["deployment.kubernetes.io/revision"]) - Number(b.metadata.annotations?.["deployment.kubernetes.io/revision"]))
    .map((rs) => `${rs.spec.template?.spec.containers[0].image}: ${rs.spec.replicas}`);
}

const image = (p: Pod) => p.spec.containers[0].image;

describe("deployment-controller", () => {
  it("creates a ReplicaSet named after the pod-template-hash, with revision annotations", () => {
    const t = testCluster();
    t.cluster.store.create(deployment(3));
    t.cluster.settle();
    const [rs] = t.cluster.store.list<ReplicaSet>("ReplicaSet", { namespace: "default" });
    const hash = rs.metadata.labels?.["pod-template-hash"];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.spec.selector?.matchLabels).toEqual({ app: "web", "pod-template-hash": hash });
    expect(rs.metadata.annotations).toEqual({
      "deployment.kubernetes.io/desired-replicas": "3", "deployment.kubernetes.io/max-replicas": "4", "deployment.kubernetes.io/revision": "1",
    });
    for (const pod of podsOf(t.cluster, "app=web")) expect(pod.metadata.name).toMatch(new RegExp(`^web-${hash}-[a-z0-9]{5}$`));
    const d = t.cluster.store.get<Deployment>("Deployment", "default", "web");
    expect(d.metadata.generation).toBe(1);
    expect(d.metadata.annotations).toEqual({ "deployment.kubernetes.io/revision": "1" });
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ["Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."],
      ["Progressing", "True", "NewReplicaSetAvailable", `ReplicaSet "web-${hash}" has successfully progressed.`],
    ]);
    expect(t.events(d)).toEqual([`ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`]);
    expect(rolloutStatus(t.cluster.store, "default", "web")).toEqual({ ok: true, done: true, message: 'deployment "web" successfully rolled out' });
  });

  it("rolls out step by step within maxSurge 25% / maxUnavailable 25%", () => {
    const t = testCluster();
    t.cluster.store.create(deployment(4));
    t.cluster.settle();
    t.kubelet.notReady = (p) => image(p) === "nginx:1.28";
    setImage(t, "nginx:1.28");
    // surge 1, unavailable 1: one old pod goes, two new ones wait to become ready.
    expect(replicaSets(t)).toEqual(["nginx:1.27: 3", "nginx:1.28: 2"]);
    expect(podsOf(t.cluster, "app=web").filter((p) => image(p) === "nginx:1.28")).toHaveLength(2);
    expect(rolloutStatus(t.cluster.store, "default", "web").message).toBe('Waiting for deployment "web" rollout to finish: 2 out of 4 new replicas have been updated...');
    const d = t.cluster.store.get<Deployment>("Deployment", "default", "web");
    expect(d.status).toMatchObject({ replicas: 5, updatedReplicas: 2, availableReplicas: 3, unavailableReplicas: 2 });
    expect(d.status?.conditions?.find((c) => c.type === "Progressing")?.reason).toBe("ReplicaSetUpdated");

    t.kubelet.notReady = () => false;
    t.kubelet.resync();
    expect(replicaSets(t)).toEqual(["nginx:1.27: 0", "nginx:1.28: 4"]);
    const [oldRS, newRS] = t.cluster.store.list<ReplicaSet>("ReplicaSet", { namespace: "default" })
      .sort((a, b) => (a.spec.template?.spec.containers[0].image ?? "").localeCompare(b.spec.template?.spec.containers[0].image ?? ""));
    const steps = t.events(d).filter((e) => !e.includes("from 0 to 4"));
    expect(steps).toEqual([
      `ScalingReplicaSet: Scaled up replica set ${newRS.metadata.name} from 0 to 1`,
      `ScalingReplicaSet: Scaled down replica set ${oldRS.metadata.name} from 4 to 3`,
      `ScalingReplicaSet: Scaled up replica set ${newRS.metadata.name} from 1 to 2`,
      `ScalingReplicaSet: Scaled down replica set ${oldRS.metadata.name} from 3 to 1`,
      `ScalingReplicaSet: Scaled up replica set ${newRS.metadata.name} from 2 to 4`,
      `ScalingReplicaSet: Scaled down replica set ${oldRS.metadata.name} from 1 to 0`,
    ]);
    expect(rolloutStatus(t.cluster.store, "default", "web")).toMatchObject({ ok: true, done: true });
  });

  it("Recreate scales the old ReplicaSet to zero before creating the new one", () => {
    const t = testCluster();
    t.cluster.store.create(deployment(2, { strategy: { type: "Recreate" } }));
    t.cluster.settle();
    // Old pods linger (the kubelet is slow to finish terminating them): the new RS waits.
    const running = (p: Pod) => p.metadata.labels?.app === "web";
    const slow = t.kubelet.running.bind(t.kubelet);
    t.kubelet.running = () => false;
    setImage(t, "nginx:1.28");
    expect(replicaSets(t)).toEqual(["nginx:1.27: 0"]);
    expect(podsOf(t.cluster, "app=web").filter(running).every((p) => p.metadata.deletionTimestamp)).toBe(true);
    t.kubelet.running = slow;
    t.kubelet.resync();
    expect(replicaSets(t)).toEqual(["nginx:1.27: 0", "nginx:1.28: 2"]);
    expect(podsOf(t.cluster, "app=web").map(image)).toEqual(["nginx:1.28", "nginx:1.28"]);
  });

  it("rolls back to the previous or a given revision, keeping history", () => {
    const t = testCluster();
    t.cluster.store.create(deployment(2));
    t.cluster.settle();
    setImage(t, "nginx:1.28");
    setImage(t, "nginx:1.29");
    expect(deploymentRevisions(t.cluster.store, "default", "web").map((r) => [r.revision, r.replicaSet.spec.template?.spec.containers[0].image])).toEqual([
      [1, "nginx:1.27"], [2, "nginx:1.28"], [3, "nginx:1.29"],
    ]);
    expect(rollbackDeployment(t.cluster.store, "default", "web", 9)).toEqual({ ok: false, message: "error: unable to find specified revision 9 in history" });
    expect(rollbackDeployment(t.cluster.store, "default", "web")).toEqual({ ok: true, message: "deployment.apps/web rolled back" });
    t.cluster.settle();
    expect(podsOf(t.cluster, "app=web").map(image)).toEqual(["nginx:1.28", "nginx:1.28"]);
    const revisions = deploymentRevisions(t.cluster.store, "default", "web").map((r) => [r.revision, r.replicaSet.spec.template?.spec.containers[0].image]);
    expect(revisions).toEqual([[1, "nginx:1.27"], [3, "nginx:1.29"], [4, "nginx:1.28"]]);
    const back = deploymentRevisions(t.cluster.store, "default", "web").find((r) => r.revision === 4)!;
    expect(back.replicaSet.metadata.annotations?.["deployment.kubernetes.io/revision-history"]).toBe("2");
    expect(t.cluster.store.get<Deployment>("Deployment", "default", "web").metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("4");
    expect(rollbackDeployment(t.cluster.store, "default", "web", 4)).toEqual({
      ok: true, message: "deployment.apps/web skipped rollback (current template already matches revision 4)",
    });
    expect(rollbackDeployment(t.cluster.store, "default", "nope")).toEqual({ ok: false, message: 'Error from server (NotFound): deployments.apps "nope" not found' });
  });

  it("cleans up ReplicaSets beyond revisionHistoryLimit", () => {
    const t = testCluster();
    t.cluster.store.create(deployment(1, { revisionHistoryLimit: 1 }));
    t.cluster.settle();
    for (const v of ["1.28", "1.29", "1.30"]) setImage(t, `nginx:${v}`);
    expect(replicaSets(t)).toEqual(["nginx:1.29: 0", "nginx:1.30: 1"]);
  });

  it("scales a rollout in flight proportionally", () => {
    const t = testCluster();
    t.cluster.store.create(deployment(4));
    t.cluster.settle();
    t.kubelet.notReady = (p) => image(p) === "nginx:1.28";
    setImage(t, "nginx:1.28");
    expect(replicaSets(t)).toEqual(["nginx:1.27: 3", "nginx:1.28: 2"]);
    patchSpec(t, { replicas: 8 });
    // 10 allowed (8 + surge 2), 5 running: +3 to the old (3/5 share), +2 to the new.
    expect(replicaSets(t)).toEqual(["nginx:1.27: 6", "nginx:1.28: 4"]);
    const events = t.events(t.cluster.store.get<Deployment>("Deployment", "default", "web"));
    expect(events.slice(-2).map((e) => e.replace(/web-\w+/, "RS"))).toEqual([
      "ScalingReplicaSet: Scaled up replica set RS from 3 to 6",
      "ScalingReplicaSet: Scaled up replica set RS from 2 to 4",
    ]);
  });

  it("does not roll out while paused, and resumes with Progressing conditions", () => {
    const t = testCluster();
    t.cluster.store.create(deployment(2));
    t.cluster.settle();
    patchSpec(t, { paused: true });
    const progressing = () => t.cluster.store.get<Deployment>("Deployment", "default", "web").status?.conditions?.find((c) => c.type === "Progressing");
    expect(progressing()).toMatchObject({ status: "Unknown", reason: "DeploymentPaused", message: "Deployment is paused" });
    setImage(t, "nginx:1.28");
    expect(replicaSets(t)).toEqual(["nginx:1.27: 2"]);
    expect(rollbackDeployment(t.cluster.store, "default", "web", 1).message).toBe(
      "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
    patchSpec(t, { paused: false });
    expect(replicaSets(t)).toEqual(["nginx:1.27: 0", "nginx:1.28: 2"]);
    expect(progressing()).toMatchObject({ status: "True", reason: "NewReplicaSetAvailable" });
  });

  it("rolls out again when kubectl rollout restart sets restartedAt", () => {
    const t = testCluster();
    t.cluster.store.create(deployment(1));
    t.cluster.settle();
    const d = t.cluster.store.get<Deployment>("Deployment", "default", "web");
    const annotations = { "kubectl.kubernetes.io/restartedAt": "2026-01-12T09:00:00Z" };
    t.cluster.store.update<Deployment>({ ...d, spec: { ...d.spec, template: { ...d.spec.template, metadata: { ...d.spec.template.metadata, annotations } } } });
    t.cluster.settle();
    expect(t.cluster.store.list<ReplicaSet>("ReplicaSet", { namespace: "default" }).map((rs) => rs.spec.replicas)).toEqual(expect.arrayContaining([0, 1]));
    expect(podsOf(t.cluster, "app=web")[0].metadata.annotations).toEqual(annotations);
  });

  it("reports a missed progress deadline", () => {
    const t = testCluster();
    t.kubelet.notReady = () => true;
    t.cluster.store.create(deployment(1, { progressDeadlineSeconds: 60 }));
    t.cluster.settle();
    expect(rolloutStatus(t.cluster.store, "default", "web").message).toBe('Waiting for deployment "web" rollout to finish: 0 of 1 updated replicas are available...');
    t.advance(62);
    const cond = t.cluster.store.get<Deployment>("Deployment", "default", "web").status?.conditions?.find((c) => c.type === "Progressing");
    expect(cond).toMatchObject({ status: "False", reason: "ProgressDeadlineExceeded" });
    expect(rolloutStatus(t.cluster.store, "default", "web")).toEqual({ ok: false, message: 'error: deployment "web" exceeded its progress deadline' });
  });
});
