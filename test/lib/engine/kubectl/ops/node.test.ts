import { describe, expect, it } from "vitest";
import type { DaemonSet, Node, Pod, ReplicaSet } from "@/lib/engine/api";
import type { Controller } from "@/lib/engine/cluster/controller";
import { createPod, expectRun, type Expected, type Fixture, opsFixture } from "./helpers";

/** A stand-in kubelet: a pod marked for deletion is removed once its grace period has passed. */
const terminator: Controller = {
  name: "test-terminator",
  watches: [{ kind: "Pod", keys: (e) => [`${e.object.metadata.namespace}/${e.object.metadata.name}`] }],
  reconcile(key, ctx) {
    const [namespace, name] = key.split("/");
    const pod = ctx.store.find<Pod>("Pod", namespace, name);
    if (!pod?.metadata.deletionTimestamp) return;
    const due = Date.parse(pod.metadata.deletionTimestamp) - ctx.clock.now();
    if (due > 0) ctx.requeueAfter(key, due);
    else ctx.store.delete("Pod", namespace, name, { gracePeriodSeconds: 0 });
  },
};

function daemonSet(f: Fixture, namespace: string, name: string) {
  return f.store.create<DaemonSet>({
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: name }] } } },
  });
}

function replicaSet(f: Fixture, name: string) {
  return f.store.create<ReplicaSet>({
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name, namespace: "default" },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: "nginx" }] } } },
  });
}

/** node01 runs kube-proxy and flannel (DaemonSets) and one web pod of a ReplicaSet; grace periods are 5 s. */
function nodeWithPods(extra: (f: Fixture) => void = () => {}) {
  const f = opsFixture();
  const fast = { terminationGracePeriodSeconds: 5 };
  createPod(f, "kube-proxy-7x9qp", { namespace: "kube-system", node: "node01", owner: daemonSet(f, "kube-system", "kube-proxy"), phase: "Running", extra: fast });
  createPod(f, "kube-flannel-ds-4kz2m", { namespace: "kube-flannel", node: "node01", owner: daemonSet(f, "kube-flannel", "kube-flannel-ds"), phase: "Running", extra: fast });
  createPod(f, "web-5d7f9-abcde", { node: "node01", owner: replicaSet(f, "web-5d7f9"), phase: "Running", extra: fast });
  createPod(f, "etcd-controlplane", { namespace: "kube-system", node: "controlplane", phase: "Running", annotations: { "kubernetes.io/config.mirror": "x" } });
  extra(f);
  return f;
}

const DS_ERROR =
  "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-flannel/kube-flannel-ds-4kz2m, kube-system/kube-proxy-7x9qp";
const DS_WARNING = "Warning: ignoring DaemonSet-managed Pods: kube-flannel/kube-flannel-ds-4kz2m, kube-system/kube-proxy-7x9qp\n";

