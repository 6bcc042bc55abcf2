import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";
import type { Condition, Deployment, Endpoints, Node, Pod } from "@/lib/engine/api";
import { podsOf, testCluster } from "./helpers";

type T = ReturnType<typeof testCluster>;

const node = (t: T, name: string) => t.cluster.store.get<Node>("Node", undefined, name);
const ready = (t: T, name: string): Condition | undefined => node(t, name).status?.conditions?.find((c) => c.type === "Ready");
const taints = (t: T, name: string) => (node(t, name).spec?.taints ?? []).map((x) => `${x.key}:${x.effect}`);

function withWeb(): T {
  const t = testCluster();
  t.cluster.store.create<Deployment>({
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" },
    spec: { replicas: 4, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } } },
  });
  t.cluster.store.create({ apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }] } });
  t.cluster.settle();
  return t;
}

describe("node-lifecycle-controller and taint-eviction-controller", () => {
  it("records RegisteredNode for each node", () => {
    const t = testCluster();
    expect(t.events(node(t, "node01"))).toEqual(["RegisteredNode: Node node01 event: Registered Node node01 in Controller"]);
  });

  it("powered off: Unknown after the grace period, unreachable taints, pods not ready, evicted after 300 s, replaced elsewhere", () => {
    const t = withWeb();
    const onNode01 = podsOf(t.cluster, "app=web").filter((p) => p.spec.nodeName === "node01");
    expect(onNode01).toHaveLength(2);
    t.advance(5);
    t.cluster.nodes.get("node01")!.powered = false;

    // The last Lease renewal was at 08:52:00; 50 s of grace, noticed on the next 5 s tick.
    t.advance(45);
    expect(ready(t, "node01")?.status).toBe("True");
    t.advance(10);
    expect(ready(t, "node01")).toMatchObject({ status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastTransitionTime: "2026-01-12T08:52:55Z" });
    expect(node(t, "node01").status?.conditions?.every((c) => c.status === "Unknown")).toBe(true);
    expect(taints(t, "node01")).toEqual(["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"]);
    expect(node(t, "node01").spec?.taints?.[1].timeAdded).toBe("2026-01-12T08:52:55Z");
    expect(t.events(node(t, "node01"))).toContain("NodeNotReady: Node node01 status is now: NodeNotReady");
    const pod = t.cluster.store.get<Pod>("Pod", "default", onNode01[0].metadata.name);
    expect(pod.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("False");
    expect(t.events(pod)).toContain("NodeNotReady: Node is not ready");
    const ep = t.cluster.store.get<Endpoints>("Endpoints", "default", "web");
    expect(ep.subsets?.[0].notReadyAddresses?.map((a) => a.nodeName)).toEqual(["node01", "node01"]);

    // Default tolerations: 300 s from the taint (added at 08:52:55; the clock reads 08:53:00).
    t.advance(294);
    expect(podsOf(t.cluster, "app=web").filter((p) => p.metadata.deletionTimestamp)).toEqual([]);
    t.advance(1);
    const terminating = podsOf(t.cluster, "app=web").filter((p) => p.metadata.deletionTimestamp);
    expect(terminating.map((p) => p.metadata.name).sort()).toEqual(onNode01.map((p) => p.metadata.name).sort());
    expect(t.events(terminating[0])).toContain(`TaintManagerEviction: Marking for deletion Pod default/${terminating[0].metadata.name}`);
    expect(terminating[0].status?.conditions?.find((c) => c.type === "DisruptionTarget")).toMatchObject({ status: "True", reason: "DeletionByTaintManager" });
    const running = podsOf(t.cluster, "app=web").filter((p) => !p.metadata.deletionTimestamp);
    expect(running).toHaveLength(4);
    expect(running.every((p) => p.spec.nodeName === "node02")).toBe(true);

    // Stuck Terminating while the node is down; gone once it is back.
    t.advance(120);
    expect(podsOf(t.cluster, "app=web").filter((p) => p.metadata.deletionTimestamp)).toHaveLength(2);
    t.cluster.nodes.get("node01")!.powered = true;
    t.advance(10);
    t.kubelet.resync("node01");
    const n = node(t, "node01");
    t.cluster.store.updateStatus<Node>({ ...n, status: { ...n.status, conditions: n.status?.conditions?.map((c) => ({ ...c, status: c.type === "Ready" ? "True" : "False", lastHeartbeatTime: t.cluster.clock.rfc3339() })) } });
    t.cluster.settle();
    expect(podsOf(t.cluster, "app=web").filter((p) => p.metadata.deletionTimestamp)).toEqual([]);
    expect(taints(t, "node01")).toEqual([]);
  });

  it("cancels the eviction when the node comes back in time", () => {
    const t = withWeb();
    t.cluster.nodes.get("node01")!.powered = false;
    t.advance(100);
    t.cluster.nodes.get("node01")!.powered = true;
    t.advance(10);
    const n = node(t, "node01");
    t.cluster.store.updateStatus<Node>({ ...n, status: { ...n.status, conditions: n.status?.conditions?.map((c) => ({ ...c, status: c.type === "Ready" ? "True" : "False" })) } });
    t.cluster.settle();
    expect(taints(t, "node01")).toEqual([]);
    const pod = podsOf(t.cluster, "app=web").find((p) => p.spec.nodeName === "node01")!;
    expect(t.events(pod)).toContain(`TaintManagerEviction: Cancelling deletion of Pod default/${pod.metadata.name}`);
    t.advance(400);
    expect(podsOf(t.cluster, "app=web").filter((p) => p.metadata.deletionTimestamp)).toEqual([]);
  });

  it("taints nodes by condition and cordon", () => {
    const t = testCluster();
    const n = node(t, "node02");
    t.cluster.store.update<Node>({ ...n, spec: { ...n.spec, unschedulable: true } });
    t.cluster.settle();
    expect(taints(t, "node02")).toEqual(["node.kubernetes.io/unschedulable:NoSchedule"]);
    t.addNode("node03", { ready: false });
    expect(taints(t, "node03")).toEqual(["node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute"]);
  });

  it("deletes the pods of a deleted node after the pod GC quarantine", () => {
    const t = withWeb();
    t.cluster.nodes.get("node01")!.powered = false;
    t.advance(60);
    t.cluster.store.delete("Node", undefined, "node01");
    t.advance(39);
    expect(podsOf(t.cluster, "app=web").filter((p) => p.spec.nodeName === "node01")).toHaveLength(2);
    t.advance(1);
    expect(podsOf(t.cluster, "app=web").filter((p) => p.spec.nodeName === "node01")).toEqual([]);
    expect(podsOf(t.cluster, "app=web")).toHaveLength(4);
  });
});

/**
 * The same through a whole cluster and kubectl: MarkPodsNotReady sets only the pods' Ready
 * condition (READY still counts ready containers, so `kubectl get pods` keeps `1/1`, as upstream's
 * printPod does), endpoints move them to notReadyAddresses, the Node gets one NodeNotReady
 * event from node-controller, and a kubelet that reports again restores the pods' Ready.
 */
describe("a node that stops reporting, seen with kubectl", () => {
  const readyOf = "-o jsonpath='{range .items[*]}{.spec.nodeName}={.status.conditions[?(@.type==\"Ready\")].status} {end}'";
  it.each([
    ["its kubelet stopped", "ssh node01 systemctl stop kubelet", "ssh node01 systemctl start kubelet"],
    ["powered off", "ssh node01 poweroff", undefined],
  ])("%s", async (_name, stop, start) => {
    const cluster = createCluster({ scenario: "three-node-flannel", seed: 1 });
    const sh = cluster.shell();
    const readiness = async () => (await sh.run(`kubectl get pods -l app=web ${readyOf}`)).stdout.trim().split(" ").sort().join(" ");
    await sh.run("kubectl create deployment web --image=nginx:1.27 --replicas=2");
    await sh.run("kubectl expose deployment web --port=80");
    await sh.run("sleep 10");
    expect(await readiness()).toBe("node01=True node02=True");
    await sh.run(stop);
    await sh.run("sleep 60");

    expect((await sh.run("kubectl get nodes node01 --no-headers")).stdout).toMatch(/^node01\s+NotReady\s/);
    expect(await readiness()).toBe("node01=False node02=True");
    expect((await sh.run("kubectl get pods -l app=web -o wide --no-headers")).stdout).toMatch(/^web-\S+\s+1\/1\s+Running\s+0\s+70s\s+\S+\s+node01\s/m);
    expect((await sh.run("kubectl get endpoints web -o jsonpath='{.subsets[0].notReadyAddresses[*].nodeName}/{.subsets[0].addresses[*].nodeName}'")).stdout).toBe("node01/node02");
    const events = (await sh.run("kubectl describe node node01")).stdout.split("\n").filter((l) => l.includes("NodeNotReady"));
    expect(events).toEqual(["  Normal  NodeNotReady    5s     node-controller  Node node01 status is now: NodeNotReady"]);
    expect((await sh.run("kubectl get events --field-selector involvedObject.kind=Pod,reason=NodeNotReady -o name")).stdout.split("\n").filter(Boolean)).toHaveLength(1);

    if (start) {
      await sh.run(start);
      await sh.run("sleep 10");
      expect(await readiness()).toBe("node01=True node02=True");
      expect((await sh.run("kubectl get endpoints web -o jsonpath='{.subsets[0].notReadyAddresses}'")).stdout).toBe("");
    } else {
      // Evicted after 300 s, the pod stays Terminating (nobody confirms), still 1/1.
      await sh.run("sleep 300");
      expect((await sh.run("kubectl get pods -l app=web -o wide --no-headers")).stdout).toMatch(/^web-\S+\s+1\/1\s+Terminating\s+0\s+\S+\s+\S+\s+node01\s/m);
    }
  });
});
