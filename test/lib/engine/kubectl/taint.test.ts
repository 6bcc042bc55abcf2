import { beforeEach, describe, expect, test } from "vitest";
import type { Node } from "@/lib/engine/api";
import { type Case, expectRun, kubectlCluster } from "./helpers";

/**
 * `kubectl taint` against three Node objects (no controllers run): adding, replacing with
 * --overwrite, removing by key and by key and effect, -l and --all, the printer's operation,
 * the refusals, and the order kubectl leaves the taints in. Argument errors that need no
 * server are also recorded fixtures (test/fixtures/kubectl/core-taint-*.json).
 */
describe("kubectl taint", () => {
  let t: ReturnType<typeof kubectlCluster>;
  const taints = (name: string) =>
    (t.store.get<Node>("Node", undefined, name).spec?.taints ?? []).map((x) => `${x.key}${x.value ? `=${x.value}` : ""}:${x.effect}`);
  beforeEach(() => {
    t = kubectlCluster();
    const node = (name: string, extra: Partial<Node["spec"]> = {}) =>
      t.store.create<Node>({ apiVersion: "v1", kind: "Node", metadata: { name, labels: { "kubernetes.io/hostname": name } }, spec: { ...extra } });
    node("controlplane", { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] });
    node("node01");
    node("node02", { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }, { key: "dedicated", value: "db", effect: "NoExecute" }] });
  });

  // [name, command line, expected output, node, its taints afterwards]
  const cases: [...Case, string, string[]][] = [
    ["key=value:effect", "kubectl taint nodes node01 dedicated=web:NoSchedule", { stdout: "node/node01 tainted\n", exitCode: 0 }, "node01", ["dedicated=web:NoSchedule"]],
    ["key:effect, no value", "kubectl taint node node01 gpu:PreferNoSchedule", { stdout: "node/node01 tainted\n" }, "node01", ["gpu:PreferNoSchedule"]],
    ["added taints come first", "kubectl taint no controlplane a:NoExecute", { stdout: "node/controlplane tainted\n" }, "controlplane", ["a:NoExecute", "node-role.kubernetes.io/control-plane:NoSchedule"]],
    [
      "the same key and effect without --overwrite",
      "kubectl taint nodes controlplane node-role.kubernetes.io/control-plane:NoSchedule",
      { stdout: "", stderr: "error: node controlplane already has node-role.kubernetes.io/control-plane taint(s) with same effect(s) and --overwrite is false\n", exitCode: 1 },
      "controlplane",
      ["node-role.kubernetes.io/control-plane:NoSchedule"],
    ],
    ["--overwrite replaces the value", "kubectl taint nodes node02 dedicated=web:NoSchedule --overwrite", { stdout: "node/node02 modified\n" }, "node02", ["dedicated=web:NoSchedule", "dedicated=db:NoExecute"]],
    ["key:effect- removes that one", "kubectl taint nodes node02 dedicated:NoExecute-", { stdout: "node/node02 untainted\n" }, "node02", ["dedicated=db:NoSchedule"]],
    ["key- removes every effect", "kubectl taint nodes node02 dedicated-", { stdout: "node/node02 untainted\n" }, "node02", []],
    ["the control-plane taint comes off", "kubectl taint node controlplane node-role.kubernetes.io/control-plane:NoSchedule-", { stdout: "node/controlplane untainted\n" }, "controlplane", []],
    ["adding and removing at once", "kubectl taint nodes node02 dedicated:NoExecute- gpu:NoSchedule", { stdout: "node/node02 modified\n" }, "node02", ["gpu:NoSchedule", "dedicated=db:NoSchedule"]],
    ["removing what is not there", "kubectl taint nodes node01 dedicated-", { stdout: "", stderr: 'error: taint "dedicated" not found\n', exitCode: 1 }, "node01", []],
    ["removing by effect what is not there", "kubectl taint nodes node02 dedicated:PreferNoSchedule-", { stderr: 'error: taint "dedicated:PreferNoSchedule" not found\n', exitCode: 1 }, "node02", ["dedicated=db:NoSchedule", "dedicated=db:NoExecute"]],
    ["a client dry run changes nothing", "kubectl taint nodes node01 a:NoSchedule --dry-run=client", { stdout: "node/node01 tainted (dry run)\n" }, "node01", []],
    ["a server dry run changes nothing", "kubectl taint nodes node01 a:NoSchedule --dry-run=server", { stdout: "node/node01 tainted (server dry run)\n" }, "node01", []],
    ["-o jsonpath prints the node", "kubectl taint nodes node01 a=b:NoSchedule -o jsonpath='{.spec.taints[0].value}'", { stdout: "b" }, "node01", ["a=b:NoSchedule"]],
    ["-l selects nodes", "kubectl taint nodes -l kubernetes.io/hostname=node01 a:NoSchedule", { stdout: "node/node01 tainted\n" }, "node01", ["a:NoSchedule"]],
    ["--all takes every node", "kubectl taint nodes --all a:NoSchedule", { stdout: "node/controlplane tainted\nnode/node01 tainted\nnode/node02 tainted\n" }, "node02", ["a:NoSchedule", "dedicated=db:NoSchedule", "dedicated=db:NoExecute"]],
    [
      "one node refused, the next one tainted",
      "kubectl taint nodes node02 node01 dedicated=x:NoSchedule",
      { stdout: "node/node01 tainted\n", stderr: "error: node node02 already has dedicated taint(s) with same effect(s) and --overwrite is false\n", exitCode: 1 },
      "node01",
      ["dedicated=x:NoSchedule"],
    ],
    ["a missing node", "kubectl taint nodes nope a:NoSchedule", { stderr: 'Error from server (NotFound): nodes "nope" not found\n', exitCode: 1 }, "node01", []],
    ["only nodes", "kubectl taint pods web a:NoSchedule", { stderr: "error: invalid resource type pods, only node types are supported\n", exitCode: 1 }, "node01", []],
    ["an unknown type", "kubectl taint foo bar a:NoSchedule", { stderr: 'error: the server doesn\'t have a resource type "foo"\n', exitCode: 1 }, "node01", []],
    ["no node named", "kubectl taint nodes a:NoSchedule", { stderr: "error: at least one resource name must be specified since 'all' parameter is not set\n", exitCode: 1 }, "node01", []],
    ["--all with a selector", "kubectl taint nodes --all -l a=b a:NoSchedule", { stderr: "error: setting 'all' parameter with a non empty selector is prohibited\n", exitCode: 1 }, "node01", []],
    [
      "modify and remove the same taint",
      "kubectl taint nodes node01 a:NoSchedule a-",
      { stderr: 'error: can not both modify and remove the following taint(s) in the same command: {"a":""}\n', exitCode: 1 },
      "node01",
      [],
    ],
    [
      "an invalid effect",
      "kubectl taint nodes node01 a=b:NoRun",
      { stderr: "error: invalid taint effect: NoRun, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n", exitCode: 1 },
      "node01",
      [],
    ],
  ];
  test.each(cases)("%s", async (_name, input, expected, node, after) => {
    await expectRun(t.sh, input, expected);
    expect(taints(node)).toEqual(after);
  });

  test("completes node, then node names", () => {
    expect(t.sh.complete("kubectl taint ", 14).candidates).toEqual(["node"]);
    expect(t.sh.complete("kubectl taint node n", 20).candidates).toEqual(["node01", "node02"]);
  });
});
