import { describe, expect, test } from "vitest";
import type { Controller } from "@/lib/engine/cluster/controller";
import { selfKey, splitKey } from "@/lib/engine/cluster/controller";
import { type Case, expectRun, kubectlCluster } from "./helpers";

/** A stand-in kubelet: a pod marked for deletion is gone 3 virtual seconds later. */
const stopper: Controller = {
  name: "test-kubelet",
  watches: [{ kind: "Pod", keys: selfKey }],
  reconcile(key, ctx) {
    const { namespace, name } = splitKey(key);
    const pod = ctx.store.find("Pod", namespace, name);
    if (!pod?.metadata.deletionTimestamp) return;
    const due = Date.parse(pod.metadata.deletionTimestamp) - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000 + 3_000;
    if (ctx.clock.now() < due) ctx.requeueAfter(key, due - ctx.clock.now());
    else ctx.store.delete("Pod", namespace, name, { gracePeriodSeconds: 0 });
  },
};

function cluster() {
  const env = kubectlCluster();
  env.cluster.register(stopper);
  const pod = (name: string, labels: Record<string, string> = {}) =>
    env.store.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", labels }, spec: { nodeName: "node01", containers: [{ name: "c", image: "busybox" }] } });
  return { ...env, pod };
}

describe("kubectl delete", () => {
  test("waits until the kubelet has finished with a bound pod, in virtual time", async () => {
    const { sh, pod, store, cluster: c } = cluster();
    pod("web");
    const before = c.clock.now();
    await expectRun(sh, "kubectl delete pod web", { stdout: 'pod "web" deleted\n', exitCode: 0 });
    expect(store.find("Pod", "default", "web")).toBeUndefined();
    expect(c.clock.now() - before).toBe(3_000);
  });

  test("--wait=false returns at once and leaves the pod terminating", async () => {
    const { sh, pod, store } = cluster();
    pod("web");
    await expectRun(sh, "kubectl delete pod web --wait=false", { stdout: 'pod "web" deleted\n' });
    expect(store.get("Pod", "default", "web").metadata.deletionTimestamp).toBeDefined();
  });

  test("--force --grace-period=0 warns and removes the pod immediately", async () => {
    const { sh, pod, store } = cluster();
    pod("web");
    await expectRun(sh, "kubectl delete pod web --force --grace-period=0", {
      stdout: 'pod "web" deleted\n',
      stderr: "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n",
    });
    expect(store.find("Pod", "default", "web")).toBeUndefined();
  });

  test("--grace-period and --now set the period the pod is marked with", async () => {
    const { sh, pod, store } = cluster();
    pod("a");
    pod("b");
    await sh.run("kubectl delete pod a --grace-period=7 --wait=false && kubectl delete pod b --now --wait=false");
    expect(store.get("Pod", "default", "a").metadata.deletionGracePeriodSeconds).toBe(7);
    expect(store.get("Pod", "default", "b").metadata.deletionGracePeriodSeconds).toBe(1);
  });

  test("--cascade=orphan leaves the dependents to the garbage collector's orphan finalizer", async () => {
    const { sh, store } = cluster();
    await sh.run("kubectl create deployment web --image=nginx");
    await expectRun(sh, "kubectl delete deploy web --cascade=orphan --wait=false", { stdout: 'deployment.apps "web" deleted\n' });
    expect(store.get("Deployment", "default", "web").metadata.finalizers).toEqual(["orphan"]);
  });

  test("a directory holding a namespace and its contents, applied and deleted", async () => {
    const { sh, fs } = cluster();
    fs.writeFile("/root/m/0-ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n", { parents: true });
    fs.writeFile("/root/m/1-cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: shop\n");
    fs.writeFile("/root/m/sub/x.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n", { parents: true });
    fs.writeFile("/root/m/readme.txt", "not a manifest\n");
    await expectRun(sh, "kubectl apply -f m/", { stdout: "namespace/shop created\nconfigmap/cfg created\n" });
    await expectRun(sh, "kubectl apply -R -f m", { stdout: "namespace/shop unchanged\nconfigmap/cfg unchanged\nconfigmap/deep created\n" });
    await expectRun(sh, "kubectl delete -f m/", { stdout: 'namespace "shop" deleted\nconfigmap "cfg" deleted\n', exitCode: 0 });
  });

  const { sh, pod, fs } = cluster();
  pod("a", { app: "x" });
  pod("b", { app: "x" });
  pod("c", { app: "y" });
  fs.writeFile("/root/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-file\n");
  const cases: Case[] = [
    ["by label", "kubectl delete pods -l app=x", { stdout: 'pod "a" deleted\npod "b" deleted\n' }],
    ["client dry run", "kubectl delete pod c --dry-run=client", { stdout: 'pod "c" deleted (dry run)\n' }],
    ["-o name", "kubectl delete pod c -o name", { stdout: "pod/c\n" }],
    ["nothing left", "kubectl delete pods --all", { stdout: "No resources found\n" }],
    ["a missing name", "kubectl delete pod nope", { stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 }],
    ["--ignore-not-found", "kubectl delete pod nope --ignore-not-found", { stdout: "", stderr: "", exitCode: 0 }],
    ["a type without names", "kubectl delete pods", { stderr: "error: resource(s) were provided, but no name was specified\n", exitCode: 1 }],
    ["-f", "kubectl create -f cm.yaml >/dev/null && kubectl delete -f cm.yaml", { stdout: 'configmap "from-file" deleted\n' }],
    ["-f of something gone", "kubectl delete -f cm.yaml", { stderr: 'Error from server (NotFound): configmaps "from-file" not found\n', exitCode: 1 }],
    ["-o yaml is refused", "kubectl delete pod x -o yaml", { stderr: "error: unexpected -o output mode: yaml. We only support '-o name'\n", exitCode: 1 }],
    ["--force with a long grace period", "kubectl delete pod x --force --grace-period=5", { stderr: "error: --force and --grace-period greater than 0 cannot be specified together\n", exitCode: 1 }],
    ["a cluster-scoped kind with -n", "kubectl create ns gone >/dev/null && kubectl delete ns gone -n default", { stdout: 'namespace "gone" deleted\n', stderr: "warning: deleting cluster-scoped resources, not scoped to the provided namespace\n" }],
    ["a namespace that may not go", "kubectl delete ns default", { stderr: 'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted\n', exitCode: 1 }],
  ];
  test.each(cases)("%s", async (_name, input, expected) => {
    await expectRun(sh, input, expected);
  });
});