describe("kubectl cordon and uncordon", () => {
  const cases: [string, string[], Expected][] = [
    ["cordon", ["kubectl cordon node01"], { stdout: "node/node01 cordoned\n", exitCode: 0 }],
    ["cordon twice", ["kubectl cordon node01", "kubectl cordon node01"], { stdout: "node/node01 already cordoned\n", exitCode: 0 }],
    ["uncordon", ["kubectl cordon node01", "kubectl uncordon node01"], { stdout: "node/node01 uncordoned\n" }],
    ["uncordon a schedulable node", ["kubectl uncordon node01"], { stdout: "node/node01 already uncordoned\n" }],
    ["by selector", ["kubectl cordon -l kubernetes.io/os=linux"], { stdout: "node/controlplane cordoned\nnode/node01 cordoned\nnode/node02 cordoned\n" }],
    ["client dry run", ["kubectl cordon node02 --dry-run=client"], { stdout: "node/node02 cordoned (dry run)\n" }],
    ["server dry run", ["kubectl cordon node02 --dry-run=server"], { stdout: "node/node02 cordoned (server dry run)\n" }],
    ["no node", ["kubectl cordon"], { stderr: "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples\n", exitCode: 1 }],
    ["node and selector", ["kubectl uncordon node01 -l a=b"], { stderr: "error: cannot specify both a node name and a --selector option\nSee 'kubectl uncordon -h' for help and examples\n" }],
    ["missing node", ["kubectl cordon node09"], { stderr: 'Error from server (NotFound): nodes "node09" not found\n', exitCode: 1 }],
  ];
  it.each(cases)("%s", async (_name, lines, expected) => {
    const f = opsFixture();
    for (const line of lines.slice(0, -1)) await f.sh.run(line);
    await expectRun(f, lines.at(-1)!, expected);
  });

  it("writes spec.unschedulable, and a dry run does not", async () => {
    const f = opsFixture();
    await f.sh.run("kubectl cordon node02 --dry-run=server");
    expect(f.store.get<Node>("Node", undefined, "node02").spec?.unschedulable).toBeUndefined();
    await f.sh.run("kubectl cordon node02");
    expect(f.store.get<Node>("Node", undefined, "node02").spec?.unschedulable).toBe(true);
    await f.sh.run("kubectl uncordon node02");
    expect(f.store.get<Node>("Node", undefined, "node02").spec).toEqual({});
  });
});

