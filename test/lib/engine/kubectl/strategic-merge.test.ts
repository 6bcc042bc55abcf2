import { describe, expect, test } from "vitest";
import { applyJSONPatch } from "@/lib/engine/kubectl/json-patch";
import { strategicMerge, threeWayMerge } from "@/lib/engine/kubectl/strategic-merge";

const pod = (containers: unknown[], extra: Record<string, unknown> = {}) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers, ...extra } });

describe("strategic merge patch", () => {
  test.each([
    [
      "containers merge by name; new ones come before the server's others",
      pod([{ name: "a", image: "x" }]),
      { spec: { containers: [{ name: "b", image: "y" }] } },
      [{ name: "b", image: "y" }, { name: "a", image: "x" }],
    ],
    ["a matching container is merged", pod([{ name: "a", image: "x", args: ["1"] }]), { spec: { containers: [{ name: "a", image: "z" }] } }, [{ name: "a", image: "z", args: ["1"] }]],
    ["$patch: delete removes one", pod([{ name: "a" }, { name: "b" }]), { spec: { containers: [{ name: "a", $patch: "delete" }] } }, [{ name: "b" }]],
    [
      "ports merge by containerPort, env by name",
      pod([{ name: "a", ports: [{ containerPort: 80, protocol: "TCP" }], env: [{ name: "A", value: "1" }] }]),
      { spec: { containers: [{ name: "a", ports: [{ containerPort: 81 }], env: [{ name: "A", value: "2" }] }] } },
      [{ name: "a", ports: [{ containerPort: 81 }, { containerPort: 80, protocol: "TCP" }], env: [{ name: "A", value: "2" }] }],
    ],
    ["atomic lists are replaced", pod([{ name: "a", args: ["1", "2"] }]), { spec: { containers: [{ name: "a", args: ["3"] }] } }, [{ name: "a", args: ["3"] }]],
  ])("%s", (_name, current, patch, containers) => {
    expect((strategicMerge(current, patch, "Pod").spec as { containers: unknown }).containers).toEqual(containers);
  });

  test("null deletes a field; tolerations are replaced whole", () => {
    const current = pod([], { nodeName: "n", tolerations: [{ key: "a" }, { key: "b" }] });
    const out = strategicMerge(current, { spec: { nodeName: null, tolerations: [{ key: "c" }] } }, "Pod");
    expect(out.spec).toEqual({ containers: [], tolerations: [{ key: "c" }] });
  });

  test("Service ports merge by port", () => {
    const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
    expect(strategicMerge(svc, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }, "Service").spec.ports).toEqual([{ port: 80, targetPort: 9090 }, { port: 443 }]);
  });
});

describe("apply's three-way merge", () => {
  const deploy = (spec: Record<string, unknown>) => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec });
  test("fields dropped from the file go; fields only the server set stay", () => {
    const original = deploy({ replicas: 2, paused: false });
    const modified = deploy({ replicas: 3 });
    const live = deploy({ replicas: 5, paused: false, revisionHistoryLimit: 10 });
    expect(threeWayMerge(original, modified, live, "Deployment")).toEqual(deploy({ replicas: 3, revisionHistoryLimit: 10 }));
  });
  test("volumes keyed by name: removed from the file means removed", () => {
    const spec = (volumes: unknown[]) => deploy({ template: { spec: { containers: [], volumes } } });
    const out = threeWayMerge(spec([{ name: "a", emptyDir: {} }, { name: "b", emptyDir: {} }]), spec([{ name: "a", configMap: { name: "c" } }]), spec([{ name: "a", emptyDir: {} }, { name: "b", emptyDir: {} }, { name: "x", emptyDir: {} }]), "Deployment");
    // Items keep the server's relative order: a (position 0) before x (position 2).
    expect(out).toEqual(spec([{ name: "a", configMap: { name: "c" } }, { name: "x", emptyDir: {} }]));
  });
});

describe("JSON patch", () => {
  test.each([
    ["add to the end of a list", [{ op: "add", path: "/a/-", value: 3 }], { ok: true, value: { a: [1, 2, 3], b: { c: 1 } } }],
    ["replace sets a missing key", [{ op: "replace", path: "/b/d", value: 2 }], { ok: true, value: { a: [1, 2], b: { c: 1, d: 2 } } }],
    ["copy and move", [{ op: "copy", from: "/b/c", path: "/e" }, { op: "move", from: "/e", path: "/f" }], { ok: true, value: { a: [1, 2], b: { c: 1 }, f: 1 } }],
    ["escaped pointers", [{ op: "add", path: "/b/x~1y", value: 1 }], { ok: true, value: { a: [1, 2], b: { c: 1, "x/y": 1 } } }],
    ["remove a missing key", [{ op: "remove", path: "/b/z" }], { ok: false, error: "error in remove for path: '/b/z': Unable to remove nonexistent key: z: missing value" }],
    ["add under a missing parent", [{ op: "add", path: "/q/r", value: 1 }], { ok: false, error: 'add operation does not apply: doc is missing path: "/q/r": missing value' }],
    ["a failing test", [{ op: "test", path: "/b/c", value: 2 }], { ok: false, error: "testing value /b/c failed: test failed" }],
    ["an out-of-range index", [{ op: "remove", path: "/a/5" }], { ok: false, error: "error in remove for path: '/a/5': Unable to access invalid index: 5: invalid index referenced" }],
  ])("%s", (_name, ops, expected) => {
    expect(applyJSONPatch({ a: [1, 2], b: { c: 1 } }, ops)).toEqual(expected);
  });
});
