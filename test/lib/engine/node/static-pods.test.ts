import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { summarizePod, type Pod } from "@/lib/engine/api";
import { nodeCluster, run } from "./helpers";

const COMPONENTS = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"];

describe("kubeadm's static pod manifests", () => {
  const { cluster } = nodeCluster();
  const fs = cluster.nodes.get("controlplane")!.fs;

  it("writes the four manifests on the control plane only", () => {
    expect(fs.list("/etc/kubernetes/manifests")).toEqual(COMPONENTS.map((c) => `${c}.yaml`));
    expect(cluster.nodes.get("node01")!.fs.list("/etc/kubernetes/manifests")).toEqual([]);
  });

  it.each([
    ["kube-apiserver", ["--advertise-address=172.30.1.2", "--service-cluster-ip-range=10.96.0.0/12", "--etcd-servers=https://127.0.0.1:2379", "--secure-port=6443", "--authorization-mode=Node,RBAC"], "registry.k8s.io/kube-apiserver:v1.32.4"],
    ["etcd", ["--listen-client-urls=https://127.0.0.1:2379,https://172.30.1.2:2379", "--initial-cluster=controlplane=https://172.30.1.2:2380", "--data-dir=/var/lib/etcd"], "registry.k8s.io/etcd:3.5.16-0"],
    ["kube-controller-manager", ["--allocate-node-cidrs=true", "--cluster-cidr=10.244.0.0/16", "--bind-address=127.0.0.1"], "registry.k8s.io/kube-controller-manager:v1.32.4"],
    ["kube-scheduler", ["--kubeconfig=/etc/kubernetes/scheduler.conf", "--leader-elect=true"], "registry.k8s.io/kube-scheduler:v1.32.4"],
  ])("%s has kubeadm's flags and image", (name, flags, image) => {
    const doc = parse(fs.readFile(`/etc/kubernetes/manifests/${name}.yaml`)) as Pod;
    expect(doc.metadata).toMatchObject({ creationTimestamp: null, labels: { component: name, tier: "control-plane" }, name, namespace: "kube-system" });
    expect(doc.spec.containers[0].command).toEqual(expect.arrayContaining([name, ...flags]));
    expect(doc.spec.containers[0].image).toBe(image);
    expect(doc.spec).toMatchObject({ hostNetwork: true, priority: 2000001000, priorityClassName: "system-node-critical" });
  });

  it("lays out YAML as kubeadm does", () => {
    expect(fs.readFile("/etc/kubernetes/manifests/kube-scheduler.yaml").split("\n").slice(0, 16).join("\n")).toBe(`apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    component: kube-scheduler
    tier: control-plane
  name: kube-scheduler
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-scheduler
    - --authentication-kubeconfig=/etc/kubernetes/scheduler.conf
    - --authorization-kubeconfig=/etc/kubernetes/scheduler.conf
    - --bind-address=127.0.0.1`);
  });
});

