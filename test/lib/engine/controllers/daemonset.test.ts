import { describe, expect, it } from "vitest";
import type { DaemonSet, Node, Pod, Toleration } from "@/lib/engine/api";
import { testCluster } from "./helpers";

type T = ReturnType<typeof testCluster>;

function daemonSet(spec: Partial<Pod["spec"]> = {}, extra: Partial<DaemonSet["spec"]> = {}): DaemonSet {
  return {
    apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent", namespace: "kube-system" },
    spec: {
      selector: { matchLabels: { app: "agent" } },
      template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "agent", image: "busybox:1.36" }], ...spec } },
      ...extra,
    },
  };
}

const CP_TOLERATION: Toleration = { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" };

function agentNodes(t: T): string[] {
  return t.cluster.store.list<Pod>("Pod", { namespace: "kube-system", labelSelector: "app=agent" })
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => p.spec.nodeName ?? "?")
    .sort();
}

function relabel(t: T, name: string, labels: Record<string, string | undefined>): void {
  const node = t.cluster.store.get<Node>("Node", undefined, name);
  const next = { ...node.metadata.labels, ...labels };
  for (const [k, v] of Object.entries(labels)) if (v === undefined) delete next[k];
  t.cluster.store.update<Node>({ ...node, metadata: { ...node.metadata, labels: next as Record<string, string> } });
  t.cluster.settle();
}