describe("kubectl drain", () => {
  it("refuses DaemonSet pods without --ignore-daemonsets, after cordoning", async () => {
    const f = nodeWithPods();
    await expectRun(f, "kubectl drain node01", {
      stdout: "node/node01 cordoned\n",
      stderr: `error: unable to drain node "node01" due to error: ${DS_ERROR}, continuing command...\nThere are pending nodes to be drained:\n node01\n${DS_ERROR}\n`,
      exitCode: 1,
    });
    expect(f.store.get<Node>("Node", undefined, "node01").spec?.unschedulable).toBe(true);
  });

  it("evicts, waits in virtual time for the pods to go, and reports the node drained", async () => {
    const f = nodeWithPods();
    f.cluster.register(terminator);
    const started = f.clock.now();
    const result = await expectRun(f, "kubectl drain node01 --ignore-daemonsets", {
      stdout: "node/node01 cordoned\nevicting pod default/web-5d7f9-abcde\npod/web-5d7f9-abcde evicted\nnode/node01 drained\n",
      stderr: DS_WARNING,
      exitCode: 0,
    });
    expect(result.output).toBe(`node/node01 cordoned\n${DS_WARNING}evicting pod default/web-5d7f9-abcde\npod/web-5d7f9-abcde evicted\nnode/node01 drained\n`);
    expect(f.clock.now() - started).toBe(5000);
    expect(f.store.find("Pod", "kube-system", "kube-proxy-7x9qp")).toBeDefined();
  });

  const refusals: [string, (f: Fixture) => void, string, Expected][] = [
    [
      "unmanaged pods need --force",
      (f) => createPod(f, "debug", { node: "node01", phase: "Running" }),
      "kubectl drain node01 --ignore-daemonsets",
      { stderr: /due to error: cannot delete Pods that declare no controller \(use --force to override\): default\/debug, continuing/ },
    ],
    [
      "emptyDir pods need --delete-emptydir-data",
      (f) => createPod(f, "cache", { node: "node01", owner: replicaSet(f, "cache"), phase: "Running", extra: { volumes: [{ name: "tmp", emptyDir: {} }] } }),
      "kubectl drain node01 --ignore-daemonsets",
      { stderr: /\ncannot delete Pods with local storage \(use --delete-emptydir-data to override\): default\/cache\n$/ },
    ],
    [
      "several refusals are listed together",
      (f) => createPod(f, "debug", { node: "node01", phase: "Running" }),
      "kubectl drain node01",
      {
        stderr: `error: unable to drain node "node01" due to error: [cannot delete Pods that declare no controller (use --force to override): default/debug, ${DS_ERROR}], continuing command...\nThere are pending nodes to be drained:\n node01\ncannot delete Pods that declare no controller (use --force to override): default/debug\n${DS_ERROR}\n`,
      },
    ],
    [
      "--force warns about unmanaged pods",
      (f) => createPod(f, "debug", { node: "node01", phase: "Running", extra: { terminationGracePeriodSeconds: 5 } }),
      "kubectl drain node01 --ignore-daemonsets --force",
      {
        stderr: "Warning: deleting Pods that declare no controller: default/debug; ignoring DaemonSet-managed Pods: kube-flannel/kube-flannel-ds-4kz2m, kube-system/kube-proxy-7x9qp\n",
        stdout: /evicting pod default\/debug\nevicting pod default\/web-5d7f9-abcde\npod\/debug evicted\npod\/web-5d7f9-abcde evicted\nnode\/node01 drained\n$/,
        exitCode: 0,
      },
    ],
  ];
  it.each(refusals)("%s", async (_name, setup, line, expected) => {
    const f = nodeWithPods(setup);
    f.cluster.register(terminator);
    await expectRun(f, line, { exitCode: expected.exitCode ?? 1, ...expected });
  });

  it("gives up at --timeout with kubectl's pending-pod report", async () => {
    const f = nodeWithPods();
    const reason = 'error when waiting for pod "web-5d7f9-abcde" in namespace "default" to terminate: global timeout reached: 10s';
    await expectRun(f, "kubectl drain node01 --ignore-daemonsets --timeout=10s", {
      stdout: "node/node01 cordoned\nevicting pod default/web-5d7f9-abcde\n",
      stderr: `${DS_WARNING}There are pending pods in node "node01" when an error occurred: ${reason}\npod/web-5d7f9-abcde\nerror: unable to drain node "node01" due to error: ${reason}, continuing command...\nThere are pending nodes to be drained:\n node01\n${reason}\n`,
      exitCode: 1,
    });
  });

  const others: [string, string, Expected][] = [
    [
      "client dry run",
      "kubectl drain node01 --ignore-daemonsets --dry-run=client",
      { stdout: "node/node01 cordoned (dry run)\nevicting pod default/web-5d7f9-abcde (dry run)\nnode/node01 drained (dry run)\n", exitCode: 0 },
    ],
    [
      "server dry run",
      "kubectl drain node01 --ignore-daemonsets --dry-run=server",
      { stdout: "node/node01 cordoned (server dry run)\nevicting pod default/web-5d7f9-abcde (server dry run)\nnode/node01 drained (server dry run)\n", exitCode: 0 },
    ],
    ["a node without pods", "kubectl drain node02", { stdout: "node/node02 cordoned\nnode/node02 drained\n", exitCode: 0 }],
    ["mirror pods are skipped", "kubectl drain controlplane", { stdout: "node/controlplane cordoned\nnode/controlplane drained\n", exitCode: 0 }],
    ["no node", "kubectl drain", { stderr: "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples\n", exitCode: 1 }],
    ["bad pod selector", "kubectl drain node01 --pod-selector='a in'", { stderr: "error: --pod-selector=<pod_selector> must be a valid label selector\n", exitCode: 1 }],
    [
      "deprecated flag",
      "kubectl drain node02 --delete-local-data",
      { stderr: "Flag --delete-local-data has been deprecated, This option is deprecated and will be deleted. Use --delete-emptydir-data.\n", exitCode: 0 },
    ],
  ];
  it.each(others)("%s", async (_name, line, expected) => {
    const f = nodeWithPods();
    f.cluster.register(terminator);
    await expectRun(f, line, expected);
    if (line.includes("dry-run")) expect(f.store.find("Pod", "default", "web-5d7f9-abcde")?.metadata.deletionTimestamp).toBeUndefined();
  });

  it("deletes instead of evicting with --disable-eviction", async () => {
    const f = nodeWithPods();
    f.cluster.register(terminator);
    await expectRun(f, "kubectl drain node01 --ignore-daemonsets --disable-eviction", {
      stdout: "node/node01 cordoned\npod/web-5d7f9-abcde deleted\nnode/node01 drained\n",
      exitCode: 0,
    });
  });
});
