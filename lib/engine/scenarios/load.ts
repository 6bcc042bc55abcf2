import { parse as parseYaml, YAMLParseError } from "yaml";
import { freezeDeep } from "../util/plain";
import { BUILTIN_SCENARIOS } from "./builtin";
import { ScenarioSpec, type ScenarioInput } from "./schema";

/** A scenario that cannot be used, with the field or line that is wrong. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScenarioError";
  }
}

export const SCENARIO_NAMES = Object.keys(BUILTIN_SCENARIOS);

// A built-in scenario parses and validates once per process (every createCluster names one).
const builtins = new Map<string, ScenarioSpec>();

/**
 * Resolves a scenario: a built-in name, a parsed object, or YAML text. An object or text may
 * name a built-in `base` and override its fields (`manifests` are appended to the base's).
 * The spec is frozen: clusters (and their forks) share it.
 *
 * @example
 * loadScenario("three-node-calico").nodes.length; // 3
 * loadScenario({ base: "single-node", name: "lesson-1", manifests: "..." });
 */
export function loadScenario(source: string | (Partial<ScenarioInput> & { base?: string })): ScenarioSpec {
  if (typeof source === "string" && !source.includes("\n") && !source.includes(":")) {
    const text = BUILTIN_SCENARIOS[source];
    if (text === undefined) {
      throw new ScenarioError(`unknown scenario "${source}" (known: ${SCENARIO_NAMES.join(", ")})`);
    }
    let spec = builtins.get(source);
    if (!spec) {
      spec = validate(parseText(text, source), source);
      builtins.set(source, spec);
    }
    return spec;
  }
  const raw = typeof source === "string" ? parseText(source, "scenario") : source;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new ScenarioError("scenario: expected a mapping");
  const { base, ...rest } = raw as Record<string, unknown>;
  if (base === undefined) return validate(rest, String(rest.name ?? "scenario"));
  if (typeof base !== "string") throw new ScenarioError("scenario: base: expected a scenario name");
  const parent = loadScenario(base);
  const manifests = [parent.manifests, typeof rest.manifests === "string" ? rest.manifests : ""].filter((m) => m.trim()).join("\n---\n");
  return validate({ ...parent, ...rest, manifests }, String(rest.name ?? base));
}

function parseText(text: string, label: string): unknown {
  try {
    return parseYaml(text);
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const line = err.linePos?.[0]?.line;
      throw new ScenarioError(`${label}${line ? `:${line}` : ""}: ${err.message.split("\n")[0]}`);
    }
    throw err;
  }
}

function validate(raw: unknown, label: string): ScenarioSpec {
  const parsed = ScenarioSpec.safeParse(raw);
  if (parsed.success) {
    checkConsistency(parsed.data, label);
    return freezeDeep(parsed.data);
  }
  const issue = parsed.error.issues[0];
  throw new ScenarioError(`${label}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
}

function checkConsistency(spec: ScenarioSpec, label: string): void {
  const names = new Set<string>();
  const ips = new Set<string>();
  for (const [i, node] of spec.nodes.entries()) {
    if (names.has(node.name)) throw new ScenarioError(`${label}: nodes.${i}.name: duplicate node name "${node.name}"`);
    if (ips.has(node.ip)) throw new ScenarioError(`${label}: nodes.${i}.ip: duplicate node address ${node.ip}`);
    names.add(node.name);
    ips.add(node.ip);
  }
  if (!spec.nodes.some((n) => n.role === "control-plane")) {
    throw new ScenarioError(`${label}: nodes: needs a control-plane node`);
  }
  for (const [i, step] of spec.setup.entries()) {
    if (!names.has(step.node)) throw new ScenarioError(`${label}: setup.${i}.node: no node "${step.node}" in this scenario`);
  }
}