describe("daemonset-controller", () => {
  it.each([
    { name: "no toleration: workers only", spec: {}, nodes: ["node01", "node02"] },
    { name: "tolerating the control-plane taint: every node", spec: { tolerations: [CP_TOLERATION] }, nodes: ["controlplane", "node01", "node02"] },
    { name: "a nodeSelector no node matches: none", spec: { nodeSelector: { gpu: "true" } }, nodes: [] },
  ])("runs one pod per eligible node ($name)", ({ spec, nodes }) => {
    const t = testCluster();
    t.cluster.store.create(daemonSet(spec));
    t.cluster.settle();
    expect(agentNodes(t)).toEqual(nodes);
    const ds = t.cluster.store.get<DaemonSet>("DaemonSet", "kube-system", "agent");
    const n = nodes.length;
    const status: Record<string, number> = { currentNumberScheduled: n, numberMisscheduled: 0, desiredNumberScheduled: n, numberReady: n, observedGeneration: 1 };
    if (n) Object.assign(status, { updatedNumberScheduled: n, numberAvailable: n });
    expect(ds.status).toEqual(status);
  });

  it("pins each pod to its node with a metadata.name affinity and adds the daemon tolerations", () => {
    const t = testCluster();
    t.cluster.store.create(daemonSet());
    t.cluster.settle();
    const pod = t.cluster.store.list<Pod>("Pod", { namespace: "kube-system", labelSelector: "app=agent" }).find((p) => p.spec.nodeName === "node01")!;
    expect(pod.metadata.name).toMatch(/^agent-[a-z0-9]{5}$/);
    expect(pod.spec.affinity).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["node01"] }] }] } },
    });
    expect(pod.spec.tolerations).toEqual([
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
      { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
    ]);
    expect(pod.metadata.labels).toMatchObject({ app: "agent", "pod-template-generation": "1" });
    expect(pod.metadata.labels?.["controller-revision-hash"]).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  it("follows node labels, and nodes joining and leaving", () => {
    const t = testCluster();
    t.cluster.store.create(daemonSet({ nodeSelector: { gpu: "true" } }));
    t.cluster.settle();
    relabel(t, "node02", { gpu: "true" });
    expect(agentNodes(t)).toEqual(["node02"]);
    t.addNode("node03", { labels: { gpu: "true" } });
    expect(agentNodes(t)).toEqual(["node02", "node03"]);
    relabel(t, "node02", { gpu: undefined });
    expect(agentNodes(t)).toEqual(["node03"]);
    t.cluster.store.delete("Node", undefined, "node03");
    t.advance(41);
    expect(agentNodes(t)).toEqual([]);
  });

  it("keeps running on cordoned nodes and counts misscheduled pods", () => {
    const t = testCluster();
    t.cluster.store.create(daemonSet());
    t.cluster.settle();
    const node = t.cluster.store.get<Node>("Node", undefined, "node01");
    t.cluster.store.update<Node>({ ...node, spec: { ...node.spec, unschedulable: true } });
    t.cluster.settle();
    expect(agentNodes(t)).toEqual(["node01", "node02"]);
    // A NoSchedule taint added later: the pod may stay but no longer should run there.
    const n2 = t.cluster.store.get<Node>("Node", undefined, "node02");
    t.cluster.store.update<Node>({ ...n2, spec: { ...n2.spec, taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] } });
    t.cluster.settle();
    expect(agentNodes(t)).toEqual(["node01", "node02"]);
    expect(t.cluster.store.get<DaemonSet>("DaemonSet", "kube-system", "agent").status).toMatchObject({ desiredNumberScheduled: 1, numberMisscheduled: 1 });
  });

  it("rolls out a new template one node at a time (maxUnavailable 1)", () => {
    const t = testCluster();
    t.cluster.store.create(daemonSet({ tolerations: [CP_TOLERATION] }));
    t.cluster.settle();
    t.kubelet.notReady = (p) => p.spec.containers[0].image === "busybox:1.37";
    const ds = t.cluster.store.get<DaemonSet>("DaemonSet", "kube-system", "agent");
    const spec = ds.spec.template.spec;
    t.cluster.store.update<DaemonSet>({ ...ds, spec: { ...ds.spec, template: { ...ds.spec.template, spec: { ...spec, containers: [{ ...spec.containers[0], image: "busybox:1.37" }] } } } });
    t.cluster.settle();
    const images = () => t.cluster.store.list<Pod>("Pod", { namespace: "kube-system", labelSelector: "app=agent" }).map((p) => p.spec.containers[0].image).sort();
    expect(images()).toEqual(["busybox:1.36", "busybox:1.36", "busybox:1.37"]);
    expect(t.cluster.store.get<DaemonSet>("DaemonSet", "kube-system", "agent").status).toMatchObject({ updatedNumberScheduled: 1, numberAvailable: 2, numberUnavailable: 1 });
    t.kubelet.notReady = () => false;
    t.kubelet.resync();
    expect(images()).toEqual(["busybox:1.37", "busybox:1.37", "busybox:1.37"]);
  });

  it("replaces a failed daemon pod, backing off when it keeps failing", () => {
    const t = testCluster();
    t.cluster.store.create(daemonSet({ nodeSelector: { "kubernetes.io/hostname": "node01" } }));
    t.cluster.settle();
    const fail = () => {
      const [pod] = t.cluster.store.list<Pod>("Pod", { namespace: "kube-system", labelSelector: "app=agent" });
      t.cluster.store.updateStatus<Pod>({ ...pod, status: { ...pod.status, phase: "Failed" } });
      t.cluster.settle();
      return pod.metadata.name;
    };
    const first = fail();
    expect(agentNodes(t)).toEqual(["node01"]);
    const second = t.cluster.store.list<Pod>("Pod", { namespace: "kube-system", labelSelector: "app=agent" })[0].metadata.name;
    expect(second).not.toBe(first);
    fail();
    // Within the 2 s back-off the failed pod stays.
    expect(t.cluster.store.find("Pod", "kube-system", second)).toBeDefined();
    t.advance(3);
    expect(t.cluster.store.find("Pod", "kube-system", second)).toBeUndefined();
    const ds = t.cluster.store.get<DaemonSet>("DaemonSet", "kube-system", "agent");
    expect(t.events(ds).filter((e) => e.startsWith("FailedDaemonPod"))).toEqual([
      `FailedDaemonPod: Found failed daemon pod kube-system/${first} on node node01, will try to kill it`,
      `FailedDaemonPod: Found failed daemon pod kube-system/${second} on node node01, will try to kill it`,
    ]);
  });
});
