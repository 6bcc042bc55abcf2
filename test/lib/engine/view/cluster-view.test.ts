import { describe, expect, it } from "vitest";
import { clusterView, createCluster, type ClusterView } from "@/lib/engine";

/** `kubectl get … -o wide` as rows of cells (the header dropped). */
async function table(sh: ReturnType<ReturnType<typeof createCluster>["shell"]>, line: string): Promise<string[][]> {
  const { stdout, exitCode } = await sh.run(line);
  expect(exitCode).toBe(0);
  return stdout.trimEnd().split("\n").slice(1).map((row) => row.split(/\s{2,}/));
}

const podNamed = (view: ClusterView, name: string) => view.pods.find((p) => p.name === name);

describe("clusterView", () => {
  it("describes the nodes as kubectl get nodes does, with their pod CIDRs and taints", async () => {
    const cluster = createCluster({ scenario: "three-node-calico", seed: 1 });
    const view = clusterView(cluster);
    const rows = await table(cluster.shell(), "kubectl get nodes -o wide");
    expect(view.nodes.map((n) => [n.name, n.status, n.roles.join(",") || "<none>", n.internalIP])).toEqual(rows.map((r) => [r[0], r[1], r[2], r[5]]));
    expect(view.nodes.map((n) => n.ready)).toEqual([true, true, true]);
    expect(view.nodes.map((n) => n.podCIDR)).toEqual(["192.168.0.0/24", "192.168.1.0/24", "192.168.2.0/24"]);
    expect(view.nodes[0].taints).toEqual([{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }]);
  });

  it("follows a cordoned node and a stopped kubelet", async () => {
    const cluster = createCluster({ scenario: "three-node-calico", seed: 1 });
    const sh = cluster.shell();
    await sh.run("kubectl cordon node01");
    await sh.run("ssh node02 systemctl stop kubelet");
    await sh.run("sleep 60");
    const [, node01, node02] = clusterView(cluster).nodes;
    expect(node01).toMatchObject({ status: "Ready,SchedulingDisabled", unschedulable: true, ready: true });
    expect(node01.taints).toContainEqual({ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" });
    expect(node02).toMatchObject({ status: "NotReady", ready: false });
  });

  it("lists every pod with its node, IP, owner and the READY and STATUS kubectl prints", async () => {
    const cluster = createCluster({ scenario: "three-node-calico", seed: 1 });
    const sh = cluster.shell();
    await sh.run("kubectl create deployment web --image=nginx --replicas=3");
    await sh.run("sleep 1");
    // Mid-start: some pods are still ContainerCreating, and the view says so as kubectl does.
    const early = clusterView(cluster);
    const earlyRows = await table(sh, "kubectl get pods -o wide");
    for (const row of earlyRows) expect(podNamed(early, row[0])).toMatchObject({ ready: row[1], status: row[2] });
    await sh.run("sleep 30");
    const view = clusterView(cluster);
    const rows = await table(sh, "kubectl get pods -A -o wide");
    expect(view.pods.map((p) => [p.namespace, p.name, p.ready, p.status, p.ip, p.node])).toEqual(rows.map((r) => [r[0], r[1], r[2], r[3], r[6], r[7]]));
    const web = view.pods.filter((p) => p.name.startsWith("web-"));
    expect(web).toHaveLength(3);
    for (const pod of web) {
      expect(pod).toMatchObject({ namespace: "default", phase: "Running", isReady: true, hostNetwork: false, app: "web", owner: { kind: "ReplicaSet" } });
      expect(pod.owner!.name).toMatch(/^web-[a-z0-9]+$/);
      expect(pod.ip).toMatch(/^192\.168\./);
    }
    const proxy = view.pods.find((p) => p.name.startsWith("kube-proxy-"))!;
    expect(proxy).toMatchObject({ hostNetwork: true, owner: { kind: "DaemonSet", name: "kube-proxy" }, app: "kube-proxy" });
    expect(podNamed(view, "etcd-controlplane")).toMatchObject({ owner: { kind: "Node", name: "controlplane" }, ip: "172.30.1.2" });
  });

  it("gives each Service its endpoints from the EndpointSlices, ready or not, with their pods", async () => {
    const cluster = createCluster({ scenario: "three-node-calico", seed: 1 });
    const sh = cluster.shell();
    await sh.run("kubectl create deployment web --image=nginx --replicas=2");
    await sh.run("kubectl expose deployment web --port=80 --type=NodePort");
    // A pod the Service selects whose container keeps failing: a not-ready endpoint.
    await sh.run("kubectl run broken --image=busybox --labels=app=web -- false");
    await sh.run("sleep 40");
    const view = clusterView(cluster);
    const [svc] = await table(sh, "kubectl get service web");
    const web = view.services.find((s) => s.name === "web")!;
    expect([web.name, web.type, web.clusterIP, web.externalIP, web.ports]).toEqual(svc.slice(0, 5));
    expect(web.ports).toMatch(/^80:3\d{4}\/TCP$/);
    const byPod = new Map(web.endpoints.map((e) => [e.pod?.name, e]));
    const broken = podNamed(view, "broken")!;
    expect(broken.isReady).toBe(false);
    expect(byPod.get("broken")).toEqual({ address: broken.ip, ready: false, serving: false, terminating: false, pod: { namespace: "default", name: "broken" }, node: broken.node });
    const running = view.pods.filter((p) => p.name.startsWith("web-"));
    for (const pod of running) expect(byPod.get(pod.name)).toMatchObject({ address: pod.ip, ready: true, node: pod.node });
    expect(web.endpoints).toHaveLength(3);
    // The apiserver's own Service: an endpoint that is a node's address, not a pod.
    const kubernetes = view.services.find((s) => s.namespace === "default" && s.name === "kubernetes")!;
    expect(kubernetes.endpoints).toEqual([{ address: "172.30.1.2", ready: true, serving: true, terminating: false, pod: null, node: null }]);
  });

  it("keeps its version while nothing visible changes, and changes it when something does", async () => {
    const cluster = createCluster({ scenario: "single-node", seed: 3 });
    const sh = cluster.shell();
    const first = clusterView(cluster);
    await sh.run("echo quiet > /tmp/x");
    expect(clusterView(cluster).version).toBe(first.version);
    await sh.run("kubectl create deployment web --image=nginx");
    await sh.run("true", { elapsedMs: 1_000 });
    const second = clusterView(cluster);
    expect(second.version).not.toBe(first.version);
    expect(JSON.parse(JSON.stringify(second))).toEqual(second);
    expect(structuredClone(second)).toEqual(second);
  });

  it("is the same for the same scenario, seed and commands", async () => {
    const views = [];
    for (let i = 0; i < 2; i++) {
      const cluster = createCluster({ scenario: "three-node-flannel", seed: 9 });
      await cluster.shell().run("kubectl create deployment web --image=nginx --replicas=4; sleep 20");
      views.push(clusterView(cluster));
    }
    expect(views[1]).toEqual(views[0]);
  });
});

describe("clusterView trace", () => {
  /** A cluster with two nginx pods; returns it, its shell and the pods' IPs. */
  async function withServers() {
    const cluster = createCluster({ scenario: "three-node-calico", seed: 1 });
    const sh = cluster.shell();
    await sh.run("kubectl create deployment web --image=nginx --replicas=2; sleep 20");
    const web = clusterView(cluster).pods.filter((p) => p.name.startsWith("web-"));
    return { cluster, sh, web };
  }

  it("is null before any program has connected anywhere", () => {
    expect(clusterView(createCluster({ scenario: "three-node-calico", seed: 1 })).trace).toBeNull();
  });

  it("shows each namespace the packet crossed, from the sender to the pod that answered", async () => {
    const { cluster, sh, web } = await withServers();
    await sh.run(`kubectl run probe --image=curlimages/curl --restart=Never -- curl -s ${web[0].ip}`);
    await sh.run("sleep 15");
    const probe = podNamed(clusterView(cluster), "probe")!;
    const trace = clusterView(cluster).trace!;
    expect(trace).toMatchObject({ seq: 1, protocol: "TCP", target: { host: web[0].ip, port: 80 }, outcome: "connected" });
    const hops = trace.hops;
    expect(hops[0]).toMatchObject({ kind: "pod", node: probe.node, address: probe.ip, pod: { namespace: "default", name: "probe" } });
    expect(hops[0].detail).toContain(`TCP ${probe.ip}:`);
    // The nodes on the way: the sender's, and the server's when it runs elsewhere.
    const nodes = [...new Set([probe.node, web[0].node])];
    expect(hops.slice(1, -1).map((h) => [h.kind, h.node])).toEqual(nodes.map((n) => ["host", n]));
    expect(hops.at(-1)).toMatchObject({ kind: "pod", node: web[0].node, address: web[0].ip, pod: { namespace: "default", name: web[0].name } });
    expect(hops.at(-1)!.detail).toMatch(/^TCP 80 accepted by pid \d+ \(nginx\)$/);
  });

  it("records a refused port at the pod that refused it, and the ICMP error of a router that could not deliver", async () => {
    const { cluster, sh, web } = await withServers();
    await sh.run(`kubectl run refused --image=registry.k8s.io/e2e-test-images/agnhost:2.53 --restart=Never -- connect ${web[1].ip}:8080 --timeout=1s`);
    await sh.run("sleep 15");
    const refused = clusterView(cluster).trace!;
    expect(refused).toMatchObject({ seq: 1, outcome: "refused", target: { host: web[1].ip, port: 8080 } });
    expect(refused.hops[0].pod?.name).toBe("refused");
    expect(refused.hops.at(-1)).toMatchObject({ pod: { name: web[1].name }, detail: "nothing listens on TCP 8080: RST" });
    // An address on the node network nobody has: the node's ARP goes unanswered and its ICMP error comes back.
    await sh.run("kubectl run lost --image=curlimages/curl --restart=Never -- curl -s 172.30.1.77");
    await sh.run("sleep 15");
    const lost = clusterView(cluster).trace!;
    const node = podNamed(clusterView(cluster), "lost")!.node;
    expect(lost).toMatchObject({ seq: 2, outcome: "unreachable", target: { host: "172.30.1.77", port: 80 } });
    expect(lost.hops.map((h) => h.pod?.name ?? h.node)).toEqual(["lost", node, "lost"]);
    expect(lost.hops[1].detail).toContain("no answer for 172.30.1.77 on eth0: neighbour FAILED; 172.30.1.77 does not answer ARP on eth0; sends ICMP host unreachable to");
  });
});
