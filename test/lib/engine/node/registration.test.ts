import { describe, expect, it } from "vitest";
import type { Lease, Node } from "@/lib/engine/api";
import { nodeCluster, run } from "./helpers";

const node = (c: ReturnType<typeof nodeCluster>["cluster"], name: string) => c.store.find<Node>("Node", undefined, name)!;
const renewTime = (c: ReturnType<typeof nodeCluster>["cluster"], name: string) => c.store.find<Lease>("Lease", "kube-node-lease", name)!.spec!.renewTime;

describe("node registration", () => {
  const { cluster } = nodeCluster();

  it.each([
    ["controlplane", { "node-role.kubernetes.io/control-plane": "", "node.kubernetes.io/exclude-from-external-load-balancers": "" }, [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }]],
    ["node01", {}, undefined],
  ] as const)("registers %s as kubeadm does", (name, roleLabels, taints) => {
    const n = node(cluster, name);
    expect(n.metadata.labels).toEqual({
      "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", ...roleLabels,
    });
    expect(n.metadata.annotations).toEqual({
      "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
      "node.alpha.kubernetes.io/ttl": "0",
      "volumes.kubernetes.io/controller-managed-attach-detach": "true",
    });
    expect(n.spec?.taints).toEqual(taints);
  });

  it("is NotReady, with the kubelet's message, until its heartbeat sees the CNI configuration", () => {
    // The conflist appeared with the node's pod CIDR, after the last heartbeat: the kubelet still says why it is not ready.
    const ready = () => node(cluster, "node01").status!.conditions!.find((c) => c.type === "Ready")!;
    expect([ready().status, ready().reason, ready().message]).toEqual([
      "False", "KubeletNotReady",
      "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
    ]);
    cluster.advance(10_000);
    expect([ready().status, ready().reason]).toEqual(["True", "KubeletReady"]);
  });

  it("posts capacity, addresses, conditions and node info", () => {
    const s = node(cluster, "node01").status!;
    expect(s.addresses).toEqual([{ type: "InternalIP", address: "172.30.1.3" }, { type: "Hostname", address: "node01" }]);
    expect(s.capacity).toEqual({ cpu: "2", "ephemeral-storage": "20134592Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0", memory: "4010248Ki", pods: "110" });
    expect(s.allocatable).toMatchObject({ cpu: "2", memory: "3907848Ki", pods: "110", "ephemeral-storage": "18556039987" });
    expect(s.conditions!.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ["MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"],
      ["DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
      ["PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"],
      ["Ready", "True", "KubeletReady", "kubelet is posting ready status"],
    ]);
    expect(s.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
    expect(s.nodeInfo).toMatchObject({
      architecture: "amd64", containerRuntimeVersion: "containerd://1.7.24", kernelVersion: "5.15.0-1071-kvm", kubeletVersion: "v1.32.4",
      operatingSystem: "linux", osImage: "Ubuntu 22.04.5 LTS",
    });
    expect(s.nodeInfo!.machineID).toMatch(/^[0-9a-f]{32}$/);
    expect(s.nodeInfo!.bootID).toMatch(/^[0-9a-f-]{36}$/);
    expect((s.images as { names: string[] }[]).map((i) => i.names[1])).toEqual(["registry.k8s.io/kube-proxy:v1.32.4", "registry.k8s.io/pause:3.10"]);
  });

  it("keeps uname -r and the node's kernelVersion the same", async () => {
    const c = nodeCluster();
    expect(await run(c.shell("node02"), "uname -r")).toBe(`${node(c.cluster, "node02").status!.nodeInfo!.kernelVersion}\n`);
  });

  it("registers schedulable control planes without the taint, with scenario labels and taints", () => {
    const c = nodeCluster({
      name: "custom",
      nodes: [
        { name: "controlplane", role: "control-plane", ip: "172.30.1.2", schedulable: true },
        { name: "node01", role: "worker", ip: "172.30.1.3", labels: { disk: "ssd" }, taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] },
      ],
      network: { podCidr: "10.244.0.0/16" },
      cni: { plugin: "flannel" },
      runtime: "docker",
    });
    expect(node(c.cluster, "controlplane").spec?.taints).toBeUndefined();
    expect(node(c.cluster, "node01").metadata.labels?.disk).toBe("ssd");
    expect(node(c.cluster, "node01").spec?.taints).toEqual([{ key: "dedicated", value: "gpu", effect: "NoSchedule" }]);
    expect(node(c.cluster, "node01").status?.nodeInfo?.containerRuntimeVersion).toBe("docker://27.4.1");
    expect(node(c.cluster, "node01").metadata.annotations?.["kubeadm.alpha.kubernetes.io/cri-socket"]).toBe("unix:///var/run/cri-dockerd.sock");
  });

  it("is deterministic for a seed", () => {
    const a = nodeCluster("three-node-calico", 3);
    const b = nodeCluster("three-node-calico", 3);
    expect(node(a.cluster, "node01").status!.nodeInfo).toEqual(node(b.cluster, "node01").status!.nodeInfo);
    expect(node(a.cluster, "node01").metadata.uid).toBe(node(b.cluster, "node01").metadata.uid);
  });
});

