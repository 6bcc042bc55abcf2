import { describe, expect, it } from "vitest";
import { loadScenario, ScenarioError, SCENARIO_NAMES } from "@/lib/engine/scenarios";

describe("loadScenario", () => {
  it.each(SCENARIO_NAMES)("loads the built-in %s", (name) => {
    const s = loadScenario(name);
    expect(s.name).toBe(name);
    expect(s.nodes[0]).toMatchObject({ name: "controlplane", role: "control-plane" });
    expect(s.kubernetesVersion).toBe("v1.32.4");
  });

  it("extends a base and appends manifests", () => {
    const s = loadScenario({ base: "three-node-calico", name: "lesson", manifests: "kind: Namespace\napiVersion: v1\nmetadata: {name: x}\n" });
    expect(s.name).toBe("lesson");
    expect(s.cni.plugin).toBe("calico");
    expect(s.manifests).toContain("name: x");
  });

  it.each([
    ["an unknown name", "nope", 'unknown scenario "nope" (known: single-node, three-node-flannel, three-node-calico, three-node-bridge)'],
    ["a bad field", { base: "single-node", cni: { plugin: "weave" } }, "single-node: cni.plugin: Invalid option"],
    ["an unknown field", { base: "single-node", nodez: [] }, 'single-node: (root): Unrecognized key: "nodez"'],
    ["duplicate nodes", { base: "single-node", nodes: [{ name: "a", role: "control-plane", ip: "10.0.0.1" }, { name: "a", role: "worker", ip: "10.0.0.2" }] }, 'single-node: nodes.1.name: duplicate node name "a"'],
    ["YAML with a syntax error", "name: x\nnodes: [\n", "scenario:"],
  ])("rejects %s", (_label, input, message) => {
    expect(() => loadScenario(input as never)).toThrow(ScenarioError);
    expect(() => loadScenario(input as never)).toThrow(message);
  });
});