describe("static pods", () => {
  it("runs each manifest as a mirror pod owned by the node", () => {
    const { cluster, get, agents } = nodeCluster();
    cluster.advance(2_000);
    const node = cluster.store.find("Node", undefined, "controlplane")!;
    for (const c of COMPONENTS) {
      const mirror = get(`${c}-controlplane`, "kube-system");
      expect(summarizePod(mirror).reason, c).toBe("Running");
      expect(mirror.metadata.ownerReferences).toEqual([{ apiVersion: "v1", kind: "Node", name: "controlplane", uid: node.metadata.uid, controller: true }]);
      expect(mirror.metadata.annotations).toMatchObject({ "kubernetes.io/config.source": "file", "kubernetes.io/config.seen": "2026-01-12T08:52:00.000000000Z" });
      const hash = mirror.metadata.annotations!["kubernetes.io/config.hash"];
      expect(hash).toMatch(/^[0-9a-f]{32}$/);
      expect(mirror.metadata.annotations!["kubernetes.io/config.mirror"]).toBe(hash);
      expect(mirror.spec).toMatchObject({ nodeName: "controlplane", hostNetwork: true, priorityClassName: "system-node-critical", tolerations: [{ operator: "Exists", effect: "NoExecute" }] });
      expect(mirror.spec.serviceAccountName).toBeUndefined();
      expect(mirror.status!.podIP).toBe("172.30.1.2");
      expect(agents.componentRunning(c as "etcd")).toBe(true);
    }
    expect(get("kube-apiserver-controlplane", "kube-system").metadata.annotations!["kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint"]).toBe("172.30.1.2:6443");
  });

  it("stops the scheduler when its manifest is moved away, and starts it when it comes back", async () => {
    const { cluster, get, agents, shell } = nodeCluster();
    cluster.advance(2_000);
    const changes: string[] = [];
    agents.onComponentChange({ componentChanged: (c, running) => changes.push(`${c}=${running}`) });
    const sh = shell();
    await run(sh, "mv /etc/kubernetes/manifests/kube-scheduler.yaml /tmp/", "sleep 2");
    expect(get("kube-scheduler-controlplane", "kube-system")).toBeUndefined();
    expect(agents.componentRunning("kube-scheduler")).toBe(false);
    expect(await run(sh, "crictl ps --name kube-scheduler -q")).toBe("");
    await run(sh, "mv /tmp/kube-scheduler.yaml /etc/kubernetes/manifests/", "sleep 2");
    expect(summarizePod(get("kube-scheduler-controlplane", "kube-system")).reason).toBe("Running");
    expect(changes).toEqual(["kube-scheduler=false", "kube-scheduler=true"]);
  });

  it("notices a manifest change at once, as inotify tells the real kubelet, not at its next relist", async () => {
    const { cluster, get, shell } = nodeCluster();
    cluster.advance(2_000);
    const sh = shell();
    await sh.run("mv /etc/kubernetes/manifests/kube-scheduler.yaml /tmp/");
    expect(get("kube-scheduler-controlplane", "kube-system")).toBeDefined();
    cluster.advance(1);
    // The kubelet reread the directory 1 ms later: the scheduler is stopping (its grace period runs).
    const journal = (await sh.run("journalctl -u kubelet | tail -3")).stdout;
    expect(journal).toContain('"SyncLoop REMOVE" source="file" pods=["kube-system/kube-scheduler-controlplane"]');
  });

  it("relists the manifest directory every 20 s while nothing changes it", () => {
    const { cluster, agents } = nodeCluster();
    cluster.advance(2_000);
    const kubelet = agents.node("controlplane")!.kubelet;
    let polls = 0;
    const poll = kubelet.pollStaticPods.bind(kubelet);
    kubelet.pollStaticPods = () => (polls++, poll());
    cluster.advance(60_000);
    expect(polls).toBe(3);
  });

  it("recreates a deleted mirror pod without restarting the static pod", () => {
    const { cluster, get } = nodeCluster();
    cluster.advance(2_000);
    const before = get("etcd-controlplane", "kube-system");
    cluster.store.delete("Pod", "kube-system", "etcd-controlplane");
    cluster.advance(1_000);
    const after = get("etcd-controlplane", "kube-system");
    expect(after.metadata.uid).not.toBe(before.metadata.uid);
    expect(after.status!.containerStatuses![0].containerID).toBe(before.status!.containerStatuses![0].containerID);
  });

  it("crash-loops a static pod whose command the image lacks, as runc reports", async () => {
    const { cluster, get, shell } = nodeCluster();
    const sh = shell();
    await run(sh, "sed -i 's/- kube-scheduler$/- kube-schedulerr/' /etc/kubernetes/manifests/kube-scheduler.yaml", "sleep 15");
    const pod = get("kube-scheduler-controlplane", "kube-system");
    expect(summarizePod(pod).reason).toBe("CrashLoopBackOff");
    expect(pod.status!.containerStatuses![0].lastState!.terminated).toMatchObject({
      exitCode: 128,
      reason: "StartError",
      message: 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "kube-schedulerr": executable file not found in $PATH: unknown',
    });
    void cluster;
  });
});