describe("leases and heartbeats", () => {
  it("creates a lease owned by the node and renews it every 10 s", () => {
    const { cluster } = nodeCluster();
    const lease = cluster.store.find<Lease>("Lease", "kube-node-lease", "node01")!;
    expect(lease.spec).toEqual({ holderIdentity: "node01", leaseDurationSeconds: 40, renewTime: "2026-01-12T08:52:00.000000Z" });
    expect(lease.metadata.ownerReferences?.[0]).toMatchObject({ kind: "Node", name: "node01", uid: node(cluster, "node01").metadata.uid });
    cluster.advance(25_000);
    expect(renewTime(cluster, "node01")).toBe("2026-01-12T08:52:20.000000Z");
  });

  it.each([
    ["systemctl stop kubelet", "systemctl start kubelet"],
    ["poweroff", undefined],
  ])("stops renewing after `%s` and resumes when the kubelet runs again", async (stop, start) => {
    const c = nodeCluster();
    const sh = c.shell("controlplane");
    await run(sh, "ssh node01", stop);
    const stoppedAt = renewTime(c.cluster, "node01");
    c.cluster.advance(60_000);
    expect(renewTime(c.cluster, "node01")).toBe(stoppedAt);
    if (start) await run(c.shell("node01"), start);
    else c.agents.node("node01")!.powerOn();
    expect(renewTime(c.cluster, "node01")).toBe("2026-01-12T08:53:00.000000Z");
    c.cluster.advance(10_000);
    expect(renewTime(c.cluster, "node01")).toBe("2026-01-12T08:53:10.000000Z");
  });

  it("reports Ready again after the node lifecycle controller marked it Unknown", () => {
    const { cluster, agents } = nodeCluster();
    agents.node("node02")!.setUnit("kubelet", "inactive");
    const n = node(cluster, "node02");
    cluster.store.updateStatus<Node>({ ...n, status: { ...n.status, conditions: n.status!.conditions!.map((c) => ({ ...c, status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." })) } });
    agents.node("node02")!.setUnit("kubelet", "active");
    const ready = node(cluster, "node02").status!.conditions!.find((c) => c.type === "Ready")!;
    expect(ready).toMatchObject({ status: "True", reason: "KubeletReady", lastTransitionTime: "2026-01-12T08:52:00Z" });
  });

  it("goes NotReady when containerd is down", async () => {
    const c = nodeCluster();
    await run(c.shell("node01"), "systemctl stop containerd");
    c.cluster.advance(10_000);
    expect(node(c.cluster, "node01").status!.conditions!.find((x) => x.type === "Ready")).toMatchObject({ status: "False", reason: "KubeletNotReady", message: "container runtime is down" });
  });
});
