import { describe, expect, it } from "vitest";
import type { Node, Pod } from "@/lib/engine/api";
import { testCluster, webSpec } from "./helpers";

const CP_TAINT = "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }";

function createPod(t: ReturnType<typeof testCluster>, name: string, spec: Partial<Pod["spec"]> = {}, labels: Record<string, string> = { run: name }) {
  t.cluster.store.create<Pod>({ apiVersion: "v1", kind: "Pod", metadata: { name, labels }, spec: webSpec(spec) });
  t.cluster.settle();
  return t.cluster.store.get<Pod>("Pod", "default", name);
}

describe("default-scheduler", () => {
  it("binds pods to workers, never to the tainted control plane, and records Scheduled", () => {
    const t = testCluster();
    const placed = ["a", "b", "c", "d"].map((n) => createPod(t, n).spec.nodeName);
    expect(new Set(placed)).toEqual(new Set(["node01", "node02"]));
    const pod = t.cluster.store.get<Pod>("Pod", "default", "a");
    expect(t.events(pod)).toEqual([`Scheduled: Successfully assigned default/a to ${pod.spec.nodeName}`]);
    const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
    expect(scheduled).toMatchObject({ status: "True", lastProbeTime: null });
  });

  it("spreads the pods of one ReplicaSet across nodes", () => {
    const t = testCluster();
    t.cluster.store.create({
      apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web" },
      spec: { replicas: 4, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: webSpec() } },
    });
    t.cluster.settle();
    const nodes = t.cluster.store.list<Pod>("Pod", { labelSelector: "app=web" }).map((p) => p.spec.nodeName);
    expect(nodes.filter((n) => n === "node01")).toHaveLength(2);
    expect(nodes.filter((n) => n === "node02")).toHaveLength(2);
  });

  it.each([
    {
      name: "nodeSelector matching no node",
      spec: { nodeSelector: { disktype: "ssd" } },
      message: `0/3 nodes are available: ${CP_TAINT}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`,
    },
    {
      name: "more cpu than any node has",
      spec: { containers: [{ name: "web", image: "nginx", resources: { requests: { cpu: "3" } } }] },
      message: `0/3 nodes are available: ${CP_TAINT}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.`,
    },
    {
      name: "too much cpu and memory",
      spec: { containers: [{ name: "web", image: "nginx", resources: { requests: { cpu: "3", memory: "8Gi" } } }] },
      message: `0/3 nodes are available: ${CP_TAINT}, 2 Insufficient cpu, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.`,
    },
    {
      name: "required node affinity on a missing label",
      spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] }] } } } },
      message: `0/3 nodes are available: ${CP_TAINT}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`,
    },
    {
      name: "preemptionPolicy Never",
      spec: { preemptionPolicy: "Never", nodeSelector: { disktype: "ssd" } },
      message: `0/3 nodes are available: ${CP_TAINT}, 2 node(s) didn't match Pod's node affinity/selector. preemption: not eligible due to preemptionPolicy=Never.`,
    },
  ])("explains why a pod does not fit: $name", ({ spec, message }) => {
    const t = testCluster();
    const pod = createPod(t, "big", spec as Partial<Pod["spec"]>);
    expect(pod.spec.nodeName).toBeUndefined();
    expect(pod.status?.conditions).toEqual([
      { type: "PodScheduled", status: "False", lastProbeTime: null, lastTransitionTime: t.cluster.clock.rfc3339(), reason: "Unschedulable", message },
    ]);
    expect(t.events(pod)).toEqual([`FailedScheduling: ${message}`]);
  });

  it("reports cordoned nodes and host port conflicts", () => {
    const t = testCluster();
    const node = t.cluster.store.get<Node>("Node", undefined, "node01");
    t.cluster.store.update<Node>({ ...node, spec: { ...node.spec, unschedulable: true } });
    t.cluster.settle();
    const hostPort = { containers: [{ name: "web", image: "nginx", ports: [{ containerPort: 80, hostPort: 8080 }] }] };
    expect(createPod(t, "p1", hostPort).spec.nodeName).toBe("node02");
    const pod = createPod(t, "p2", hostPort);
    expect(pod.status?.conditions?.[0].message).toBe(
      `0/3 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, ${CP_TAINT}, 1 node(s) were unschedulable. ` +
        "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
    );
  });

  it("retries unschedulable pods when a node changes, and tolerations reach the control plane", () => {
    const t = testCluster();
    const pod = createPod(t, "ssd", { nodeSelector: { disktype: "ssd" } });
    expect(pod.spec.nodeName).toBeUndefined();
    const node = t.cluster.store.get<Node>("Node", undefined, "node02");
    t.cluster.store.update<Node>({ ...node, metadata: { ...node.metadata, labels: { ...node.metadata.labels, disktype: "ssd" } } });
    t.cluster.settle();
    const bound = t.cluster.store.get<Pod>("Pod", "default", "ssd");
    expect(bound.spec.nodeName).toBe("node02");
    expect(bound.status?.conditions?.find((c) => c.type === "PodScheduled")?.status).toBe("True");

    const cp = createPod(t, "cp", {
      nodeSelector: { "node-role.kubernetes.io/control-plane": "" },
      tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }],
    });
    expect(cp.spec.nodeName).toBe("controlplane");
  });

  it("retries every 5 minutes, counting the repeated event", () => {
    const t = testCluster();
    const pod = createPod(t, "nowhere", { nodeSelector: { disktype: "ssd" } });
    t.advance(601);
    const events = t.cluster.store.list<{ apiVersion: string; kind: string; metadata: { name?: string }; reason?: string; count?: number; involvedObject: { name?: string } }>("Event")
      .filter((e) => e.involvedObject.name === pod.metadata.name);
    expect(events.map((e) => [e.reason, e.count])).toEqual([["FailedScheduling", 3]]);
  });

  it("is deterministic: the same seed places the same pods on the same nodes", () => {
    const run = (seed: number) => {
      const t = testCluster({ seed });
      t.cluster.store.create({
        apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web" },
        spec: { replicas: 5, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: webSpec() } },
      });
      t.cluster.settle();
      return t.cluster.store.list<Pod>("Pod", { labelSelector: "app=web" }).map((p) => `${p.metadata.name}@${p.spec.nodeName}`);
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });
});
