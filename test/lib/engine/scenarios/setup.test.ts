// A scenario's `setup`: breakage done at boot, right after the manifests, that every fork starts with.
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";
import { loadScenario, ScenarioError } from "@/lib/engine/scenarios";

const CONFLIST = "/etc/cni/net.d/10-flannel.conflist";

/** flannel on three nodes, a pod pinned to node02, and node02's CNI configuration gone. */
const BROKEN = {
  base: "three-node-flannel",
  name: "no-cni-on-node02",
  manifests: [
    "apiVersion: v1",
    "kind: Pod",
    "metadata: { name: pinned, namespace: default }",
    "spec:",
    "  nodeName: node02",
    "  containers: [{ name: c, image: busybox:1.37, command: [sleep, infinity] }]",
  ].join("\n"),
  setup: [{ node: "node02", remove: [CONFLIST] }],
};

describe("scenario setup", () => {
  it("defaults to nothing", () => {
    expect(loadScenario("three-node-calico").setup).toEqual([]);
  });

  it.each([
    ["a node the scenario does not have", [{ node: "node07", remove: ["/etc/hosts"] }], 'x: setup.0.node: no node "node07" in this scenario'],
    ["a relative path", [{ node: "node01", remove: ["etc/hosts"] }], "x: setup.0.remove.0: must be an absolute path to a file"],
    ["an empty list of files", [{ node: "node01", remove: [] }], "x: setup.0.remove: Too small"],
    ["an unknown action", [{ node: "node01", remove: ["/etc/hosts"], delete: ["/etc/hosts"] }], 'x: setup.0: Unrecognized key: "delete"'],
  ])("rejects %s", (_label, setup, message) => {
    expect(() => loadScenario({ base: "three-node-flannel", name: "x", setup } as never)).toThrow(ScenarioError);
    expect(() => loadScenario({ base: "three-node-flannel", name: "x", setup } as never)).toThrow(message);
  });

  it("removes the files on that node only, before the manifests' pods start", async () => {
    const cluster = createCluster({ spec: BROKEN, seed: 3 });
    const nodes = cluster.internals.nodes;
    expect(nodes.get("node02")!.fs.exists(CONFLIST)).toBe(false);
    expect(nodes.get("node01")!.fs.exists(CONFLIST)).toBe(true);
    const sh = cluster.shell();
    const pod = await sh.run("kubectl get pod pinned");
    expect(pod.stdout).toMatch(/pinned\s+0\/1\s+ContainerCreating/);
    const events = await sh.run("kubectl get events --field-selector involvedObject.name=pinned,reason=NetworkNotReady -o jsonpath='{.items[0].message}'");
    expect(events.stdout).toBe("network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized");
  });

  it("is part of the boot: not in the learner's history, and every fork starts with it", async () => {
    const first = createCluster({ spec: BROKEN, seed: 4 });
    expect((await first.shell().run("history")).stdout).toBe("    1  history\n");
    const fresh = createCluster({ spec: BROKEN, seed: 4, fresh: true });
    for (const cluster of [first, createCluster({ spec: BROKEN, seed: 4 }), fresh]) {
      const ls = await cluster.shell().run("ssh node02 ls /etc/cni/net.d");
      expect(ls.stdout).toBe("");
      expect(ls.exitCode).toBe(0);
    }
  });

  it("refuses a file that is not there at boot, naming the step", () => {
    const spec = { ...BROKEN, name: "typo", setup: [{ node: "node02", remove: ["/etc/cni/net.d/10-calico.conflist"] }] };
    expect(() => createCluster({ spec, seed: 5 })).toThrow("typo: setup.0.remove.0: cannot remove /etc/cni/net.d/10-calico.conflist on node02: No such file or directory");
  });
});
