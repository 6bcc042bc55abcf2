import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";
import { CheckSchema, evaluateCheck, type Check } from "@/lib/grading";
import { runsCommands } from "@/lib/grading/evaluate";

function cluster() {
  const c = createCluster({ scenario: "three-node-flannel", seed: 3 });
  c.internals.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app", namespace: "default", labels: { tier: "web" } }, data: { mode: "prod" } });
  c.internals.nodes.get("node01")!.fs.writeFile("/tmp/note", "hello from node01\n");
  for (const node of ["controlplane", "node01"]) c.internals.nodes.get(node)!.fs.writeFile("/tmp/host", "node01\n");
  c.internals.nodes.get("node01")!.fs.writeFile("/tmp/empty", "");
  return c;
}

describe("evaluateCheck", () => {
  it.each<[string, Check, boolean, string?]>([
    ["an object that exists", { object: { kind: "ConfigMap", name: "app" } }, true],
    ["an object with matching fields", { object: { kind: "ConfigMap", name: "app" }, fields: { "data.mode": "prod", "metadata.labels.tier": "web" } }, true],
    ["an object with a wrong field", { object: { kind: "ConfigMap", name: "app" }, fields: { "data.mode": "dev" } }, false, 'app: data.mode is "prod", expected "dev"'],
    ["a missing object", { object: { kind: "ConfigMap", name: "nope" } }, false, "no ConfigMap nope found"],
    ["a cluster-scoped object", { object: { kind: "Namespace", name: "kube-system" } }, true],
    ["an absent object", { absent: { kind: "ConfigMap", name: "nope" } }, true],
    ["a present object that should be absent", { absent: { kind: "ConfigMap", name: "app" } }, false, "still there: app"],
    ["a count by selector", { count: { kind: "ConfigMap", namespace: "default", selector: "tier=web" }, equals: 1 }, true],
    ["a count too low", { count: { kind: "ConfigMap", namespace: "default", selector: "tier=web" }, min: 2 }, false, "found 1"],
    ["a command's output", { command: "hostname", stdout: { equals: "controlplane" } }, true],
    ["a command on another node", { command: "cat /tmp/note", host: "node01", stdout: { contains: "hello" } }, true],
    ["a failing command", { command: "cat /tmp/note" }, false, "exit status 1: cat: /tmp/note: No such file or directory"],
    ["a file's content", { file: { host: "node01", path: "/tmp/note" }, content: { matches: "^hello" } }, true],
    ["any of two", { any: [{ absent: { kind: "ConfigMap", name: "app" } }, { object: { kind: "ConfigMap", name: "app" } }] }, true],
    // equalsOutputOf: the expected text comes from the cluster, computed on the check's node.
    ["a file equal to a command's output on its node", { file: { host: "node01", path: "/tmp/host" }, content: { equalsOutputOf: "hostname" } }, true],
    ["a file that differs from a command's output", { file: { path: "/tmp/host" }, content: { equalsOutputOf: "hostname" } }, false, "it contains: node01"],
    ["a command's output equal to another's", { command: "cat /tmp/note", host: "node01", stdout: { equalsOutputOf: "echo hello from node01" } }, true],
    ["a command's output that differs from another's", { command: "hostname", stdout: { equalsOutputOf: "echo node01" } }, false, "it printed: controlplane"],
  ])("%s", async (_name, check, passed, detail) => {
    const verdict = await evaluateCheck(cluster(), CheckSchema.parse(check));
    expect(verdict.passed).toBe(passed);
    if (detail) expect(verdict.outcomes.map((o) => o.detail)).toContain(detail);
  });

  it("reports every leaf of an `all`", async () => {
    const verdict = await evaluateCheck(cluster(), { all: [{ object: { kind: "ConfigMap", name: "app" } }, { absent: { kind: "ConfigMap", name: "app" } }] });
    expect(verdict.passed).toBe(false);
    expect(verdict.outcomes.map((o) => o.passed)).toEqual([true, false]);
    expect(verdict.outcomes[0].description).toBe("ConfigMap app exists");
  });

  it.each<[string, string, string]>([
    ["fails", "cat /nope", "`cat /nope` failed with exit status 1"],
    ["prints nothing", "true", "`true` printed nothing"],
  ])("gives no verdict against a command that %s, even for an empty file", async (_name, command, why) => {
    const verdict = await evaluateCheck(cluster(), CheckSchema.parse({ file: { host: "node01", path: "/tmp/empty" }, content: { equalsOutputOf: command } }));
    expect(verdict.passed).toBe(false);
    expect(verdict.outcomes[0].detail).toContain(why);
  });

  it("describes an equalsOutputOf match by its command", async () => {
    const verdict = await evaluateCheck(cluster(), CheckSchema.parse({ command: "hostname", stdout: { equalsOutputOf: "hostname" } }));
    expect(verdict.outcomes).toEqual([{ description: "`hostname` prints what `hostname` prints", passed: true }]);
  });

  it("rejects a malformed check", () => {
    expect(CheckSchema.safeParse({ object: { kind: "Pod" }, feilds: {} }).success).toBe(false);
    expect(CheckSchema.safeParse({ command: "hostname", stdout: { equalsOutputOf: "" } }).success).toBe(false);
  });
});

describe("runsCommands", () => {
  it("tells the checks that run commands (and may change the cluster) from those that only read it", () => {
    const reads: Check = { all: [{ object: { kind: "Pod", name: "web" } }, { any: [{ absent: { kind: "Pod", name: "x" } }, { count: { kind: "Node" } }] }, { file: { path: "/etc/hosts" }, content: { contains: "x" } }] };
    expect(runsCommands(reads)).toBe(false);
    expect(runsCommands({ all: [reads, { any: [{ command: "hostname" }] }] })).toBe(true);
    expect(runsCommands({ file: { path: "/root/pid" }, content: { equalsOutputOf: "pgrep kubelet" } })).toBe(true);
  });
});
